import t from 'tap';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { registerFormats } from '../../../schemas/formats.js';
import { OrderUpdateSchema } from '../../../schemas/ometria/order.js';
import { toCountry } from '../../../src/core/engine/checks/country.js';
import type { DestinationDefinition } from '../../../src/core/destination.js';
import { transformEvent, type EventOutcome } from '../../../src/core/transform/pipeline.js';
import { createOmetria } from '../../../src/destinations/ometria/definition.js';
import { MappingCaseSchema, type MappingCase } from '../../fixtures/mapping-case.js';
import { CONTACT_CASES } from '../../fixtures/ometria/contact-cases.js';
import { CUSTOM_EVENT_CASES } from '../../fixtures/ometria/custom-event-cases.js';
import { ORDER_CASES } from '../../fixtures/ometria/order-cases.js';
import { ORDER_UPDATE_CASES } from '../../fixtures/ometria/order-update-cases.js';
import { MESSAGE_CASES } from '../../fixtures/ometria/message-cases.js';
import { NATIONAL_PHONE_CASES } from '../../fixtures/ometria/phone-cases.js';
import { COUNTRY_CASES } from '../../fixtures/ometria/country-cases.js';
import { captureLogger, ometria, type CapturedLog } from '../../helpers/transform.js';

registerFormats();
const caseCheck = TypeCompiler.Compile(MappingCaseSchema);
const updateCheck = TypeCompiler.Compile(OrderUpdateSchema);

const API_URL = 'https://api.ometria.com';
const definitions = new Map<string, DestinationDefinition>();

/**
 * The destination as the service builds it with these settings (src/destinations/index.ts):
 * PHONE_DEFAULT_COUNTRY read like a country; one that is not a country would stop the service.
 */
function definitionFor(settings: MappingCase['settings']): DestinationDefinition {
  const raw = settings?.phoneDefaultCountry;
  if (raw === undefined) return ometria;
  const phoneDefaultCountry = toCountry(raw);
  if (phoneDefaultCountry === undefined) throw new Error(`settings.phoneDefaultCountry ${JSON.stringify(raw)} is not a country`);
  let def = definitions.get(phoneDefaultCountry);
  if (def === undefined) {
    def = createOmetria({ apiUrl: API_URL, phoneDefaultCountry });
    definitions.set(phoneDefaultCountry, def);
  }
  return def;
}

/** Runs one message through the Ometria pipeline as transformOne (test/helpers/transform.ts) does, with the case's settings. */
function transformCase(c: MappingCase): { outcome: EventOutcome; log: CapturedLog[] } {
  const logger = captureLogger();
  const outcome = transformEvent(
    definitionFor(c.settings),
    {
      message: c.message,
      metadata: { jobId: 1, destinationId: 'dest-1', workspaceId: 'ws-1' },
      destination: { ID: 'dest-1', Config: c.config ?? { apiKey: 'key-1' } },
    },
    { log: logger },
  );
  return { outcome, log: logger.entries };
}

function run(group: string, cases: readonly MappingCase[]): void {
  t.test(group, async (t) => {
    const names = new Set<string>();
    for (const c of cases) {
      t.test(`${c.name} (${c.covers})`, async (t) => {
        t.notOk(names.has(c.name), 'case names are unique');
        names.add(c.name);
        t.ok(caseCheck.Check(c), `fixture fits MappingCaseSchema: ${caseCheck.Errors(c).First()?.path ?? ''} ${caseCheck.Errors(c).First()?.message ?? ''}`);
        const { outcome, log } = transformCase(c);
        if ('record' in c.expect) {
          if (!outcome.ok) {
            t.fail(`expected a record, got ${outcome.error.statusCode} ${outcome.error.message}`);
            return;
          }
          const { record } = c.expect;
          t.strictSame(JSON.parse(outcome.json), record, 'record');
          if (c.expect.keyOrder ?? updateCheck.Check(record)) t.equal(outcome.json, JSON.stringify(record), 'record JSON, key order included');
          const { list } = outcome.warnings;
          const warningTexts = list.map((w) => `${w.path}: ${w.reason}`);
          if (c.expect.warnings !== undefined) t.strictSame(list.map((w) => w.path), c.expect.warnings, 'warning paths');
          if (c.expect.warningTexts !== undefined) t.strictSame(warningTexts, c.expect.warningTexts, 'warning texts');
          // texts() is every warning, then every note.
          const texts = outcome.warnings.texts();
          t.strictSame(texts.slice(0, list.length), warningTexts, 'explain texts start with the warnings');
          if (c.expect.notes !== undefined) t.strictSame(texts.slice(list.length), c.expect.notes, 'notes');
          // Warnings are logged once each; notes never are.
          t.strictSame(
            log.map((entry) => entry.message),
            warningTexts,
            'logged: the warnings, and nothing else',
          );
        } else {
          if (outcome.ok) {
            t.fail(`expected error ${c.expect.error}, got record ${outcome.json}`);
            return;
          }
          t.equal(outcome.error.statusCode, c.expect.status, 'status');
          t.equal(outcome.error.message, c.expect.error, 'error text');
          if (c.expect.errorType !== undefined) t.equal(outcome.error.classTags.errorType, c.expect.errorType, 'errorType');
        }
      });
    }
  });
}

run('message checks (docs/MAPPING.md, "Errors")', MESSAGE_CASES);
run('identify → contact (docs/MAPPING.md, "contact (identify)")', CONTACT_CASES);
run('identify → contact: national phones (docs/MAPPING.md, "Checks": phones; DIFFERENCES 21)', NATIONAL_PHONE_CASES);
run('countries: contact country_id and order addresses (docs/MAPPING.md, "Checks": countries; DIFFERENCES 22)', COUNTRY_CASES);
run('track → custom_event (docs/MAPPING.md, "custom_event (track)")', CUSTOM_EVENT_CASES);
run('track → order (docs/MAPPING.md, "order (track with an order event)")', ORDER_CASES);
run('track → order update (docs/MAPPING.md, "Order updates"; DIFFERENCES 18, 24)', ORDER_UPDATE_CASES);
