/**
 * The bench's request counter: one for the whole process, so no two requests of a run carry the
 * same ids. Its text has a fixed width, so every rendering of a template has the same length and
 * a phone's last digits are the counter.
 */
export const COUNTER_WIDTH = 6;
/** Where a template takes the counter's text; it occurs nowhere else in a body. */
export const COUNTER_TOKEN = '{{n}}';
const LIMIT = 10 ** COUNTER_WIDTH;

let next = 0;

export function takeCounter(): number {
  // Wrapping would repeat ids: fail instead of measuring something else.
  if (next >= LIMIT) throw new Error(`the bench counter ran past ${LIMIT - 1}: shorten the runs`);
  return next++;
}

/** How many counter values have been taken so far. */
export function countersTaken(): number {
  return next;
}

export function counterText(counter: number): string {
  if (!Number.isInteger(counter) || counter < 0 || counter >= LIMIT) throw new RangeError(`counter ${counter} is out of range`);
  return String(counter).padStart(COUNTER_WIDTH, '0');
}
