import t from 'tap';
import { registerFormats } from '../../../schemas/formats.js';
import { transformOne } from '../../helpers/transform.js';

registerFormats();

// Errors say what to fix: the fixed text, then `: `, the field's path, the value as received when
// it is never personal data (times, currency codes, amounts, event names, types), and what would
// be valid. The table-driven fixtures hold every error text; these are the ones a sender meets
// first, and the rule that personal data never shows.

const PERSON = { email: 'ada.secret@example.com', phone: '+44 7911 123456', name: 'Ada Secret', id: 'user-secret-42' };

const order = (properties: Record<string, unknown>) => ({
  type: 'track',
  event: 'Order Completed',
  messageId: 'm-1',
  userId: PERSON.id,
  timestamp: '2024-03-01T12:00:00Z',
  context: { traits: { email: PERSON.email, phone: PERSON.phone, name: PERSON.name } },
  properties: { order_id: 'o-1', grand_total: 10, currency: 'GBP', ...properties },
});

const cases: { name: string; message: unknown; config?: Record<string, unknown>; error: string }[] = [
  {
    name: 'a timestamp that is not a real date and time: shown, with the form expected',
    message: { type: 'track', event: 'Signed Up', messageId: 'm-1', userId: PERSON.id, timestamp: '2024-13-01', context: { traits: { email: PERSON.email } } },
    error: 'Timestamp format must be ISO-8601: timestamp "2024-13-01" is not a real date and time (YYYY-MM-DDTHH:MM[:SS[.fff]], then Z, ±HH:MM or nothing)',
  },
  {
    name: 'a currency that is not ISO 4217: shown, with examples',
    message: order({ currency: 'usd1' }),
    error: 'Parameter currency should be only 3 characters and must follow format ISO 4217: properties.currency "usd1" is not an ISO 4217 currency code (such as GBP, EUR or USD)',
  },
  {
    name: 'an amount that is not a number: shown, with what a number is',
    message: order({ grand_total: '12,50' }),
    error: 'Parameter grand_total must be a number: properties.grand_total is "12,50"; send a number or a plain decimal string such as "12.50"',
  },
  {
    name: 'a phone number where an amount belongs is not shown',
    message: order({ grand_total: PERSON.phone }),
    error: 'Parameter grand_total must be a number: properties.grand_total is not a number; send a number or a plain decimal string such as "12.50"',
  },
  {
    name: 'an email where a currency belongs is not shown',
    message: order({ currency: PERSON.email }),
    error: 'Parameter currency should be only 3 characters and must follow format ISO 4217: properties.currency is not an ISO 4217 currency code (such as GBP, EUR or USD)',
  },
  {
    name: 'a missing API key: where it goes, never a key',
    message: { type: 'identify', traits: { email: PERSON.email, listingId: 'L1' } },
    config: {},
    error: 'Invalid Api Key: destination.Config.apiKey is missing',
  },
  {
    name: 'a blank API key',
    message: { type: 'identify', traits: { email: PERSON.email, listingId: 'L1' } },
    config: { apiKey: '   ' },
    error: 'Invalid Api Key: destination.Config.apiKey is blank',
  },
  {
    name: 'a missing listing id: where to set it and what it is (no value to show)',
    message: { type: 'identify', userId: PERSON.id, traits: { email: PERSON.email, phone: PERSON.phone, name: PERSON.name } },
    error:
      "Parameter listingId is required for identify: set integrations.Ometria.listingId, traits.listingId or context.traits.listingId (the contact's id in Ometria)",
  },
  {
    name: 'an event type that is not supported: what is',
    message: { type: 'Page', name: 'Home' },
    error: 'message type page is not supported: Ometria takes identify and track',
  },
  {
    name: 'a blank event name',
    message: { type: 'track', event: '  ', userId: PERSON.id },
    error: 'Event name is required for track call: event is blank',
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const { outcome } = transformOne(c.message, c.config ?? { apiKey: 'key-1' });
    t.equal(outcome.ok ? 'ok' : outcome.error.message, c.error);
  });
}

t.test('an email, phone, name or id never appears in an error, whichever field fails', async (t) => {
  const messages: unknown[] = [
    { type: 'identify', userId: PERSON.id, traits: { email: PERSON.email, phone: PERSON.phone, name: PERSON.name } },
    { type: 'identify', traits: { listingId: PERSON.id, phone: PERSON.phone, name: PERSON.name } },
    { type: 'track', event: 'Signed Up', userId: PERSON.id, messageId: PERSON.id, timestamp: PERSON.email, context: { traits: { email: PERSON.email } } },
    { type: 'track', event: 'Signed Up', messageId: 'm', timestamp: '2024-03-01T12:00:00Z', traits: { email: PERSON.email, phone: PERSON.phone } },
    order({ currency: PERSON.email }),
    order({ grand_total: PERSON.phone }),
    order({ order_id: undefined }),
    { ...order({}), userId: undefined, anonymousId: undefined },
    { ...order({}), context: { traits: { phone: PERSON.phone, name: PERSON.name } } },
    order({ timestamp: PERSON.phone }),
    order({ currency: PERSON.phone }),
    { type: 'track', event: { email: PERSON.email } },
  ];
  const errors = messages.map((message) => {
    const { outcome } = transformOne(message);
    return outcome.ok ? `ok: ${outcome.json}` : outcome.error.message;
  });
  t.strictSame(errors.filter((e) => e.startsWith('ok')), [], 'every message fails');
  // (`message type <type> is not supported` names the type it was given, as the error's fixed text does.)
  for (const [what, value] of Object.entries(PERSON)) {
    t.strictSame(errors.filter((e) => e.includes(value)), [], `no error shows the ${what}`);
  }
});
