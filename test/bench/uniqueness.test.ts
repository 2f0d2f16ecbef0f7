/** Every request is different: no id, email, listing id, phone or order id repeats across requests. */
import t from 'tap';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { buildTemplates } from '../../bench/templates.js';

interface Message {
  messageId: string;
  anonymousId: string;
  userId: string;
  rudderId: string;
  context: { traits: { email: string } };
  traits?: { email: string; listingId: string; phone: string };
  properties?: { order_id?: string };
}

const templates = buildTemplates();
const REQUESTS = 500;

t.test(`${REQUESTS} consecutive requests repeat no id, email, listing id, phone or order id`, async (t) => {
  const seen: Record<string, Set<string>> = {};
  const repeats: string[] = [];
  const add = (kind: string, value: string | undefined) => {
    if (value === undefined) return;
    const set = (seen[kind] ??= new Set());
    if (set.has(value)) repeats.push(`${kind} ${value}`);
    set.add(value);
  };
  const start = 31_337;
  for (let counter = start; counter < start + REQUESTS; counter++) {
    const { input } = JSON.parse(templates[counter % templates.length]!.render('compacted', counter)) as {
      input: { message: Message; metadata: { jobId: number; userId: string } }[];
    };
    for (const { message, metadata } of input) {
      add('messageId', message.messageId);
      add('anonymousId', message.anonymousId);
      add('rudderId', message.rudderId);
      add('userId', message.userId);
      add('jobId', String(metadata.jobId));
      add('email', message.context.traits.email);
      add('listingId', message.traits?.listingId);
      add('orderId', message.properties?.order_id);
      const phone = message.traits?.phone;
      if (phone !== undefined) {
        // The same number written two ways is a repeat too: compare E.164 when it parses.
        add('phone', parsePhoneNumberFromString(phone)?.number ?? phone.replace(/\D/g, ''));
      }
    }
  }
  t.same(repeats.slice(0, 10), [], 'no repeats');
  t.equal(seen.messageId?.size, REQUESTS * 100);
  t.equal(seen.orderId?.size, REQUESTS * 33);
  t.ok((seen.phone?.size ?? 0) >= REQUESTS * 30, 'every identify carries a phone');
});
