import t from 'tap';
import { readFileSync } from 'node:fs';
import { jsonBody, testApp } from '../helpers/app.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

t.test('/features has what RudderStack needs to start and to send compacted payloads', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'GET', url: '/features' });
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), {
    routerTransform: { OMETRIA: true },
    regulations: ['OMETRIA'],
    supportSourceTransformV1: true,
    upgradedToSourceTransformV2: true,
    supportDestTransformCompactedPayloadV1: true,
    supportTransformerProxyV1: true,
  });
});

t.test('/health and /version', async (t) => {
  const app = await testApp(t);
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.strictSame(jsonBody(health), { service: 'UP', version: pkg.version });
  const version = await app.inject({ method: 'GET', url: '/version' });
  t.strictSame(jsonBody(version), { name: 'ometria-transformer', version: pkg.version, node: process.version });
});
