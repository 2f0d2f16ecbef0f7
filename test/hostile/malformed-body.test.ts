/**
 * Bodies that are not the envelope at all: not JSON, cut short, empty, the wrong content type,
 * JSON of the wrong shape. Each gets a clear 4xx (never a 500) and the service stays up.
 */
import t from 'tap';
import { jsonBody, testApp } from '../helpers/app.js';
import { assertHealthy, IDENTIFY, IDENTIFY_RECORD, onlyItem, post, PROCESSOR, processorText, recordsOf, ROUTER, routerText, type Json } from './helpers.js';

const NOT_JSON = /^Body is not valid JSON: /;

t.test('a body that is not JSON is a 400 saying so', async (t) => {
  const app = await testApp(t);
  for (const [url, payload] of [
    [PROCESSOR, 'this is not json'],
    [ROUTER, '<xml>nope</xml>'],
    [PROCESSOR, "[{'message': 1}]"],
    [ROUTER, '{"input": [], "destType": "ometria",}'],
    [PROCESSOR, 'NaN'],
  ] as const) {
    const res = await post(app, url, payload);
    t.equal(res.statusCode, 400, `${url} ${payload}`);
    t.match((res.json() as Json).error, NOT_JSON);
    t.equal(res.headers.apiversion, undefined, 'no apiVersion on an error');
    await assertHealthy(t, app);
  }
});

t.test('truncated JSON is a 400 at every cut', async (t) => {
  const app = await testApp(t);
  const whole = processorText(IDENTIFY);
  // Cut inside a key, a string, a number, between tokens, just before the last bracket.
  for (const cut of [1, 2, 12, 40, 77, Math.floor(whole.length / 2), whole.length - 1]) {
    const res = await post(app, PROCESSOR, whole.slice(0, cut));
    t.equal(res.statusCode, 400, `cut at ${cut}`);
    t.match((res.json() as Json).error, NOT_JSON);
  }
  const routerWhole = routerText(IDENTIFY);
  const res = await post(app, ROUTER, routerWhole.slice(0, routerWhole.length - 3));
  t.equal(res.statusCode, 400);
  t.match((res.json() as Json).error, NOT_JSON);
  await assertHealthy(t, app);
});

t.test('an empty body is a 400 asking for JSON', async (t) => {
  const app = await testApp(t);
  for (const url of [PROCESSOR, ROUTER]) {
    const res = await post(app, url, '');
    t.equal(res.statusCode, 400, url);
    t.strictSame(res.json(), { error: 'Body is empty: send a JSON body' });
  }
  await assertHealthy(t, app);
});

t.test('JSON of the wrong shape is a 400 naming what is wrong', async (t) => {
  const app = await testApp(t);
  const cases: [string, string, RegExp][] = [
    [PROCESSOR, '"a string"', /^Invalid request: body must be array/],
    [PROCESSOR, '42', /^Invalid request: body must be array/],
    [PROCESSOR, 'null', /^Invalid request: body must be array/],
    [PROCESSOR, 'true', /^Invalid request: body must be array/],
    [PROCESSOR, '[1, "two", null]', /^Invalid request: body\/0 must be object/],
    [PROCESSOR, '{"destinations": {}}', /required property 'input'/],
    [ROUTER, '[]', /^Invalid request: body must be object/],
    [ROUTER, '{"input": [{}]}', /required property 'destType'/],
    [ROUTER, '{"input": [[]], "destType": "ometria"}', /^Invalid request: body\/input\/0 must be object/],
  ];
  for (const [url, payload, error] of cases) {
    const res = await post(app, url, payload);
    t.equal(res.statusCode, 400, `${url} ${payload}`);
    t.match((res.json() as Json).error, error);
    await assertHealthy(t, app);
  }
});

t.test('a content type that is not JSON is a 415 asking for application/json', async (t) => {
  const app = await testApp(t);
  const body = processorText(IDENTIFY);
  for (const contentType of ['text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '%%%', 'application/jsonx']) {
    const res = await post(app, PROCESSOR, body, { 'content-type': contentType });
    t.equal(res.statusCode, 415, contentType);
    t.equal((res.json() as Json).error, `Unsupported Content-Type ${JSON.stringify(contentType)}: send application/json`);
    await assertHealthy(t, app);
  }
  const none = await post(app, ROUTER, routerText(IDENTIFY), {});
  t.equal(none.statusCode, 415, 'no content type');
  t.equal((none.json() as Json).error, 'Unsupported Content-Type "": send application/json');
  await assertHealthy(t, app);
});

t.test('text/plain is refused like every other non-JSON type', async (t) => {
  // RudderStack always sends application/json; a text/plain body must not be half-read as a
  // string and then judged by the envelope schema ("body must be array" for a body that is one).
  const app = await testApp(t);
  for (const [url, body] of [
    [PROCESSOR, processorText(IDENTIFY)],
    [ROUTER, routerText(IDENTIFY)],
  ] as const) {
    const res = await post(app, url, body, { 'content-type': 'text/plain' });
    t.equal(res.statusCode, 415, `${url}: text/plain`);
    t.equal((res.json() as Json).error, 'Unsupported Content-Type "text/plain": send application/json');
    await assertHealthy(t, app);
  }
});

t.test('JSON content types with parameters, +json types and a BOM are read as JSON', async (t) => {
  const app = await testApp(t);
  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json']) {
    const item = onlyItem(t, await post(app, PROCESSOR, processorText(IDENTIFY), { 'content-type': contentType }));
    t.equal(item.statusCode, 200, contentType);
    t.strictSame(recordsOf(item), [IDENTIFY_RECORD]);
  }
  const bom = onlyItem(t, await post(app, PROCESSOR, `\ufeff${processorText(IDENTIFY)}`));
  t.equal(bom.statusCode, 200, 'a UTF-8 BOM is skipped');
  await assertHealthy(t, app);
});

t.test('hostile destination names in the path are a 4xx', async (t) => {
  const app = await testApp(t);
  const body = processorText(IDENTIFY);
  const cases: [string, number][] = [
    ['/v0/destinations/__proto__', 404],
    ['/v0/destinations/constructor', 404],
    ['/v0/destinations/%00', 404],
    ['/v0/destinations/%E0%A4%A', 400],
    [`/v0/destinations/${'a'.repeat(100_000)}`, 414],
  ];
  for (const [url, status] of cases) {
    const res = await post(app, url, body);
    t.equal(res.statusCode, status, url.slice(0, 40));
    t.equal(typeof (res.json() as Json).error, 'string', 'a JSON error');
    await assertHealthy(t, app);
  }
  const proto = await post(app, '/v0/destinations/__proto__', body);
  t.strictSame(jsonBody(proto, 404), { error: 'Unknown destination: __proto__' });
});
