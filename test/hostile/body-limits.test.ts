/**
 * Bodies over BODY_LIMIT, compressed bodies that only grow past it once decoded, and bodies that
 * arrive slowly, in chunks without a length, or never finish. Over the limit is a 413; the
 * service never buffers a bomb whole and stays up.
 */
import http from 'node:http';
import net from 'node:net';
import { brotliCompressSync, createGzip, deflateSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { testApp } from '../helpers/app.js';
import { identifyMessage } from '../helpers/envelopes.js';
import {
  assertHealthy,
  httpRequest,
  IDENTIFY,
  IDENTIFY_RECORD,
  listening,
  parseRaw,
  post,
  PROCESSOR,
  processorText,
  rawExchange,
  recordsOf,
  ROUTER,
  routerText,
  type Json,
} from './helpers.js';

const LIMIT = 1024 * 1024;
const ENV = { BODY_LIMIT: String(LIMIT) };
const TOO_LARGE = { error: `Body is larger than the limit of ${LIMIT} bytes` };

t.test('a body over BODY_LIMIT is a 413 on both routes', async (t) => {
  const app = await testApp(t, ENV);
  const big = JSON.stringify(identifyMessage(1, { bio: 'x'.repeat(LIMIT) }));
  for (const [url, body] of [
    [PROCESSOR, processorText(big)],
    [ROUTER, routerText(big)],
  ] as const) {
    const res = await post(app, url, body);
    t.equal(res.statusCode, 413, url);
    t.strictSame(res.json(), TOO_LARGE);
    await assertHealthy(t, app);
  }
  // One byte under the limit is read.
  const filler = 'y'.repeat(LIMIT - processorText(JSON.stringify(identifyMessage(1, { bio: '' }))).length);
  const fits = processorText(JSON.stringify(identifyMessage(1, { bio: filler })));
  t.equal(Buffer.byteLength(fits), LIMIT);
  const res = await post(app, PROCESSOR, fits);
  t.equal(res.statusCode, 200, 'a body of exactly BODY_LIMIT bytes is accepted');
});

t.test('compression bombs are a 413', async (t) => {
  // 16 MiB of spaces (valid JSON whitespace), a few KB compressed. Built before the app: the
  // compression blocks the event loop, which the app's load shedding would rightly answer with 503s.
  const expanded = Buffer.alloc(16 * LIMIT, 0x20);
  const bombs = { gzip: gzipSync(expanded), deflate: deflateSync(expanded), br: brotliCompressSync(expanded) };
  const app = await testApp(t, ENV);
  for (const [encoding, bomb] of Object.entries(bombs)) {
    t.ok(bomb.length < LIMIT / 10, `${encoding}: ${bomb.length} bytes on the wire, far under the limit`);
    const res = await post(app, PROCESSOR, bomb, { 'content-type': 'application/json', 'content-encoding': encoding });
    t.equal(res.statusCode, 413, `${encoding} bomb`);
    t.strictSame(res.json(), TOO_LARGE);
    await assertHealthy(t, app);
  }
});

t.test('an endless gzip stream is cut off once its decoded size passes the limit', async (t) => {
  const { app, port } = await listening(t, ENV);
  const DECODED_CAP = 1024 * LIMIT; // 1 GiB of spaces if the server never stopped reading
  const answer = await new Promise<{ status: number; body: string; decodedSent: number }>((resolve, reject) => {
    let decodedSent = 0;
    const req = http.request(
      { port, host: '127.0.0.1', method: 'POST', path: PROCESSOR, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          gzip.destroy();
          resolve({ status: res.statusCode ?? 0, body, decodedSent });
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    const gzip = createGzip();
    gzip.pipe(req);
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const pump = (): void => {
      while (decodedSent < DECODED_CAP && !req.destroyed && !gzip.destroyed) {
        decodedSent += chunk.length;
        if (!gzip.write(chunk)) {
          gzip.once('drain', pump);
          return;
        }
      }
      gzip.end();
    };
    pump();
  });
  t.equal(answer.status, 413);
  t.strictSame(JSON.parse(answer.body), TOO_LARGE);
  t.ok(answer.decodedSent < DECODED_CAP / 4, `answered after ${answer.decodedSent} decoded bytes were sent, long before the 1 GiB end`);
  await assertHealthy(t, app);
});

t.test('a chunked body with no length is cut off at the limit with a 413', async (t) => {
  const { app, port } = await listening(t, ENV);
  const answer = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: PROCESSOR, headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    // The server may close while we are still writing: that is the point.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (sent < 64 * LIMIT && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    req.write('[');
    pump();
  });
  t.equal(answer.status, 413);
  t.strictSame(JSON.parse(answer.body), TOO_LARGE);
  await assertHealthy(t, app);
});

t.test('a slow body that arrives in pieces is read in full and answered', async (t) => {
  const { app, port } = await listening(t);
  const body = Buffer.from(processorText(IDENTIFY));
  const raw = await rawExchange(port, httpRequest(PROCESSOR, body), [
    [10, 300],
    [40, 300],
    [body.length, 300],
  ]);
  const { status, headers, body: text } = parseRaw(raw);
  t.equal(status, 200);
  t.match(headers, /\r\napiversion: 2\r\n/i);
  const [item] = JSON.parse(text) as Json[];
  t.equal(item?.statusCode, 200);
  t.strictSame(recordsOf(item as Json), [IDENTIFY_RECORD]);
  await assertHealthy(t, app);
});

t.test('a client that goes away mid-body leaves the service up', async (t) => {
  const { app, port } = await listening(t);
  const head = `POST ${PROCESSOR} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`${head}[{"message":{"type":"identify"`);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.on('error', reject);
  });
  // A body shorter than its Content-Length, then end of stream: a 400, not a hang.
  const short = await rawExchange(port, Buffer.from(`${head}[{"message":{}}]`));
  t.equal(parseRaw(short).status, 400, `short body: ${JSON.stringify(short.slice(0, 40))}`);
  t.match(JSON.parse(parseRaw(short).body), { statusCode: 400 }, "Node's client-error answer");
  await assertHealthy(t, app);
  const res = await post(app, PROCESSOR, processorText(IDENTIFY));
  t.equal(res.statusCode, 200, 'the next request is served');
});
