import type { StoredRecord } from '../schemas.js';
import { judgeRecord, type RecordRejection } from './ometria-rules.js';
import type { RejectionRuleSet } from './rejection-rules.js';

/** A push's records sorted into what would be stored and what would be rejected, in body order. */
export type PushVerdict = { readonly accepted: readonly StoredRecord[]; readonly rejected: readonly RecordRejection[] };

/**
 * Judges every record of a push without changing anything, so that a push the queue then refuses
 * leaves no trace: Ometria's rules first, then the mock's rejection rules on what passed them.
 * `isStored(id)` says whether a record of the push's @type with that id is already stored.
 */
export function judgeRecords(
  type: string,
  records: readonly StoredRecord[],
  isStored: (id: string) => boolean,
  rules: RejectionRuleSet,
): PushVerdict {
  const accepted: StoredRecord[] = [];
  const rejected: RecordRejection[] = [];
  // A record accepted earlier in this push is stored by the time a later one with its id is.
  const created = new Set<string>();
  for (const record of records) {
    const id = typeof record.id === 'string' ? record.id : '';
    const isNew = !isStored(id) && !created.has(id);
    const rejection = judgeRecord(type, record, isNew) ?? rules.match(type, record);
    if (rejection === undefined) {
      accepted.push(record);
      created.add(id);
    } else {
      rejected.push(rejection);
    }
  }
  return { accepted, rejected };
}
