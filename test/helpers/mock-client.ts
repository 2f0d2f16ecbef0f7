import type { Test } from 'tap';
import type { MockOmetriaOptions } from '../../src/mock-ometria/app.js';
import { startMockOmetria, type RunningMockOmetria } from '../../src/mock-ometria/start.js';

/** A mock on an ephemeral loopback port, closed when the test ends. */
export async function withMock(t: Test, options: MockOmetriaOptions = {}): Promise<RunningMockOmetria> {
  const mock = await startMockOmetria(options);
  t.teardown(() => mock.close());
  return mock;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** POST /v2/push as the service would send it (`apiKey` null: no header); a string body is sent as is. */
export async function push(mock: RunningMockOmetria, body: unknown, apiKey: string | null = 'key-1'): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== null) headers['x-ometria-auth'] = apiKey;
  return answer(
    await fetch(`${mock.url}/v2/push`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** Any other route of the mock, with an optional JSON body. */
export async function call(mock: RunningMockOmetria, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(
    await fetch(`${mock.url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** A contact Ometria accepts. */
export function contact(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@type': 'contact', id, email: `${id}@example.com`, ...fields };
}

/** A custom event Ometria accepts. */
export function customEvent(id: string): Record<string, unknown> {
  return {
    '@type': 'custom_event',
    id,
    event_type: 'wishlist_add',
    timestamp: '2024-05-01T10:00:00Z',
    identity_email: 'ann@example.com',
    identity_account_id: 'user-1',
    properties: { sku: 'A1' },
  };
}

/** The statuses of `count` sequential pushes of one valid contact. */
export async function statuses(mock: RunningMockOmetria, count: number, apiKey = 'key-1'): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await push(mock, [contact(`c-${i}`)], apiKey)).status);
  return seen;
}

/**
 * POST /v2/data-deletion-requests as the service sends it (`apiKey` null: no header); a string
 * body is sent as is, anything else as JSON.
 */
export async function requestDeletion(mock: RunningMockOmetria, body: unknown, apiKey: string | null = 'key-1'): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== null) headers['x-ometria-auth'] = apiKey;
  return answer(
    await fetch(`${mock.url}/v2/data-deletion-requests`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** The statuses of `count` sequential deletion requests, one address each (`<prefix>-<i>@example.com`). */
export async function deletionStatuses(mock: RunningMockOmetria, count: number, apiKey = 'key-1', prefix = 'p'): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await requestDeletion(mock, { email: `${prefix}-${i}@example.com` }, apiKey)).status);
  return seen;
}
