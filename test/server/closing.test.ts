import t from 'tap';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { testApp } from '../helpers/app.js';

// A request that reaches a closing app on a connection still open is served, not answered 503
// (Fastify's return503OnClosing is off): closing drains, it does not refuse. The request is one
// whose head had begun to arrive before the close (so the connection is not idle and stays open)
// and ends after it. Each step waits for the condition before it, not for time to pass.
t.test('a request that completes on an open connection while the app closes is served, with Connection: close', async (t) => {
  const app = await testApp(t);
  let closingStarted = () => {};
  const closing = new Promise<void>((resolve) => (closingStarted = resolve));
  app.addHook('preClose', async () => closingStarted());
  let accepted: Socket | undefined;
  app.server.on('connection', (socket: Socket) => (accepted = socket));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };

  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const head = 'GET /ready HTTP/1.1\r\nHost: localhost\r\n';
  socket.write(head);
  // Until the server has read the unfinished head (bounded: 10 s).
  for (let i = 0; i < 1000 && (accepted?.bytesRead ?? 0) < head.length; i++) await sleep(10);
  t.equal(accepted?.bytesRead, head.length, 'the server has the head so far');

  const closed = app.close();
  await closing;
  socket.write('\r\n');
  await ended;
  await closed;

  t.match(received, /^HTTP\/1\.1 200 /, 'served, not 503');
  t.match(received, /\r\nconnection: close\r\n/i, 'and told to close the connection');
  t.match(received, /\{"status":"ready"\}$/);
});
