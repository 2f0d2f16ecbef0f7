import t from 'tap';
import { testApp } from '../helpers/app.js';

t.test('/docs serves the OpenAPI document generated from the schemas, and a UI', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const doc = res.json() as { openapi: string; info: { title: string }; paths: Record<string, Record<string, { requestBody?: unknown }>> };
  t.match(doc.openapi, /^3\./);
  t.equal(doc.info.title, 'ometria-transformer');
  for (const path of ['/v0/destinations/{destination}', '/routerTransform', '/batch', '/deliver', '/v1/destinations/{destination}/proxy', '/features', '/health', '/metrics']) {
    t.ok(doc.paths[path], `documents ${path}`);
  }
  t.ok(doc.paths['/routerTransform']?.post?.requestBody, 'with its request body schema');
  const ui = await app.inject({ method: 'GET', url: '/docs/' });
  t.equal(ui.statusCode, 200);
  t.match(ui.body, /swagger/i);
});

