/** How an X-Ometria-Auth header fares: the answer never needs (or shows) the key itself. */
export type AuthOutcome = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly reason: string };

/** The key a request presents, trimmed; '' when it has none. */
export function presentedKey(header: string | string[] | undefined): string {
  // Node joins repeated custom headers into one value; an array only comes from odd clients.
  return (Array.isArray(header) ? header.join(', ') : (header ?? '')).trim();
}

/**
 * The X-Ometria-Auth check: a key from `acceptedKeys`, or any non-empty key when that list is
 * empty (handy for local runs where the service's real key does not matter).
 */
export function createAuthCheck(acceptedKeys: readonly string[]): (header: string | string[] | undefined) => AuthOutcome {
  const accepted = new Set(acceptedKeys);
  return (header) => {
    const key = presentedKey(header);
    if (key === '') return { ok: false, reason: 'Authentication failed: missing X-Ometria-Auth header' };
    if (accepted.size > 0 && !accepted.has(key)) return { ok: false, reason: 'Authentication failed: API key not accepted' };
    return { ok: true, key };
  };
}
