import { createHash } from 'node:crypto';
import { isPlainObject, ownValue } from '../plain-object.js';

/** The attributes that name a person, in precedence order (SPEC §8 "Who"). */
const EMAIL_KEYS = ['email', 'Email', 'EMAIL'] as const;

/** One person of a job: everyone of `userAttributes` with the same address (lower-cased). */
export interface Person {
  /** The hex SHA-256 of the job id and the lower-cased address: all the store ever holds. */
  readonly hash: string;
  /** The trimmed address, as the job first gave it: held in memory only, never logged or answered. */
  readonly address: string;
  /** Where the job names them, for answers to the worker: `userAttributes[2] (userId "u3")`. */
  readonly names: readonly string[];
}

export interface JobPeople {
  readonly people: readonly Person[];
  /** Entries of `userAttributes` with no address, as answers name them. */
  readonly withoutEmail: readonly string[];
}

/** The hash a person is stored by: salted with the job id, so it matches nothing outside the job. */
export function personHash(jobId: string, address: string): string {
  return createHash('sha256').update(`${jobId}\n${address.toLowerCase()}`).digest('hex');
}

/** The fingerprint a key is stored by (its rate window): never the key. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function addressOf(attributes: unknown): string | undefined {
  if (!isPlainObject(attributes)) return undefined;
  for (const key of EMAIL_KEYS) {
    const value = ownValue(attributes, key);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** `userAttributes[2] (userId "u3")`: the userId only when it is a short string or number (it goes to the worker only). */
function nameOf(attributes: unknown, index: number): string {
  const userId = isPlainObject(attributes) ? ownValue(attributes, 'userId') : undefined;
  const shown = typeof userId === 'number' || (typeof userId === 'string' && userId !== '' && userId.length <= 200) ? ` (userId ${JSON.stringify(String(userId))})` : '';
  return `userAttributes[${index}]${shown}`;
}

/** The job's people, one per address compared lower-cased, and the entries that name nobody. */
export function peopleOf(jobId: string, userAttributes: readonly unknown[]): JobPeople {
  const byHash = new Map<string, { hash: string; address: string; names: string[] }>();
  const withoutEmail: string[] = [];
  userAttributes.forEach((attributes, index) => {
    const address = addressOf(attributes);
    if (address === undefined) {
      withoutEmail.push(nameOf(attributes, index));
      return;
    }
    const hash = personHash(jobId, address);
    const known = byHash.get(hash);
    if (known === undefined) byHash.set(hash, { hash, address, names: [nameOf(attributes, index)] });
    else known.names.push(nameOf(attributes, index));
  });
  return { people: [...byHash.values()], withoutEmail };
}
