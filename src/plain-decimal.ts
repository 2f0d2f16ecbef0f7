/**
 * A plain decimal: what both an amount in an event and a number in an environment variable may be
 * written as ("12.50", " -3 "); "1e3", "0x10" and "12 GBP" are not. Shared by the mapping engine and
 * the env loader (the mock's too), so it depends on nothing.
 */
export const PLAIN_DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;
