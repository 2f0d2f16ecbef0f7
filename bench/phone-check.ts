import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Template } from './templates.js';

/** libphonenumber-js/max's verdict on every identify phone of the templates, against the design. */
export interface PhoneVerdicts {
  readonly checked: number;
  readonly valid: number;
  /** Phones whose verdict is not the designed one (empty when the design holds). */
  readonly wrong: readonly string[];
}

interface Body {
  input: { message: { traits?: { phone?: unknown } } }[];
}

export function checkPhones(
  templates: readonly Pick<Template, 'index' | 'identifies' | 'invalidPhones' | 'render'>[],
  counters: readonly number[],
): PhoneVerdicts {
  let checked = 0;
  let valid = 0;
  const wrong: string[] = [];
  for (const template of templates) {
    const invalid = new Set(template.invalidPhones);
    for (const counter of counters) {
      const { input } = JSON.parse(template.render('plain', counter)) as Body;
      for (const position of template.identifies) {
        const phone = input[position]?.message.traits?.phone;
        const isValid = typeof phone === 'string' && parsePhoneNumberFromString(phone)?.isValid() === true;
        checked += 1;
        if (isValid) valid += 1;
        if (isValid === invalid.has(position)) {
          wrong.push(`template ${template.index}, counter ${counter}, event ${position}: ${JSON.stringify(phone)} is ${isValid ? 'valid' : 'invalid'}, designed ${isValid ? 'invalid' : 'valid'}`);
        }
      }
    }
  }
  return { checked, valid, wrong };
}

/** Counters to check: both ends of the range and some drawn in between. */
export function sampleCounters(count: number, seed = 7): number[] {
  const picks = [0, 999_999];
  let state = seed;
  while (picks.length < count) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    picks.push(state % 1_000_000);
  }
  return picks;
}
