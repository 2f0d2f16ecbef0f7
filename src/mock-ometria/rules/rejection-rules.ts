import type { RejectionRules, RejectionRulesUpdate, StoredRecord } from '../schemas.js';
import { errorPath, recordIdOf, valueAt, type RecordRejection } from './ometria-rules.js';

// Where each @type keeps the email of its contact (products have none).
const EMAIL_PATHS = new Map<string, readonly string[]>([
  ['contact', ['email']],
  ['custom_event', ['identity_email']],
  ['order', ['customer', 'email']],
]);

/** The compiled pattern, or a RangeError naming `emailPattern` when it is not a regular expression. */
function compileEmailPattern(pattern: string): RegExp {
  try {
    // No flags: a global or sticky expression would carry lastIndex from one record to the next.
    return new RegExp(pattern);
  } catch (error) {
    throw new RangeError(`emailPattern is not a valid regular expression: ${(error as Error).message}`);
  }
}

/** Full rules from a partial one: omitted ones are off, ids deduplicated. Throws when unusable. */
export function resolveRejections(update: RejectionRulesUpdate = {}): RejectionRules {
  const { emailPattern } = update;
  if (emailPattern !== undefined) compileEmailPattern(emailPattern);
  return { ids: [...new Set(update.ids ?? [])], ...(emailPattern === undefined ? {} : { emailPattern }) };
}

interface Compiled {
  readonly rules: RejectionRules;
  readonly ids: ReadonlySet<string>;
  readonly email: RegExp | undefined;
}

function compile(rules: RejectionRules): Compiled {
  const email = rules.emailPattern === undefined ? undefined : compileEmailPattern(rules.emailPattern);
  return { rules, ids: new Set(rules.ids), email };
}

/** Makes chosen, otherwise valid records rejected, so tests can see how the service copes. */
export class RejectionRuleSet {
  #current: Compiled;

  constructor(rules: RejectionRules) {
    this.#current = compile(rules);
  }

  get rules(): RejectionRules {
    return this.#current.rules;
  }

  replace(rules: RejectionRules): void {
    this.#current = compile(rules);
  }

  /** Why a rule rejects this record; the message names the rule, never the email or the pattern. */
  match(type: string, record: StoredRecord): RecordRejection | undefined {
    const { ids, email } = this.#current;
    if (typeof record.id === 'string' && ids.has(record.id)) {
      return { error_message: `Record rejected by the mock's rejection rule (id ${record.id})`, error_path: 'root > id', record_id: record.id };
    }
    const path = EMAIL_PATHS.get(type);
    if (email === undefined || path === undefined) return undefined;
    const value = valueAt(record, path);
    if (typeof value !== 'string' || !email.test(value)) return undefined;
    return { error_message: "Record rejected by the mock's rejection rule (emailPattern)", error_path: errorPath(path), ...recordIdOf(record) };
  }
}
