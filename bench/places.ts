import type { Country } from './phone-numbers.js';

/** Where a bench person lives: what their events' locale, timezone, currency and address say. */
export interface Place {
  readonly weight: number;
  readonly locale: string;
  readonly timezone: string;
  readonly currency: string;
  readonly domain: string;
  readonly cities: readonly { readonly city: string; readonly postcode: string; readonly state?: string }[];
}

export const PLACES: Readonly<Record<Country, Place>> = {
  GB: {
    weight: 30,
    locale: 'en-GB',
    timezone: 'Europe/London',
    currency: 'GBP',
    domain: 'example.co.uk',
    cities: [
      { city: 'London', postcode: 'N1 9GU' },
      { city: 'Manchester', postcode: 'M1 1AE' },
      { city: 'Leeds', postcode: 'LS1 4AP' },
    ],
  },
  DE: {
    weight: 15,
    locale: 'de-DE',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    domain: 'example.de',
    cities: [
      { city: 'Berlin', postcode: '10115' },
      { city: 'München', postcode: '80331' },
      { city: 'Köln', postcode: '50667' },
    ],
  },
  FR: {
    weight: 15,
    locale: 'fr-FR',
    timezone: 'Europe/Paris',
    currency: 'EUR',
    domain: 'example.fr',
    cities: [
      { city: 'Paris', postcode: '75011' },
      { city: 'Lyon', postcode: '69002' },
      { city: 'Marseille', postcode: '13001' },
    ],
  },
  NL: {
    weight: 10,
    locale: 'nl-NL',
    timezone: 'Europe/Amsterdam',
    currency: 'EUR',
    domain: 'example.nl',
    cities: [
      { city: 'Amsterdam', postcode: '1012 AB' },
      { city: 'Rotterdam', postcode: '3011 AA' },
    ],
  },
  AU: {
    weight: 10,
    locale: 'en-AU',
    timezone: 'Australia/Sydney',
    currency: 'AUD',
    domain: 'example.com.au',
    cities: [
      { city: 'Sydney', postcode: '2000', state: 'NSW' },
      { city: 'Melbourne', postcode: '3000', state: 'VIC' },
    ],
  },
  US: {
    weight: 20,
    locale: 'en-US',
    timezone: 'America/New_York',
    currency: 'USD',
    domain: 'example.com',
    cities: [
      { city: 'New York', postcode: '10001', state: 'NY' },
      { city: 'San Francisco', postcode: '94103', state: 'CA' },
      { city: 'Chicago', postcode: '60601', state: 'IL' },
    ],
  },
};

export const COUNTRY_WEIGHTS = Object.fromEntries(Object.entries(PLACES).map(([c, p]) => [c, p.weight])) as Record<Country, number>;
