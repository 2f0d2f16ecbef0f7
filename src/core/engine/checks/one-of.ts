/**
 * An enumeration with aliases: the input looked up in `values`, which maps every accepted spelling
 * to the value written out. With `fold`, the input is trimmed and case-folded first; without it,
 * only exact spellings count (e.g. a consent field whose values are exact).
 */
export function toOneOf(
  value: string,
  values: Readonly<Record<string, string>>,
  fold: 'lower' | 'upper' | undefined,
): string | undefined {
  const key = fold === 'lower' ? value.trim().toLowerCase() : fold === 'upper' ? value.trim().toUpperCase() : value;
  return Object.hasOwn(values, key) ? values[key] : undefined;
}
