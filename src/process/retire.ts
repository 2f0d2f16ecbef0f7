/**
 * What the cluster primary sends a worker in a rolling restart (SIGHUP), once the worker's
 * replacement listens: drain and exit. Kept apart so that the primary does not load the app.
 */
export const RETIRE = { type: 'ometria-transformer:retire' } as const;

export function isRetire(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === RETIRE.type;
}
