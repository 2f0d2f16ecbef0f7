import { createRequire } from 'node:module';
// The package's Node entry registers all 78 locales (8 MiB resident); English is the one read here.
import countries from 'i18n-iso-countries/index.js';

countries.registerLocale(createRequire(import.meta.url)('i18n-iso-countries/langs/en.json') as countries.LocaleData);

/**
 * Countries (docs/MAPPING.md, "Checks"): an ISO 3166-1 alpha-2 or alpha-3 code in any case, or an
 * English name as i18n-iso-countries lists it (every variant: `United Kingdom`, `UK`, `Great
 * Britain`), after trimming; written as the alpha-2 code. One look-up map, made once from the
 * library's code tables and names, so a value costs one trimmed, case-folded look-up. Never
 * `toAlpha2`: it reads numeric codes (`826`) and returns unknown two-letter values unchanged.
 */
const BY_TEXT: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const add = (text: string, alpha2: string): void => {
    const key = text.toLowerCase();
    // Codes first, then names in the library's order: the first holder of a spelling keeps it,
    // as getAlpha2Code answers (`Congo` is CG).
    if (!map.has(key)) map.set(key, alpha2);
  };
  for (const [alpha2, alpha3] of Object.entries(countries.getAlpha2Codes())) {
    add(alpha2, alpha2);
    add(alpha3, alpha2);
  }
  for (const [alpha2, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    for (const name of names) add(name, alpha2);
  }
  return map;
})();

/** The alpha-2 code (upper case) of a country value, else undefined. */
export function toCountry(value: string): string | undefined {
  return BY_TEXT.get(value.trim().toLowerCase());
}
