import t from 'tap';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { registerFormats } from '../../../schemas/formats.js';
import { MappingCaseSchema, type MappingCase } from '../../fixtures/mapping-case.js';
import { CONTACT_CASES } from '../../fixtures/ometria/contact-cases.js';
import { CUSTOM_EVENT_CASES } from '../../fixtures/ometria/custom-event-cases.js';
import { ORDER_CASES } from '../../fixtures/ometria/order-cases.js';
import { MESSAGE_CASES } from '../../fixtures/ometria/message-cases.js';
import { transformOne } from '../../helpers/transform.js';

registerFormats();
const caseCheck = TypeCompiler.Compile(MappingCaseSchema);

function run(group: string, cases: readonly MappingCase[]): void {
  t.test(group, async (t) => {
    const names = new Set<string>();
    for (const c of cases) {
      t.test(`${c.name} (${c.covers})`, async (t) => {
        t.notOk(names.has(c.name), 'case names are unique');
        names.add(c.name);
        t.ok(caseCheck.Check(c), `fixture fits MappingCaseSchema: ${caseCheck.Errors(c).First()?.path ?? ''} ${caseCheck.Errors(c).First()?.message ?? ''}`);
        const { outcome } = transformOne(c.message, c.config);
        if ('record' in c.expect) {
          if (!outcome.ok) {
            t.fail(`expected a record, got ${outcome.error.statusCode} ${outcome.error.message}`);
            return;
          }
          t.strictSame(JSON.parse(outcome.json), c.expect.record, 'record');
          if (c.expect.warnings !== undefined) {
            t.strictSame(outcome.warnings.list.map((w) => w.path), c.expect.warnings, 'warning paths');
          }
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
run('track → custom_event (docs/MAPPING.md, "custom_event (track)")', CUSTOM_EVENT_CASES);
run('track → order (docs/MAPPING.md, "order (track with an order event)")', ORDER_CASES);
