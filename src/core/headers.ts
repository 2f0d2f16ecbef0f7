/** HTTP header names match case-insensitively (RFC 9110): the one look-up of a header in a plain record. */
export function headerValue(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  return undefined;
}

/**
 * Hop-by-hop headers (RFC 9110, 7.6.1) and those of the body as framed on one connection: they
 * describe a hop, not the request, so what is relayed (the proxy, the upstream pass-through) never
 * carries them on.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
]);
