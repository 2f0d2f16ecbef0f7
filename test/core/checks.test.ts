import t from 'tap';
import { toCurrency } from '../../src/core/engine/checks/currency.js';
import { isE164, phoneProblem, toE164 } from '../../src/core/engine/checks/e164.js';
import { toCountry } from '../../src/core/engine/checks/country.js';
import { toTimeZone } from '../../src/core/engine/checks/timezone.js';
import { isIsoDateTime } from '../../src/core/engine/checks/iso-date-time.js';
import { toOneOf } from '../../src/core/engine/checks/one-of.js';

t.test('ISO-8601 extended date-times (docs/MAPPING.md, "Checks")', async (t) => {
  const valid = [
    '2024-03-01T12:34',
    '2024-03-01T12:34:56',
    '2024-03-01T12:34:56Z',
    '2024-03-01T12:34:56.1Z',
    '2024-03-01T12:34:56.123456789+05:30',
    '2024-03-01T12:34:56+0530',
    '2024-03-01T12:34:56-08',
    '2024-02-29T00:00:00Z',
  ];
  const invalid = [
    '2024-03-01',
    '2024-03-01 12:34:56Z',
    '20240301T123456Z',
    '2024-W09-5T12:00:00Z',
    '2024-061T12:00:00Z',
    '2024-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2024-03-01T25:00:00Z',
    '2024-03-01T12:34:56z',
    '2024-03-01T12:34:56[Europe/London]',
    '2024-03-01T12:34:56 Z',
    ' 2024-03-01T12:34:56Z',
    'yesterday',
  ];
  for (const v of valid) t.ok(isIsoDateTime(v), `valid: ${v}`);
  for (const v of invalid) t.notOk(isIsoDateTime(v), `invalid: ${v}`);
});

t.test('phones: international, formatted, no letters; national ones read in a country (docs/MAPPING.md, "Checks")', async (t) => {
  t.equal(toE164('+447911123456', undefined), '+447911123456');
  t.equal(toE164(' +44 (0)7911 123-456 ', undefined), '+447911123456');
  t.equal(toE164('+1.415.555.2671', undefined), '+14155552671');
  t.equal(toE164('+33 6 12 34 56 78', 'GB'), '+33612345678', 'a + number ignores the country');
  t.equal(toE164('07911123456', undefined), undefined, 'national form without a country');
  t.equal(toE164('07911 123456', 'GB'), '+447911123456', 'national form in its country');
  t.equal(toE164('(415) 555-2671', 'US'), '+14155552671');
  t.equal(toE164('07700 900123', 'GB'), undefined, "Ofcom's drama range");
  t.equal(toE164('07911 123456', 'AQ'), undefined, 'no numbering plan');
  t.equal(toE164('+44 7911 123456 ext. 5', undefined), undefined, 'letters');
  t.equal(toE164('tel:+447911123456', undefined), undefined);
  t.equal(toE164('+44 1', undefined), undefined, 'too short to be valid');
  t.equal(toE164('+999 1234567', undefined), undefined, 'no such country');
  t.equal(phoneProblem('+44 1', 'GB'), 'not a valid phone number');
  t.equal(phoneProblem('07911 123456', undefined), "a national number and the contact's country is unknown");
  t.equal(phoneProblem('07911 123456', 'AQ'), 'no phone numbering plan for AQ');
  t.equal(phoneProblem('07700 900123', 'GB'), 'not a valid phone number');
  t.equal(phoneProblem('0791 ext 5', undefined), 'not a valid phone number', 'letters are never a national number');
  t.ok(isE164('+447911123456'));
  t.notOk(isE164('+44 7911 123456'), 'E.164 has no formatting');
});

t.test('currencies from the runtime ISO 4217 table', async (t) => {
  t.equal(toCurrency(' gbp '), 'GBP');
  t.equal(toCurrency('BYN'), 'BYN');
  t.equal(toCurrency('XXX1'), undefined);
  t.equal(toCurrency('ZZZ'), undefined);
  t.equal(toCurrency('£'), undefined);
});

t.test('oneOf: trimmed, folded, aliased', async (t) => {
  const values = { f: 'f', female: 'f' };
  t.equal(toOneOf(' Female\n', values, 'lower'), 'f');
  t.equal(toOneOf('FEMALE', values, undefined), undefined, 'no folding unless asked');
  t.equal(toOneOf(' f', values, undefined), undefined, 'no trimming unless asked');
  t.equal(toOneOf('toString', values, undefined), undefined, 'prototype keys are not values');
});

