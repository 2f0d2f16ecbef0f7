import t from 'tap';
import { RateLimiter } from '../../src/http/rate-limiter.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** Each acquire's outcome and the virtual time it was known at, by name. */
function recorder(clock: FakeClock) {
  const seen: string[] = [];
  const track = (name: string, granted: Promise<boolean>) =>
    granted.then((ok) => {
      seen.push(`${name} ${ok ? 'start' : 'refused'} at ${clock.elapsed()}`);
      return ok;
    });
  return { seen, track };
}

t.test('a waiter whose slot would come after its time is refused at once, holding no slot', async (t) => {
  const clock = new FakeClock();
  const limiter = new RateLimiter(1, clock);
  const { seen, track } = recorder(clock);
  await track('a', limiter.acquire('k'));
  // The next slot is 1010 ms away (one a second, plus the 10 ms margin).
  await track('b', limiter.acquire('k', clock.now() + 1009));
  t.strictSame(clock.waits, [], 'nothing waited for');
  await track('c', limiter.acquire('k', clock.now() + 1010));
  t.strictSame(seen, ['a start at 0', 'b refused at 0', 'c start at 1010'], 'b took no slot: c has the one b would have had');
  t.strictSame(clock.waits, [1010]);
});

t.test('urgent waiters go first; one pushed back past its time leaves the queue when that happens', async (t) => {
  const clock = new FakeClock();
  const limiter = new RateLimiter(2, clock);
  const { seen, track } = recorder(clock);
  const now = clock.now();
  await Promise.all([track('first', limiter.acquire('k')), track('second', limiter.acquire('k'))]);
  // Window full until 1010. Two ordinary waiters: slots at 1010 and 1010.
  const tight = track('tight', limiter.acquire('k', now + 1500));
  const loose = track('loose', limiter.acquire('k', now + 5000));
  // (Waiters join the queue as they call: no turn of the event loop, so no virtual time, passes.)
  // Two urgent waiters arrive: they take 1010 and 1010, so the ordinary ones move to 2020.
  // `tight` (by 1500) cannot start in time any more: it leaves now, at 0, not at 1500.
  const urgent = [track('urgent-1', limiter.acquire('k', Number.POSITIVE_INFINITY, true)), track('urgent-2', limiter.acquire('k', Number.POSITIVE_INFINITY, true))];
  await tight;
  t.strictSame(seen.at(-1), 'tight refused at 0', 'refused as soon as it was pushed back past its time');
  await Promise.all([...urgent, loose]);
  t.strictSame(seen, ['first start at 0', 'second start at 0', 'tight refused at 0', 'urgent-1 start at 1010', 'urgent-2 start at 1010', 'loose start at 2020']);
  t.strictSame(clock.waits, [1010, 1010], 'one wake-up per slot time, none for the waiter that left');
});

t.test('urgent waiters keep their own arrival order, and keys do not share slots', async (t) => {
  const clock = new FakeClock();
  const limiter = new RateLimiter(1, clock);
  const { seen, track } = recorder(clock);
  await track('a', limiter.acquire('k'));
  const all = [
    track('plain', limiter.acquire('k')),
    track('u1', limiter.acquire('k', Number.POSITIVE_INFINITY, true)),
    track('u2', limiter.acquire('k', Number.POSITIVE_INFINITY, true)),
    track('other key', limiter.acquire('other')),
  ];
  await Promise.all(all);
  t.strictSame(seen, ['a start at 0', 'other key start at 0', 'u1 start at 1010', 'u2 start at 2020', 'plain start at 3030']);
});

t.test('unlimited: every acquire is granted at once', async (t) => {
  const clock = new FakeClock();
  const limiter = new RateLimiter(0, clock);
  t.strictSame(await Promise.all(Array.from({ length: 50 }, () => limiter.acquire('k', clock.now()))), Array<boolean>(50).fill(true));
  t.equal(limiter.intervalMs, 0);
  t.equal(new RateLimiter(8, clock).intervalMs, 1010 / 8, 'a slot every 1/8 s (plus the margin) under load');
});
