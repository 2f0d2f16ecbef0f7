/**
 * The bench bodies are what the bench claims: valid JSON router requests of 100 events, a third
 * each kind, the same events in both forms, and the bytes sent under load equal to the text.
 */
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import { compactedRouterBody, nextBody, routerBody } from '../../bench/body.js';
import { COUNTER_WIDTH, countersTaken, counterText, takeCounter } from '../../bench/counter.js';
import { CONNECTIONS, DESTINATION } from '../../bench/destination.js';
import { buildTemplate, buildTemplates, counterOfJobId, jobIdOf, TEMPLATE_COUNT } from '../../bench/templates.js';

interface Item {
  message: { type: string; event?: string; messageId: string };
  metadata: { jobId: number; destinationId: string };
  destination?: unknown;
}
interface Body {
  input: Item[];
  destType: string;
  destinations?: Record<string, unknown>;
  connections?: unknown;
}

const templates = buildTemplates();

t.test('every template renders to a router request, plain and compacted, with the same events', async (t) => {
  t.equal(templates.length, TEMPLATE_COUNT);
  t.ok(TEMPLATE_COUNT >= 64);
  for (const template of templates) {
    for (const counter of [0, 4242, 999_999]) {
      const plain = JSON.parse(template.render('plain', counter)) as Body;
      const compacted = JSON.parse(template.render('compacted', counter)) as Body;
      t.equal(plain.input.length, 100);
      t.strictSame(plain.input.filter((i) => !isDeepStrictEqual(i.destination, DESTINATION)), [], 'plain items carry the destination');
      t.same(compacted.destinations, { [DESTINATION.ID]: DESTINATION });
      t.same(compacted.connections, CONNECTIONS);
      t.equal(compacted.input.some((i) => 'destination' in i), false, 'compacted items do not');
      t.same(compacted.input, plain.input.map(({ message, metadata }) => ({ message, metadata })), 'same messages and metadata, in order');
      t.same(
        plain.input.map((i) => i.metadata.jobId),
        Array.from({ length: 100 }, (_, p) => jobIdOf(counter, p)),
        'jobIds follow from the counter',
      );
    }
  }
});

t.test('a third each identify, custom track and order completed', async (t) => {
  for (const template of templates.slice(0, 8)) {
    const { input } = JSON.parse(template.render('plain', 1)) as Body;
    const count = (f: (i: Item) => boolean) => input.filter(f).length;
    t.equal(count((i) => i.message.type === 'identify'), 34);
    t.equal(count((i) => i.message.type === 'track' && i.message.event === 'Order Completed'), 33);
    t.equal(count((i) => i.message.type === 'track' && i.message.event !== 'Order Completed'), 33);
    t.same(template.identifies, input.flatMap((i, p) => (i.message.type === 'identify' ? [p] : [])));
  }
});

t.test('the bytes sent under load are the rendered text', async (t) => {
  for (const template of templates) {
    for (const variant of ['compacted', 'plain'] as const) {
      for (const counter of [0, 64 + template.index, 999_999]) {
        if (!template.bytes(variant, counter).equals(Buffer.from(template.render(variant, counter)))) {
          t.fail(`template ${template.index} ${variant} ${counter}`);
        }
      }
    }
  }
  t.pass('all equal');
});

t.test('the counter picks the template and fills a fixed width', async (t) => {
  t.equal(counterText(42), '000042');
  t.equal(counterText(42).length, COUNTER_WIDTH);
  t.throws(() => counterText(10 ** COUNTER_WIDTH), RangeError);
  t.throws(() => counterText(-1), RangeError);
  t.equal(counterOfJobId(jobIdOf(123_456, 99)), 123_456);
  const first = JSON.parse(nextBody(templates, 'compacted').toString()) as Body;
  const second = JSON.parse(nextBody(templates, 'compacted').toString()) as Body;
  const c1 = counterOfJobId(first.input[0]!.metadata.jobId);
  t.equal(counterOfJobId(second.input[0]!.metadata.jobId), c1 + 1, 'each request takes the next counter');
  t.same(JSON.parse(templates[c1 % TEMPLATE_COUNT]!.render('compacted', c1)), first, 'from template counter % templates');
  t.throws(() => buildTemplate(0, 101), RangeError);
});

t.test('fixed bodies for quick measurements outside the bench', async (t) => {
  t.equal((JSON.parse(routerBody(10)) as Body).input.length, 10);
  t.equal((JSON.parse(compactedRouterBody()) as Body).input.length, 100);
  t.ok((JSON.parse(compactedRouterBody()) as Body).destinations);
});

t.test('the run counter only goes up', async (t) => {
  const before = countersTaken();
  const first = takeCounter();
  t.equal(takeCounter(), first + 1);
  t.equal(countersTaken(), before + 2);
});
