/** The phones are valid or invalid as designed, for any counter, in several countries and shapes. */
import t from 'tap';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { checkPhones, sampleCounters } from '../../bench/phone-check.js';
import { buildTemplates } from '../../bench/templates.js';

const templates = buildTemplates();

t.test('libphonenumber-js/max agrees with the design, about 9 in 10 valid', async (t) => {
  const verdicts = checkPhones(templates, sampleCounters(4, 99));
  t.same(verdicts.wrong, []);
  const fraction = verdicts.valid / verdicts.checked;
  t.ok(fraction >= 0.85 && fraction <= 0.95, `valid fraction ${fraction.toFixed(3)}`);
});

t.test('valid phones span several countries, compact and formatted', async (t) => {
  const countries = new Set<string>();
  let compact = 0;
  let formatted = 0;
  let national = 0;
  for (const template of templates) {
    const { input } = JSON.parse(template.render('plain', 777)) as { input: { message: { traits?: { phone?: string } } }[] };
    for (const position of template.identifies) {
      const phone = input[position]!.message.traits!.phone!;
      const parsed = parsePhoneNumberFromString(phone);
      if (parsed?.isValid() === true) countries.add(parsed.country ?? '?');
      if (!phone.startsWith('+')) national += 1;
      else if (/^\+\d+$/.test(phone)) compact += 1;
      else formatted += 1;
    }
  }
  t.ok(countries.size >= 4, `countries: ${[...countries].join(', ')}`);
  t.ok(compact > 0 && formatted > 0 && national > 0, `compact ${compact}, formatted ${formatted}, national ${national}`);
});

t.test('a wrong design is reported', async (t) => {
  // Pretend every phone of template 0 is invalid by design: the valid ones are reported.
  const template = templates[0]!;
  const liar = { index: 0, identifies: template.identifies, invalidPhones: template.identifies, render: template.render.bind(template) };
  const verdicts = checkPhones([liar], [5]);
  t.ok(verdicts.wrong.length > 0);
  t.match(verdicts.wrong[0], /template 0, counter 5, event \d+: ".*" is valid, designed invalid/);
});
