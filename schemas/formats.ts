import { FormatRegistry } from '@sinclair/typebox';
import { isIsoDateTime } from '../src/core/engine/checks/iso-date-time.js';
import { isE164 } from '../src/core/engine/checks/e164.js';

/** String formats used by our schemas, shared by TypeBox and Fastify's Ajv so both judge alike. */
export const formats: Readonly<Record<string, (value: string) => boolean>> = {
  'date-time': isIsoDateTime,
  e164: isE164,
};

let registered = false;

/** Registers the formats with TypeBox once per process (FormatRegistry is global). */
export function registerFormats(): void {
  if (registered) return;
  for (const [name, check] of Object.entries(formats)) FormatRegistry.Set(name, check);
  registered = true;
}
