import { isJsonObject } from './json-object.js';

/** A data deletion body Ometria acts on, or why it is refused (400). */
export type DeletionBody =
  | { readonly ok: true; readonly email: string; readonly comment: string | null }
  | { readonly ok: false; readonly message: string };

const SHAPE = '{"email":"<address>","comment":"<why>"}';

/** The body as JSON, or undefined when it is not JSON at all. */
function parse(raw: Buffer | undefined): { readonly json: unknown } | undefined {
  try {
    return { json: JSON.parse(raw?.toString('utf8') ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * The email a body carries, whatever else is wrong with it, for the inspection log only (a test
 * double shows what it received); undefined when there is no string `email`.
 */
export function emailOfBody(raw: Buffer | undefined): string | undefined {
  const parsed = parse(raw);
  if (parsed === undefined || !isJsonObject(parsed.json)) return undefined;
  const { email } = parsed.json;
  return typeof email === 'string' ? email : undefined;
}

/**
 * Ometria's anonymisation request names one person by email (OMETRIA-API.md): a JSON object with
 * a non-empty `email` and an optional string `comment`. Other fields are let through, as the docs
 * are cut off there. Messages name the field and never hold the address.
 */
export function readDeletionBody(raw: Buffer | undefined): DeletionBody {
  const text = raw?.toString('utf8') ?? '';
  if (text.trim() === '') return { ok: false, message: `Body is empty: send ${SHAPE}` };
  const parsed = parse(raw);
  if (parsed === undefined) return { ok: false, message: `Body is not valid JSON: send ${SHAPE}` };
  const body = parsed.json;
  if (!isJsonObject(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'array' : typeof body;
    return { ok: false, message: `Body must be a JSON object ${SHAPE} (got ${got})` };
  }
  const { email } = body;
  const comment = body.comment ?? null;
  if (email === undefined || email === null) return { ok: false, message: 'email is required: the address of the person to anonymise' };
  // A blank address names nobody, so it is refused like an empty one.
  if (typeof email !== 'string' || email.trim() === '') return { ok: false, message: 'email must be a non-empty string' };
  if (comment !== null && typeof comment !== 'string') return { ok: false, message: 'comment must be a string when given' };
  return { ok: true, email, comment };
}
