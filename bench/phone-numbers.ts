import { COUNTER_TOKEN, COUNTER_WIDTH } from './counter.js';
import type { Draw } from './draw.js';

/**
 * Phones for the bench's identify events. A phone is a country code, fixed national digits (a
 * range lead plus a few digits drawn per template) and then the request counter, so it changes
 * with every request. Valid ranges are mobile ranges in which every choice of the trailing digits
 * is a valid number for libphonenumber-js/max; invalid ones are invalid for every choice (a range
 * no number type has, a wrong length, or no country code at all). bench/phone-check.ts verifies
 * this for sampled counters.
 */
export type Country = 'GB' | 'DE' | 'FR' | 'NL' | 'AU' | 'US';

interface Ranges {
  readonly code: string;
  /** Digits of the national number. */
  readonly length: number;
  readonly leads: readonly string[];
  /** Leads of invalid numbers, each with its national length (a wrong one for some). */
  readonly bad: readonly { readonly leads: readonly string[]; readonly length: number }[];
  /** Written before the national number in national format: no country code, so never valid. */
  readonly trunk: string;
}

const US_AREAS = ['212', '415', '646', '312', '617', '206'];

const RANGES: Readonly<Record<Country, Ranges>> = {
  // 7[1-3]xx and 74[0-46-9]x, then six digits: mobile.
  GB: {
    code: '44',
    length: 10,
    leads: ['740', '741', '742', '743', '746', '747', '748', '749', '71', '72', '73'],
    bad: [{ leads: ['740', '741', '71'], length: 11 }],
    trunk: '0',
  },
  // 15[0-25-9]xx, 16[023]xx and 17xxx, then six digits: mobile (11 digits); 9 digits is too short.
  DE: {
    code: '49',
    length: 11,
    leads: ['151', '152', '157', '160', '162', '170', '171', '172', '176', '177', '178', '179'],
    bad: [{ leads: ['151', '152', '157'], length: 9 }],
    trunk: '0',
  },
  // 6[0-24-8]x and 7[3-9]x: mobile; 69[0-467] and 639 are no number type.
  FR: {
    code: '33',
    length: 9,
    leads: ['60', '61', '62', '64', '65', '66', '67', '68', '73', '75', '76', '77', '78'],
    bad: [{ leads: ['690', '691', '692', '693', '694', '696', '697', '639'], length: 9 }],
    trunk: '0',
  },
  // 6[1-58]: mobile; 60, 67, 69 are none (66 would be a pager).
  NL: { code: '31', length: 9, leads: ['61', '62', '63', '64', '65', '68'], bad: [{ leads: ['60', '67', '69'], length: 9 }], trunk: '0' },
  // 4[0-36]x: mobile; 44[1-356] is none.
  AU: {
    code: '61',
    length: 9,
    leads: ['40', '41', '42', '43', '46'],
    bad: [{ leads: ['441', '442', '443', '445', '446'], length: 9 }],
    trunk: '0',
  },
  // An area code, then an exchange starting 2–9; one starting 0 or 1 is never valid.
  US: {
    code: '1',
    length: 10,
    leads: US_AREAS.flatMap((area) => [...'23456789'].map((d) => area + d)),
    bad: [{ leads: US_AREAS.flatMap((area) => [area + '0', area + '1']), length: 10 }],
    trunk: '',
  },
};

export const COUNTRIES = Object.keys(RANGES) as Country[];

type Style = 'compact' | 'spaced' | 'dashed' | 'parens' | 'trunk';
const STYLES: Readonly<Record<Style, number>> = { compact: 40, spaced: 25, dashed: 15, parens: 15, trunk: 5 };

function international(style: Style, code: string, fixed: string, country: Country): string {
  // A US number is spaced after its area code; the others after their fixed digits.
  const [head, tail] = country === 'US' ? [fixed.slice(0, 3), fixed.slice(3)] : [fixed, ''];
  switch (style) {
    case 'compact':
      return `+${code}${fixed}${COUNTER_TOKEN}`;
    case 'spaced':
      return `+${code} ${head} ${tail}${COUNTER_TOKEN}`;
    case 'dashed':
      return `+${code}-${head}-${tail}${COUNTER_TOKEN}`;
    case 'parens':
      return `+${code} (${fixed.slice(0, 3)}) ${fixed.slice(3)}${COUNTER_TOKEN}`;
    case 'trunk':
      // "+44 (0)7400 …" is how UK numbers are often written; elsewhere it is just spaced.
      return country === 'GB' ? `+${code} (0)${fixed} ${COUNTER_TOKEN}` : `+${code} ${head} ${tail}${COUNTER_TOKEN}`;
  }
}

function national(ranges: Ranges, fixed: string): string {
  return ranges.trunk === '' ? `(${fixed.slice(0, 3)}) ${fixed.slice(3)}${COUNTER_TOKEN}` : `${ranges.trunk}${fixed} ${COUNTER_TOKEN}`;
}

export interface PhoneDesign {
  /** The phone text, with the counter token where the request counter goes. */
  readonly text: string;
  readonly valid: boolean;
  readonly country: Country;
}

/** The phones of one template: no two share their fixed digits, so no two are equal in a request. */
export class PhoneBook {
  readonly #draw: Draw;
  readonly #used = new Set<string>();

  constructor(draw: Draw) {
    this.#draw = draw;
  }

  phone(country: Country, valid: boolean): PhoneDesign {
    const ranges = RANGES[country];
    // Half the invalid phones are from a bad range, half a good number in national format.
    const badRange = !valid && this.#draw.chance(0.5);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const { lead, length } = badRange
        ? ((bad) => ({ lead: this.#draw.pick(bad.leads), length: bad.length }))(this.#draw.pick(ranges.bad))
        : { lead: this.#draw.pick(ranges.leads), length: ranges.length };
      const fixed = lead + this.#draw.digits(length - COUNTER_WIDTH - lead.length);
      const key = `${ranges.code}:${fixed}`;
      if (this.#used.has(key)) continue;
      this.#used.add(key);
      const text = valid || badRange ? international(this.#draw.weighted(STYLES), ranges.code, fixed, country) : national(ranges, fixed);
      return { text, valid, country };
    }
    throw new Error(`no unused ${country} phone range left in this template`);
  }
}
