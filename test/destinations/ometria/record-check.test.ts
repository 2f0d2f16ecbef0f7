import t from 'tap';
import { checkOmetriaRecord } from '../../../src/destinations/ometria/record-check.js';
import { transformEvent } from '../../../src/core/transform/pipeline.js';
import { captureLogger, ometria, transformOne } from '../../helpers/transform.js';

t.test('a record that breaks Ometria’s schema is named by field', async (t) => {
  t.equal(checkOmetriaRecord('contact', { '@type': 'contact', id: 'L1', email: 'a@example.com' }), undefined);
  t.equal(
    checkOmetriaRecord('contact', { '@type': 'contact', id: 'L1', email: 'a@example.com', phone_number: '+44 7911' }),
    "Record does not fit Ometria's contact schema at /phone_number: Expected string to match 'e164' format",
  );
  t.match(checkOmetriaRecord('order', { '@type': 'order' }), /^Record does not fit Ometria's order schema at \/status: /);
  t.equal(checkOmetriaRecord('product', {}), 'Unknown Ometria record type product');
});

t.test('the pipeline turns a schema failure into a 400 for that event, never a 500', async (t) => {
  const broken = { ...ometria, handlers: { identify: () => ({ type: 'contact', record: { '@type': 'contact', id: 'L1' } }) } };
  const outcome = transformEvent(
    broken,
    { message: { type: 'identify' }, metadata: { jobId: 1 }, destination: { Config: { apiKey: 'k' } } },
    { log: captureLogger() },
  );
  t.match(outcome, { ok: false, error: { statusCode: 400, message: /Record does not fit Ometria's contact schema at \/email: /, internal: false } });
});

t.test('variant options are written in the key order id, type, label', async (t) => {
  const { outcome } = transformOne({
    type: 'track',
    event: 'Order Completed',
    userId: 'u-1',
    timestamp: '2024-03-01T12:34:56Z',
    context: { traits: { email: 'a@example.com' } },
    properties: {
      order_id: 'o-1',
      grand_total: 1,
      currency: 'GBP',
      products: [{ product_id: 'p', quantity: 1, unit_price: 1, variant_options: [{ label: 'M', type: 'size', id: 'sz' }] }],
    },
  });
  t.ok(outcome.ok);
  t.match(outcome.ok ? outcome.json : '', /"variant_options":\[\{"id":"sz","type":"size","label":"M"\}\]/);
});

t.test('every warning is logged once at warn with jobId and field path', async (t) => {
  const { outcome, log } = transformOne(
    { type: 'identify', userId: 'u-1', traits: { email: 'a@example.com', listingId: 'L1', phone: 'x', gender: 'q' } },
    { apiKey: 'k' },
    { jobId: 42, destinationId: 'd-1' },
  );
  t.equal(outcome.warnings.size, 2);
  t.strictSame(
    log.map((l) => [l.level, l.bindings]),
    [
      ['warn', { jobId: 42, destinationId: 'd-1', field: 'traits.phone' }],
      ['warn', { jobId: 42, destinationId: 'd-1', field: 'traits.gender' }],
    ],
  );
});
