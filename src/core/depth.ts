/**
 * Whether `value` nests objects or arrays deeper than `max` levels. The recursion stops at `max`
 * levels, so a hostile 10,000-level value costs little and never exhausts the stack; a shallow
 * value (the norm) is walked without allocating anything, its scalars without a call.
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && exceedsDepth(item, max - 1)) return true;
    }
    return false;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const item = object[key];
    if (typeof item === 'object' && item !== null && Object.hasOwn(object, key) && exceedsDepth(item, max - 1)) return true;
  }
  return false;
}