t.test('the ISO check gives luxon’s own fromISO verdict on every string of the extended shape', async (t) => {
  const { DateTime } = await import('luxon');
  const shape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
  const dates = ['2024-02-29', '2023-02-29', '2100-02-29', '2000-02-29', '2024-04-31', '2024-12-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01', '9999-12-31'];
  const times = ['00:00', '23:59', '24:00', '24:30', '25:00', '12:60', '12:34:56', '12:34:60', '23:59:59.999999', '24:00:00', '12:34:56.'];
  const zones = ['', 'Z', '+00:00', '-08:00', '+0530', '+05', '+99:99', '-24:00', '+14:60'];
  let compared = 0;
  for (const d of dates) {
    for (const time of times) {
      for (const z of zones) {
        const value = `${d}T${time}${z}`;
        const luxon = shape.test(value) && DateTime.fromISO(value, { setZone: true }).isValid;
        if (isIsoDateTime(value) !== luxon) t.fail(`${value}: ours ${isIsoDateTime(value)}, luxon ${luxon}`);
        compared++;
      }
    }
  }
  t.equal(compared, dates.length * times.length * zones.length);
});

t.test('luxon judges day and time of day apart: the split gives DateTime.utc’s verdict on every one', async (t) => {
  const { DateTime } = await import('luxon');
  const two = (n: number) => String(n).padStart(2, '0');
  let mismatches = 0;
  // Every time of day of the shape (each field 00–99), on a leap day.
  for (let h = 0; h < 100; h++) {
    for (let m = 0; m < 100; m++) {
      for (let s = 0; s < 100; s++) {
        const ours = isIsoDateTime(`2024-02-29T${two(h)}:${two(m)}:${two(s)}Z`);
        if (ours !== DateTime.utc(2024, 2, 29, h, m, s).isValid && mismatches++ < 10) t.fail(`time ${h}:${m}:${s}: ours ${ours}`);
      }
    }
  }
  // Every month and day field (00–99) of years around the leap-year rules, at 24:00 and at noon.
  for (const year of [0, 4, 100, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9999]) {
    for (let month = 0; month < 100; month++) {
      for (let day = 0; day < 100; day++) {
        for (const [hour, text] of [[24, '24:00'], [12, '12:00:59.5+01:00']] as const) {
          const ours = isIsoDateTime(`${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${text}`);
          const luxon = DateTime.utc(year, month, day, hour, 0, hour === 24 ? 0 : 59).isValid;
          if (ours !== luxon && mismatches++ < 10) t.fail(`date ${year}-${month}-${day}T${text}: ours ${ours}`);
        }
      }
    }
  }
  t.equal(mismatches, 0, 'no verdict differs');
});

t.test('countries: alpha-2 and alpha-3 in any case, UK, English names; never numeric codes or EU (docs/MAPPING.md, "Checks")', async (t) => {
  const cases: [string, string | undefined][] = [
    ['GB', 'GB'], ['gb', 'GB'], [' Gb ', 'GB'], ['GBR', 'GB'], ['deu', 'DE'], ['UK', 'GB'], [' uk ', 'GB'],
    ['United Kingdom', 'GB'], ['great britain', 'GB'], ['germany', 'DE'], ['United States of America', 'US'], ['USA', 'US'],
    ["Côte d'Ivoire", 'CI'], ['Narnia', undefined], ['826', undefined], ['EU', undefined], ['', undefined], ['ZZ', undefined], ['G', undefined],
  ];
  for (const [value, want] of cases) t.equal(toCountry(value), want, JSON.stringify(value));
});

t.test('time zones: IANA names as luxon judges them, written as received; offsets and GMT+n are not zones', async (t) => {
  for (const zone of ['Europe/London', 'America/New_York', 'UTC']) t.equal(toTimeZone(zone), zone);
  t.equal(toTimeZone('Europe/London'), 'Europe/London', 'a second time, from the memo');
  for (const bad of ['GMT+0100', '+05:30', 'Mars/Olympus', ' Europe/London', '']) t.equal(toTimeZone(bad), undefined, JSON.stringify(bad));
});
