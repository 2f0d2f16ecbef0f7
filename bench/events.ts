import { COUNTER_TOKEN } from './counter.js';
import type { Draw } from './draw.js';
import type { PhoneBook, PhoneDesign } from './phone-numbers.js';
import { COUNTRY_WEIGHTS, PLACES } from './places.js';

/**
 * One event of a template, as a JavaScript SDK sends it through rudder-server. Every id (message,
 * anonymous, user, listing, order), the email and the phone carry the counter token and the
 * event's position, so they differ between the events of a request and between requests.
 */
export type EventKind = 'identify' | 'track' | 'order';

const FIRST = ['Ada', 'Grace', 'Alan', 'Zoë', 'José', 'Søren', 'Chloé', 'Jürgen', 'Priya', 'Liam', 'Mei', 'Olivia', 'Noah', 'Fatima'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Müller', 'García', "O'Brien", 'Dubois', 'de Vries', 'Nguyen', 'Smith', 'Kowalski', 'Rossi'];
const EVENTS = ['Product Viewed', 'Product Added', 'Wishlist Added', 'Checkout Started', 'Newsletter Subscribed', 'Signed Up'];
const CATEGORIES = ['shoes', 'jackets', 'bags', 'knitwear', 'accessories'];
const PRODUCTS = ['Trail runner', 'Merino jumper', 'Canvas tote', 'Rain jacket', 'Leather belt', 'Wool scarf'];
const COLOURS = ['Navy', 'Black', 'Olive', 'Sand', 'Burgundy'];
const PLANS = ['free', 'plus', 'premium'];
const GENDERS = ['female', 'male', 'F', 'M', 'other'];
const COUPONS = ['SPRING10', 'WELCOME', 'FREESHIP', 'VIP20'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
];

export interface TemplateEvent {
  readonly message: Record<string, unknown>;
  readonly userId: string;
  readonly receivedAt: string;
  /** The phone of an identify event. */
  readonly phone?: PhoneDesign;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const ascii = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** A UUID whose last group is the counter and the event's position, so it never repeats. */
function uuid(draw: Draw, position: number): string {
  return `${draw.hex(8)}-${draw.hex(4)}-4${draw.hex(3)}-${draw.pick(['8', '9', 'a', 'b'])}${draw.hex(3)}-${COUNTER_TOKEN}${pad(position)}${draw.hex(4)}`;
}

/** An ISO time `ms` after `base`, written in one of the shapes SDKs send. */
function isoTime(base: number, ms: number, shape: number): string {
  const text = new Date(base + ms).toISOString();
  if (shape === 1) return text.replace(/\.\d{3}Z$/, 'Z');
  if (shape === 2) return text.replace(/Z$/, '+00:00');
  return text;
}

export function templateEvent(draw: Draw, phones: PhoneBook, kind: EventKind, position: number, base: number): TemplateEvent {
  const country = draw.weighted(COUNTRY_WEIGHTS);
  const place = PLACES[country];
  const first = draw.pick(FIRST);
  const last = draw.pick(LAST);
  const email = `${ascii(first)}.${ascii(last)}.${COUNTER_TOKEN}${pad(position)}@${place.domain}`;
  const userId = `usr_${COUNTER_TOKEN}${pad(position)}${draw.hex(6)}`;
  const at = position * 997 + draw.int(0, 500);
  const originalTimestamp = isoTime(base, at, 0);
  const receivedAt = isoTime(base, at + 180, 0);
  const page = `/${draw.pick(CATEGORIES)}/${draw.int(1000, 9999)}`;
  const message: Record<string, unknown> = {
    anonymousId: uuid(draw, position),
    channel: 'web',
    context: {
      app: { build: '1.0.0', name: 'RudderLabs JavaScript SDK', namespace: 'com.rudderlabs.javascript', version: '3.11.1' },
      ip: `81.2.${draw.int(0, 255)}.${draw.int(1, 254)}`,
      library: { name: 'RudderLabs JavaScript SDK', version: '3.11.1' },
      locale: place.locale,
      os: { name: '', version: '' },
      page: { path: page, referrer: 'https://www.google.com/', search: '', title: 'Shop', url: `https://shop.example.com${page}` },
      screen: { density: draw.pick([1, 2, 3]), width: draw.pick([390, 1440, 1920]), height: draw.pick([844, 900, 1080]) },
      timezone: place.timezone,
      traits: { email },
      userAgent: draw.pick(AGENTS),
    },
    integrations: { All: true },
    messageId: uuid(draw, position),
    originalTimestamp,
    receivedAt,
    request_ip: `81.2.${draw.int(0, 255)}.${draw.int(1, 254)}`,
    rudderId: uuid(draw, position),
    sentAt: isoTime(base, at + 40, 0),
    timestamp: originalTimestamp,
    userId,
  };
  switch (kind) {
    case 'identify': {
      const phone = phones.phone(country, !draw.chance(0.1));
      message.type = 'identify';
      message.traits = {
        email,
        listingId: `lst_${COUNTER_TOKEN}${pad(position)}`,
        firstName: first,
        lastName: last,
        phone: phone.text,
        gender: draw.pick(GENDERS),
        createdAt: isoTime(Date.UTC(2019, 0, 1), draw.int(0, 5 * 365 * 86_400_000), draw.int(0, 2)),
        plan: draw.pick(PLANS),
        loyaltyPoints: draw.int(0, 5000),
      };
      return { message, userId, receivedAt, phone };
    }
    case 'track': {
      message.type = 'track';
      message.event = draw.pick(EVENTS);
      message.properties = {
        product_id: `prod-${draw.int(100, 9999)}`,
        sku: `SKU-${draw.int(10000, 99999)}`,
        name: draw.pick(PRODUCTS),
        category: draw.pick(CATEGORIES),
        price: draw.price(5, 250),
        currency: place.currency,
        url: `https://shop.example.com${page}`,
      };
      return { message, userId, receivedAt };
    }
    case 'order': {
      const products = Array.from({ length: draw.int(1, 3) }, () => {
        const quantity = draw.int(1, 3);
        return {
          product_id: `prod-${draw.int(100, 9999)}`,
          variant_id: `var-${draw.int(10000, 99999)}`,
          sku: `SKU-${draw.int(10000, 99999)}`,
          name: draw.pick(PRODUCTS),
          quantity,
          unit_price: draw.price(5, 250),
          variant_options: [
            { id: 'size', type: 'size', label: String(draw.int(36, 46)) },
            { id: 'colour', type: 'colour', label: draw.pick(COLOURS) },
          ],
        };
      });
      const subtotal = Math.round(products.reduce((sum, p) => sum + p.quantity * p.unit_price, 0) * 100) / 100;
      const shipping = draw.pick([0, 3.95, 4.95, 7.5]);
      const where = draw.pick(place.cities);
      message.type = 'track';
      message.event = 'Order Completed';
      message.properties = {
        order_id: `ord_${COUNTER_TOKEN}_${pad(position)}`,
        grand_total: Math.round((subtotal + shipping) * 100) / 100,
        subtotal,
        shipping,
        currency: place.currency,
        coupon_code: draw.pick(COUPONS),
        shipping_address: { city: where.city, ...(where.state === undefined ? {} : { state: where.state }), country_code: country, postcode: where.postcode },
        products,
      };
      return { message, userId, receivedAt };
    }
  }
}
