import { describeValue } from '../../../core/kinds.js';
import { collectLeftovers, isEmptyObject, warnUnreadKeys } from '../../../core/leftovers.js';
import { isPlainObject, type PlainObject } from '../../../core/plain-object.js';
import type { Warnings } from '../../../core/warnings.js';
import {
  LINE_ITEM_READ_KEYS,
  lineItemFields,
  VARIANT_OPTION_READ_KEYS,
  variantOptionFields,
} from '../mappings/order.js';

const ITEM_RULE = 'dropped: a line item needs product_id, a positive quantity, and unit_price or subtotal';
const OPTION_RULE = 'dropped: a variant option needs id, type and label';

/** `properties.products` → `lineitems` (SPEC §4 "Line items"); only the items Ometria accepts. */
export function mapLineItems(products: readonly unknown[], warnings: Warnings): PlainObject[] {
  const items: PlainObject[] = [];
  products.forEach((product, index) => {
    const path = `properties.products[${index}]`;
    if (!isPlainObject(product)) {
      warnings.add(path, `expected an object, got ${describeValue(product)}; dropped`);
      return;
    }
    let hasProperties = false;
    const item = lineItemFields.apply({ subject: product, subjectPath: `${path}.`, warnings }, {}, {
      variant_options: (value) => {
        const options = mapVariantOptions(value as unknown[], `${path}.variant_options`, warnings);
        return options.length > 0 ? options : undefined;
      },
      properties: (value) => {
        hasProperties = true;
        return isPlainObject(value) && !isEmptyObject(value) ? value : undefined;
      },
    });
    const { quantity } = item;
    // Ometria rejects zero and negative quantities (SPEC §6.8).
    const keep =
      item.product_id !== undefined &&
      typeof quantity === 'number' &&
      quantity > 0 &&
      (item.unit_price !== undefined || item.subtotal !== undefined);
    if (!keep) {
      warnings.add(path, ITEM_RULE);
      return;
    }
    if (!hasProperties) {
      const leftovers = collectLeftovers([{ object: product, path }], LINE_ITEM_READ_KEYS, warnings);
      if (!isEmptyObject(leftovers)) item.properties = leftovers;
    }
    items.push(item);
  });
  return items;
}

function mapVariantOptions(options: readonly unknown[], path: string, warnings: Warnings): PlainObject[] {
  const kept: PlainObject[] = [];
  options.forEach((option, index) => {
    const optionPath = `${path}[${index}]`;
    if (!isPlainObject(option)) {
      warnings.add(optionPath, `expected an object, got ${describeValue(option)}; dropped`);
      return;
    }
    const mapped = variantOptionFields.apply({ subject: option, subjectPath: `${optionPath}.`, warnings });
    if (mapped.id === undefined || mapped.type === undefined || mapped.label === undefined) {
      warnings.add(optionPath, OPTION_RULE);
      return;
    }
    warnUnreadKeys(option, VARIANT_OPTION_READ_KEYS, optionPath, 'a variant option', warnings);
    kept.push(mapped);
  });
  return kept;
}
