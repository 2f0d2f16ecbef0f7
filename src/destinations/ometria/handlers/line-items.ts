import { describeValue } from '../../../core/engine/kinds.js';
import { collectLeftovers, isEmptyObject, noteUnsentLeftovers, warnUnreadKeys } from '../../../core/engine/leftovers.js';
import type { SourceScope } from '../../../core/engine/mapping.js';
import { isPlainObject, type PlainObject } from '../../../core/plain-object.js';
import type { Warnings } from '../../../core/engine/warnings.js';
import {
  LINE_ITEM_READ_KEYS,
  lineItemFields,
  VARIANT_OPTION_READ_KEYS,
  variantOptionFields,
} from '../mappings/order.js';

const ITEM_RULE = 'dropped: a line item needs product_id, a positive quantity, and unit_price or subtotal';
const OPTION_RULE = 'dropped: a variant option needs id, type and label';

/**
 * The scope of one element of a list (a product, a variant option), reused from one element to
 * the next: its path is only written out when a warning needs it.
 */
class ElementScope implements SourceScope {
  subject: unknown;
  index = 0;

  constructor(
    readonly warnings: Warnings,
    private readonly list: string,
  ) {}

  get path(): string {
    return `${this.list}[${this.index}]`;
  }

  get subjectPath(): string {
    return `${this.path}.`;
  }
}

/** `properties.products` → `lineitems` (docs/MAPPING.md, "Line items"); only the items Ometria accepts. */
export function mapLineItems(products: readonly unknown[], warnings: Warnings): PlainObject[] {
  const items: PlainObject[] = [];
  const scope = new ElementScope(warnings, 'properties.products');
  let hasProperties = false;
  const finish = {
    variant_options: (value: unknown) => {
      const options = mapVariantOptions(value as unknown[], `${scope.path}.variant_options`, warnings);
      return options.length > 0 ? options : undefined;
    },
    properties: (value: unknown) => {
      hasProperties = true;
      return isPlainObject(value) && !isEmptyObject(value) ? value : undefined;
    },
  };
  for (let index = 0; index < products.length; index++) {
    const product = products[index];
    scope.index = index;
    if (!isPlainObject(product)) {
      warnings.add(scope.path, `expected an object, got ${describeValue(product)}; dropped`, 'not_an_object');
      continue;
    }
    scope.subject = product;
    hasProperties = false;
    const item = lineItemFields.apply(scope, {}, finish);
    const missing = missingForItem(item);
    if (missing !== undefined) {
      warnings.add(scope.path, `${ITEM_RULE} (${missing})`, 'incomplete');
      continue;
    }
    const itself = [{ object: product, path: scope.path }];
    if (hasProperties) {
      noteUnsentLeftovers(itself, LINE_ITEM_READ_KEYS, warnings, 'properties');
    } else {
      const leftovers = collectLeftovers(itself, LINE_ITEM_READ_KEYS, warnings);
      if (!isEmptyObject(leftovers)) item.properties = leftovers;
    }
    items.push(item);
  }
  return items;
}

/** Which of a line item's conditions fail, in words, or undefined when Ometria takes it. */
function missingForItem(item: PlainObject): string | undefined {
  const { quantity } = item;
  const failed: string[] = [];
  if (item.product_id === undefined) failed.push('no product_id');
  // Ometria rejects zero and negative quantities (docs/DIFFERENCES.md, 8).
  if (quantity === undefined) failed.push('no quantity');
  else if (typeof quantity === 'number' && quantity <= 0) failed.push('quantity is not positive');
  if (item.unit_price === undefined && item.subtotal === undefined) failed.push('no unit_price, price or subtotal');
  return failed.length === 0 ? undefined : failed.join('; ');
}

function mapVariantOptions(options: readonly unknown[], path: string, warnings: Warnings): PlainObject[] {
  const kept: PlainObject[] = [];
  const scope = new ElementScope(warnings, path);
  for (let index = 0; index < options.length; index++) {
    const option = options[index];
    scope.index = index;
    if (!isPlainObject(option)) {
      warnings.add(scope.path, `expected an object, got ${describeValue(option)}; dropped`, 'not_an_object');
      continue;
    }
    scope.subject = option;
    const mapped = variantOptionFields.apply(scope);
    if (mapped.id === undefined || mapped.type === undefined || mapped.label === undefined) {
      warnings.add(scope.path, OPTION_RULE, 'incomplete');
      continue;
    }
    warnUnreadKeys(option, VARIANT_OPTION_READ_KEYS, scope.path, 'a variant option', warnings);
    kept.push(mapped);
  }
  return kept;
}
