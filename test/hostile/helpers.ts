/** Shared pieces of the hostile-input tests: requests, the liveness check, a real listening server. */
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { testApp } from '../helpers/app.js';
import { destination, identifyMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';

export type Json = Record<string, any>;

export const PROCESSOR = '/v0/destinations/ometria';
export const ROUTER = '/routerTransform';
export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

export const DESTINATION = destination('dest-1', { apiKey: 'key-1' });

/** A processor body of one event as JSON text, each part given as JSON text. */
export function processorText(
  message: string,
  metadata = JSON.stringify(processorMetadata(1)),
  dest = JSON.stringify(DESTINATION),
): string {
  return `[{"message":${message},"metadata":${metadata},"destination":${dest}}]`;
}

/** A router body of one event as JSON text, each part given as JSON text. */
export function routerText(
  message: string,
  metadata = JSON.stringify(routerMetadata(1)),
  dest = JSON.stringify(DESTINATION),
): string {
  return `{"input":[{"message":${message},"metadata":${metadata},"destination":${dest}}],"destType":"ometria"}`;
}

export const IDENTIFY = JSON.stringify(identifyMessage(1));

/** What the identify message of `identifyMessage(1)` becomes. */
export const IDENTIFY_RECORD = { '@type': 'contact', id: 'L1', email: 'u1@example.com', customer_id: 'u-1' } as const;

export async function post(
  app: FastifyInstance,
  url: string,
  payload: string | Buffer,
  headers: Record<string, string> = JSON_HEADERS,
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, headers, payload });
}

/** After every hostile request the service must still answer its liveness probe. */
export async function assertHealthy(t: Test, app: FastifyInstance): Promise<void> {
  const res = await app.inject({ method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200, 'GET /health still answers 200');
  t.equal((res.json() as Json).service, 'UP');
}

/** The first item of a processor answer (asserting there is exactly one). */
export function onlyItem(t: Test, res: LightMyRequestResponse): Json {
  t.equal(res.statusCode, 200, 'HTTP 200');
  const items = res.json() as Json[];
  t.equal(items.length, 1, 'one output item');
  return items[0] as Json;
}

/** The records of a 200 processor or router item. */
export function recordsOf(item: Json): Json[] {
  const request = (item.output ?? item.batchedRequest) as Json;
  return JSON.parse(request.body.JSON_ARRAY.batch as string) as Json[];
}

/** A listening app on a free loopback port; closed after the test. */
export async function listening(t: Test, env: Record<string, string> = {}): Promise<{ app: FastifyInstance; port: number }> {
  const app = await testApp(t, env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/**
 * Sends raw bytes on a new connection and resolves with everything the server wrote back (as
 * latin1) once it closes the connection. `pauses` are [byte offset, milliseconds] to wait before
 * sending on from that offset: a slow client.
 */
export function rawExchange(port: number, bytes: Buffer, pauses: readonly [number, number][] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    const cuts = [...pauses, [bytes.length, 0] as [number, number]];
    let from = 0;
    const next = (i: number): void => {
      const [to, wait] = cuts[i] as [number, number];
      socket.write(bytes.subarray(from, to));
      from = to;
      if (i + 1 < cuts.length) setTimeout(() => next(i + 1), wait);
      else socket.end();
    };
    socket.on('connect', () => next(0));
  });
}

/** An HTTP/1.1 request as bytes, with `Connection: close` so the exchange ends with the answer. */
export function httpRequest(path: string, body: Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): Buffer {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close', `Content-Length: ${body.length}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** Status line and JSON body of a raw HTTP/1.1 answer. */
export function parseRaw(text: string): { status: number; headers: string; body: string } {
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, headers: head, body: Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') };
}
