/**
 * The erasure store could not be opened or checked at start-up. The message starts with the
 * variable to fix (`DELETION_STORE: …`) and says what failed; it never holds a password, so it can
 * be logged and printed as it is. The underlying error is folded into the message, not kept as
 * `cause`: a logger serialising `cause` would print whatever the driver put there.
 */
export class ErasureStoreError extends Error {
  override readonly name = 'ErasureStoreError';
  constructor(message: string) {
    super(`DELETION_STORE: ${message}`);
  }
}

/**
 * A caught value as one line: its code (EACCES, 28P01) unless the message says it already, and its
 * message, or its parts' (connecting to `localhost` tries ::1 and 127.0.0.1 and fails with an
 * AggregateError whose own message is empty).
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message !== '' || !(error instanceof AggregateError) ? error.message : error.errors.map(reasonOf).join('; ');
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
