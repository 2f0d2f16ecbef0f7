import type { RateWindow } from '../core/erasure/erasure-store.js';

/**
 * The one rule both stores apply inside their claim transaction, so they cannot drift apart: when
 * the key may next start a request, or undefined for "now". `starts` are the key's start times
 * after `now - windowMs`, ascending (a start counts while `now < start + windowMs`); `holdUntil` is
 * the key's hold, if any. With the window full, the next start may go when enough of the oldest
 * have left it for one more to fit: the (length - limit)-th start's end. Held and full at once, the
 * later of the two.
 */
export function waitUntil(rate: RateWindow, now: number, holdUntil: number | undefined, starts: readonly number[]): number | undefined {
  const held = holdUntil !== undefined && holdUntil > now ? holdUntil : undefined;
  const oldestToLeave = starts.length >= rate.limit ? starts[starts.length - rate.limit] : undefined;
  const full = oldestToLeave === undefined ? undefined : oldestToLeave + rate.windowMs;
  if (held === undefined) return full;
  return full === undefined ? held : Math.max(held, full);
}
