// The runtime's ISO 4217 table, not a hand list that goes stale (docs/DIFFERENCES.md, 5).
const CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** The upper-cased ISO 4217 code, else undefined. */
export function toCurrency(value: string): string | undefined {
  const code = value.trim().toUpperCase();
  return CODES.has(code) ? code : undefined;
}
