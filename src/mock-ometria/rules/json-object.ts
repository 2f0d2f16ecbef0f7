/** A JSON object as the mock reads a body: arrays and null are not objects here. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
