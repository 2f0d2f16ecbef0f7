/**
 * npm run tables [NAME …]: prints the JavaScript each mapping table is compiled into at start-up
 * (src/core/engine/mapping.ts, src/core/engine/table-code.ts), so what runs per event can be read. Without
 * names, every table; with names (e.g. CONTACT_TABLE), those only. Each ends with
 * `//# sourceURL=tables/<NAME>.js`, the file a stack trace through it names; the rules it applies
 * are written plainly in src/core/engine/interpret.ts.
 */
import * as contact from '../src/destinations/ometria/mappings/contact.js';
import * as customEvent from '../src/destinations/ometria/mappings/custom-event.js';
import * as order from '../src/destinations/ometria/mappings/order.js';
import type { CompiledTable } from '../src/core/engine/mapping.js';

const isCompiled = (value: unknown): value is CompiledTable =>
  typeof value === 'object' && value !== null && typeof (value as CompiledTable).code === 'string';

const wanted = new Set(process.argv.slice(2));
for (const module of [contact, customEvent, order]) {
  for (const table of Object.values(module)) {
    if (!isCompiled(table)) continue;
    if (wanted.size > 0 && !wanted.has(table.name)) continue;
    console.log(`${table.code}\n`);
  }
}
