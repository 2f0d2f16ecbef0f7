import type { DeleteUsersResult } from '../../../schemas/rudder/delete-users.js';
import type { PersonEntry } from './person-entry.js';

/** Where a job stands when its call answers. */
export interface JobProgress {
  /** People with an address (one per address). */
  readonly total: number;
  readonly accepted: number;
  readonly waiting: readonly PersonEntry[];
  readonly keyRefused: boolean;
  /** Entries with no address, as answers name them. */
  readonly withoutEmail: readonly string[];
  /** People the destination refused, by their names in the job and its status. */
  readonly personRefused: readonly { readonly names: readonly string[]; readonly status: number }[];
}

export const SUCCESS: DeleteUsersResult = { statusCode: 200, status: 'successful' };

export const failure = (statusCode: number, error: string): DeleteUsersResult => ({ statusCode, error });

function people(count: number): string {
  return count === 1 ? '1 person' : `${count} people`;
}

function reasonOf(entry: PersonEntry, destination: string): string {
  switch (entry.reason) {
    case 'rate':
      return `for ${destination}'s rate limit`;
    case 'elsewhere':
      return 'being sent by another process';
    case 'retry':
      return `to retry after ${entry.failure}`;
    case 'answer':
      return `for ${destination}'s answer`;
  }
}

/** "3 of 10 people sent to Ometria; 7 waiting for Ometria's rate limit" (each reason counted when there are several). */
export function progressText(progress: JobProgress, destination: string): string {
  const done = `${progress.accepted} of ${people(progress.total)} sent to ${destination}`;
  if (progress.waiting.length === 0) return done;
  const reasons = new Map<string, number>();
  for (const entry of progress.waiting) {
    const reason = reasonOf(entry, destination);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const [only] = reasons.keys();
  if (reasons.size === 1) return `${done}; ${progress.waiting.length} waiting ${only as string}`;
  return `${done}; ${progress.waiting.length} waiting: ${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}`;
}

/**
 * The job's answer in SPEC §8's order of precedence: the key refused (403), people the job does
 * not name by email or the destination refused (400), people still waiting (500), else 200.
 * Addresses never appear; the job's own userIds do (they go to the worker only).
 */
export function answerOf(progress: JobProgress, destination: string): DeleteUsersResult {
  if (progress.keyRefused) return failure(403, `${destination} refused the API key`);
  const problems: string[] = [];
  if (progress.withoutEmail.length > 0) {
    problems.push(`No email (email, Email or EMAIL, a non-empty string) for ${progress.withoutEmail.join(', ')}`);
  }
  for (const refused of progress.personRefused) {
    problems.push(`${destination} refused the erasure of ${refused.names.join(', ')} (HTTP ${refused.status})`);
  }
  // Progress only when the job names someone by email.
  if (problems.length > 0) return failure(400, [...problems, ...(progress.total === 0 ? [] : [progressText(progress, destination)])].join('; '));
  if (progress.waiting.length > 0) return failure(500, progressText(progress, destination));
  return SUCCESS;
}
