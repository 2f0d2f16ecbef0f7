import { Type } from '@sinclair/typebox';
import type { DeliveryVerdict, DestinationDefinition } from '../../src/core/destination.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { compileTable } from '../../src/core/engine/mapping.js';
import { headerValue } from '../../src/core/headers.js';
import { HttpDeliveryClient } from '../../src/http/http-delivery-client.js';
import type { MappingTable } from '../../schemas/mapping.js';

/**
 * A second destination, for tests only: "Acme" takes `identify` calls as user records, pushed as a
 * JSON array to `<url>/users` with an `X-Acme-Key` header, and answers 2xx when it took them. It is
 * a definition and nothing else: no route and no core file knows it.
 */

/** Acme's one record type. */
export const AcmeUserSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  email: Type.Optional(Type.String({ minLength: 3 })),
});

/** Its one-row mapping table (an email, when sent, is copied by the handler). */
const userTable = {
  id: { from: ['userId', 'integrations:userId'], kind: 'identifier', required: true, missingError: 'Acme needs a user id', what: 'the user' },
} as const satisfies MappingTable<{ id: string }>;
const userFields = compileTable(userTable, 'acme_user');

export interface AcmeOptions {
  /** The origin of Acme's API (the test's mock). */
  readonly url: string;
}

export function createAcme(options: AcmeOptions): DestinationDefinition {
  const origin = new URL(options.url).origin;
  const rateKey = (headers: Readonly<Record<string, string>>): string => headerValue(headers, 'x-acme-key') ?? '';
  return {
    name: 'ACME',
    displayName: 'Acme',
    integrationKeys: ['Acme', 'acme'],
    handlers: {
      identify(message, scope) {
        const record = userFields.apply(scope);
        const traits = message.traits;
        if (typeof traits === 'object' && traits !== null && 'email' in traits && typeof traits.email === 'string') record.email = traits.email;
        return { type: 'user', record };
      },
    },
    recordSchemas: { user: AcmeUserSchema },
    maxBatchSize: 2,
    maxRecordBytes: 1024,
    parseConfig(config) {
      if (typeof config.key !== 'string' || config.key === '') throw new ConfigurationError('Acme needs destination.Config.key');
      return { key: config.key };
    },
    request(batch, config) {
      return {
        endpoint: `${origin}/users`,
        headers: { 'X-Acme-Key': String(config.key), 'Content-Type': 'application/json' },
        body: { JSON: {}, JSON_ARRAY: { batch }, XML: {}, FORM: {} },
      };
    },
    delivery: {
      rateKey,
      interpret(result): DeliveryVerdict {
        if (result.kind === 'transport') return { delivered: false, status: 500, category: 'retryable', message: `Acme did not answer (${result.code})` };
        if (result.status >= 200 && result.status < 300) return { delivered: true, status: 200, category: 'delivered', answered: result.status, message: 'Acme took it' };
        if (result.status === 401) return { delivered: false, status: 403, category: 'auth', answered: 401, message: 'Acme refused the key' };
        return { delivered: false, status: result.status >= 500 ? 500 : 400, category: result.status >= 500 ? 'retryable' : 'rejected', answered: result.status, message: `Acme answered ${result.status}` };
      },
    },
    // It reads no service setting: its client's rules are its own.
    settings: Type.Object({}),
    createClients(_settings, observers) {
      const delivery = new HttpDeliveryClient({
        timeoutMs: 2000,
        maxAttempts: 2,
        retryBaseMs: 1,
        retryMaxMs: 5,
        deadlineMs: 5000,
        ratePerSecond: 0,
        connections: 2,
        ...(observers.onAttempt === undefined ? {} : { onAttempt: observers.onAttempt }),
      });
      return { delivery, close: () => delivery.close() };
    },
    proxyOrigins: () => new Set([origin]),
  };
}
