import type { AppConfig } from '../config.js';
import { toCountry } from '../core/engine/checks/country.js';
import { createOmetria } from './ometria/definition.js';
import { DestinationRegistry } from './registry.js';

/** The destinations this service transforms: adding one is a folder and a line here. */
export function createRegistry(config: AppConfig): DestinationRegistry {
  const phoneDefaultCountry = toCountry(config.PHONE_DEFAULT_COUNTRY);
  return new DestinationRegistry([createOmetria({ apiUrl: config.OMETRIA_API_URL, ...(phoneDefaultCountry === undefined ? {} : { phoneDefaultCountry }) })]);
}
