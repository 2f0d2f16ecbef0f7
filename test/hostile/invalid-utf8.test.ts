/**
 * Invalid UTF-8 on a real socket: bytes that are no UTF-8 at all, truncated sequences, overlong
 * forms and encoded surrogates. Inside a JSON string they are decoded as U+FFFD (the event goes
 * through with replacement characters); outside strings the body is not JSON (400). In a header
 * the content type is unknown (415). The service stays up throughout.
 */
import t from 'tap';
import {
  assertHealthy,
  httpRequest,
  IDENTIFY,
  listening,
  parseRaw,
  PROCESSOR,
  processorText,
  rawExchange,
  ROUTER,
  routerText,
  type Json,
} from './helpers.js';

const BAD_SEQUENCES: Record<string, number[]> = {
  'lone continuation byte': [0x80],
  'invalid byte 0xff': [0xff],
  'truncated two-byte sequence': [0xc3],
  'truncated three-byte sequence': [0xe2, 0x82],
  'overlong slash': [0xc0, 0xaf],
  'encoded surrogate': [0xed, 0xa0, 0x80],
  'beyond U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
};

/** `text` with every placeholder `@@` replaced by raw bytes. */
function withBytes(text: string, bytes: number[]): Buffer {
  const parts = text.split('@@').map((part) => Buffer.from(part));
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from(bytes), part])));
}

t.test('invalid UTF-8 inside JSON strings is decoded with replacement characters', async (t) => {
  const { app, port } = await listening(t);
  for (const [name, bytes] of Object.entries(BAD_SEQUENCES)) {
    // In a listing id (copied into the record) and in a leftover trait key.
    const message = IDENTIFY.replace('"listingId":"L1"', '"listingId":"L@@1"').replace('"email"', '"k@@":"v","email"');
    const raw = await rawExchange(port, httpRequest(PROCESSOR, withBytes(processorText(message), bytes)));
    const { status, body } = parseRaw(raw);
    t.equal(status, 200, `${name}: HTTP 200`);
    const [item] = JSON.parse(body) as Json[];
    t.equal(item?.statusCode, 200, `${name}: the event is transformed`);
    const [record] = JSON.parse(item?.output.body.JSON_ARRAY.batch as string) as Json[];
    t.match(record?.id, /^L\ufffd+1$/, `${name}: id holds U+FFFD where the bad bytes were`);
    t.equal(Object.keys(record?.properties as Json).length, 1, `${name}: one leftover trait`);
    t.match(Object.keys(record?.properties as Json)[0], /^k\ufffd+$/, `${name}: its key holds U+FFFD`);
  }
  await assertHealthy(t, app);
});

t.test('invalid UTF-8 in the type, the API key and router metadata', async (t) => {
  const { app, port } = await listening(t);
  const type = parseRaw(await rawExchange(port, httpRequest(PROCESSOR, withBytes(processorText(IDENTIFY.replace('"identify"', '"ident@@ify"')), [0xff]))));
  t.equal(type.status, 200);
  const [typeItem] = JSON.parse(type.body) as Json[];
  t.equal(typeItem?.statusCode, 400);
  t.equal(typeItem?.error, 'message type ident\ufffdify is not supported: Ometria takes identify and track');

  const keyed = routerText(IDENTIFY, undefined, JSON.stringify({ ID: 'd', Config: { apiKey: 'key-@@' } }));
  const router = parseRaw(await rawExchange(port, httpRequest(ROUTER, withBytes(keyed, [0xc3]))));
  t.equal(router.status, 200);
  const [batch] = (JSON.parse(router.body) as { output: Json[] }).output;
  t.equal(batch?.statusCode, 200);
  t.equal(batch?.batchedRequest.headers['X-Ometria-Auth'], 'key-\ufffd', 'the key as decoded');

  const meta = routerText(IDENTIFY, '{"jobId":7,"note":"@@"}');
  const echoed = parseRaw(await rawExchange(port, httpRequest(ROUTER, withBytes(meta, [0xed, 0xa0, 0x80]))));
  t.equal(echoed.status, 200);
  const [metaItem] = (JSON.parse(echoed.body) as { output: Json[] }).output;
  t.equal(metaItem?.metadata[0].jobId, 7, 'the jobId is accounted for');
  t.match(metaItem?.metadata[0].note, /^\ufffd+$/);
  await assertHealthy(t, app);
});

t.test('invalid UTF-8 outside strings is a 400: the body is not JSON', async (t) => {
  const { app, port } = await listening(t);
  for (const [name, bytes] of Object.entries(BAD_SEQUENCES)) {
    const raw = await rawExchange(port, httpRequest(PROCESSOR, withBytes(processorText(IDENTIFY).replace('[{', '[@@{'), bytes)));
    const { status, body } = parseRaw(raw);
    t.equal(status, 400, name);
    t.match((JSON.parse(body) as Json).error, /^Body is not valid JSON: /);
  }
  await assertHealthy(t, app);
});

t.test('invalid bytes in headers get a clear 4xx', async (t) => {
  const { app, port } = await listening(t);
  const body = Buffer.from(processorText(IDENTIFY));
  const contentType = parseRaw(await rawExchange(port, httpRequest(PROCESSOR, body, { 'content-type': 'application/json\xff' })));
  t.equal(contentType.status, 415, 'an undecodable content type is unsupported');
  const head = Buffer.from(`POST ${PROCESSOR} HTTP/1.1\r\nHost: localhost\r\nX-Bad\xff\xfe: 1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n[]`, 'latin1');
  const badName = parseRaw(await rawExchange(port, head));
  t.equal(badName.status, 400, 'an invalid header name is a 400 from the HTTP parser');
  const garbage = parseRaw(await rawExchange(port, Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a])));
  t.equal(garbage.status, 400, 'bytes that are no HTTP at all are a 400');
  await assertHealthy(t, app);
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  t.equal(res.status, 200, 'the listening server still answers');
});
