/**
 * An enumeration with aliases: the trimmed (and case-folded) input looked up in `values`, which
 * maps every accepted spelling to the value written out.
 */
export function toOneOf(
  value: string,
  values: Readonly<Record<string, string>>,
  fold: 'lower' | 'upper' | undefined,
): string | undefined {
  const trimmed = value.trim();
  const key = fold === 'lower' ? trimmed.toLowerCase() : fold === 'upper' ? trimmed.toUpperCase() : trimmed;
  return Object.hasOwn(values, key) ? values[key] : undefined;
}
