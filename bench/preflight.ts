import { nextBody } from './body.js';
import { startServer } from './child-server.js';
import { measureClientCapacity, type ClientCapacity } from './client-capacity.js';
import { COUNTER_WIDTH, takeCounter } from './counter.js';
import { checkPhones, sampleCounters } from './phone-check.js';
import { EVENTS_PER_REQUEST, TEMPLATE_COUNT, type Template, type Variant } from './templates.js';
import { checkTransforms } from './transform-check.js';

/**
 * What the bench checks and prints before timing anything: the bodies, the phones' design, the
 * service's answers to every template, and how fast the client can produce requests. Throws
 * (aborting the bench) when the bodies would not measure the success path.
 */
export interface Preflight {
  readonly answerBytes: Readonly<Record<Variant, number>>;
  readonly capacity: ClientCapacity;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const int = (n: number) => Math.round(n).toLocaleString('en-GB');

export async function preflight(templates: readonly Template[], serviceScript: string, headers: Readonly<Record<string, string>>): Promise<Preflight> {
  const meanSize = (variant: Variant) => templates.reduce((n, t) => n + Buffer.byteLength(t.render(variant, 0)), 0) / templates.length;
  console.log(
    `bodies: ${TEMPLATE_COUNT} templates × ${EVENTS_PER_REQUEST} events (a third each identify, custom track, order completed), ` +
      `compacted ${kib(meanSize('compacted'))} / plain ${kib(meanSize('plain'))} on average; a ${COUNTER_WIDTH}-digit request counter in every id`,
  );

  const counters = sampleCounters(5);
  const phones = checkPhones(templates, counters);
  if (phones.wrong.length > 0) throw new Error(`phones not as designed:\n  ${phones.wrong.slice(0, 10).join('\n  ')}`);
  const identifies = templates.reduce((n, t) => n + t.identifies.length, 0);
  console.log(
    `phones: ${identifies} identify events per ${TEMPLATE_COUNT} requests, each with a phone; libphonenumber-js/max on ${phones.checked} ` +
      `(counters ${counters.join(', ')}): ${((100 * phones.valid) / phones.checked).toFixed(1)} % valid, every verdict as designed`,
  );

  const service = await startServer(serviceScript);
  const check = await checkTransforms(service.url, templates, () => [takeCounter(), takeCounter()]).finally(() => service.stop());
  console.log(
    `transform check: ${check.requests} requests (every template × 2 counters × both variants) to the service with ?explain=true: ` +
      `every event in a 200 batch, no warning but the ${check.phoneWarnings} invalid phones'; answers ${kib(check.answerBytes.compacted)} compacted / ${kib(check.answerBytes.plain)} plain`,
  );

  const capacity = measureClientCapacity(() => nextBody(templates, 'compacted'), headers);
  console.log(
    `client: a fresh body framed by autocannon's request builder takes ${capacity.microsecondsPerRequest.toFixed(1)} µs ` +
      `(${int(capacity.requestsPerSecond)} requests/s, ${int(capacity.requestsPerSecond * EVENTS_PER_REQUEST)} events/s on one core, sending side alone)`,
  );
  return { answerBytes: check.answerBytes, capacity };
}
