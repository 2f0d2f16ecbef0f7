import { collectLeftovers, isEmptyObject, noteUnsentLeftovers } from '../../../core/engine/leftovers.js';
import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/engine/mapping.js';
import { readPath } from '../../../core/engine/paths.js';
import { isPlainObject, type PlainObject } from '../../../core/plain-object.js';
import { CONTACT_NOT_CUSTOM, contactFields, smsChannelFields } from '../mappings/contact.js';
import { fillFromName } from './names.js';

const CONTEXT_TRAITS = ['context', 'traits'] as const;

/** identify → contact (docs/MAPPING.md, "contact"). */
export function identify(message: PlainObject, scope: SourceScope): MappedRecord {
  const record: PlainObject = { '@type': 'contact' };
  let hasCustomFields = false;
  contactFields.apply(scope, record, {
    properties: (value) => {
      hasCustomFields = true;
      return isPlainObject(value) && !isEmptyObject(value) ? value : undefined;
    },
  });
  fillFromName(scope, record, { first: 'firstname', middle: 'middlename', last: 'lastname' });

  const traits = [
    { object: message.traits, path: 'traits' },
    { object: readPath(message, CONTEXT_TRAITS), path: 'context.traits' },
  ];
  if (hasCustomFields) {
    noteUnsentLeftovers(traits, CONTACT_NOT_CUSTOM, scope.warnings);
  } else {
    const leftovers = collectLeftovers(traits, CONTACT_NOT_CUSTOM, scope.warnings);
    if (!isEmptyObject(leftovers)) record.properties = leftovers;
  }

  // Config consent only beside a phone number: the row says so (configOnlyWith), read on this record.
  const sms = smsChannelFields.apply({ ...scope, record });
  if (!isEmptyObject(sms)) record.channels = { sms };
  return { type: 'contact', record };
}
