import { isPlainObject } from '../plain-object.js';

export interface WireBody {
  readonly text: string;
  readonly contentType: string;
}

/**
 * The bytes a RudderStack REST request sends: the JSON_ARRAY `batch` text as it is, else the
 * `JSON` object, else `FORM` (exactly one entry is non-empty).
 */
export function wireBody(body: unknown): WireBody | undefined {
  if (!isPlainObject(body)) return undefined;
  const jsonArray = body.JSON_ARRAY;
  if (isPlainObject(jsonArray) && typeof jsonArray.batch === 'string') {
    return { text: jsonArray.batch, contentType: 'application/json' };
  }
  if (isPlainObject(body.JSON) && Object.keys(body.JSON).length > 0) {
    return { text: JSON.stringify(body.JSON), contentType: 'application/json' };
  }
  if (isPlainObject(body.FORM) && Object.keys(body.FORM).length > 0) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(body.FORM)) form.append(key, String(value));
    return { text: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return undefined;
}
