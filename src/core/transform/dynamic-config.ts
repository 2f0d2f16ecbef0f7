import { exceedsDepth } from '../depth.js';
import { readPath } from '../engine/paths.js';
import { isPlainObject, type PlainObject } from '../plain-object.js';
import { MAX_VALUE_DEPTH } from '../engine/sanitize.js';
import type { Warnings } from '../engine/warnings.js';

// A template, after trimming: `{{ <path> || <default> }}`; the path is dot-separated identifiers
// (docs/RUDDERSTACK.md, "Dynamic config").
const PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/**
 * The destination with its `{{ message.path || "default" }}` templates resolved against one
 * request item. Unchanged (the same object) when nothing is templated or the server says the
 * config is not dynamic, so the common case allocates nothing.
 */
export function resolveDynamicDestination(destination: PlainObject, item: PlainObject, warnings?: Warnings): PlainObject {
  if (destination.hasDynamicConfig === false || !isPlainObject(destination.Config)) return destination;
  const resolved = resolveValue(destination.Config, item, 'Config', warnings);
  return resolved === destination.Config ? destination : { ...destination, Config: resolved };
}

function resolveValue(value: unknown, item: PlainObject, path: string, warnings: Warnings | undefined): unknown {
  if (typeof value === 'string') return value.includes('{{') ? resolveTemplate(value, item, path, warnings) : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((entry, i) => {
      const resolved = resolveValue(entry, item, `${path}[${i}]`, warnings);
      if (resolved !== entry) (copy ??= value.slice())[i] = resolved;
    });
    return copy ?? value;
  }
  if (isPlainObject(value)) {
    let copy: PlainObject | undefined;
    for (const key of Object.keys(value)) {
      const resolved = resolveValue(value[key], item, `${path}.${key}`, warnings);
      if (resolved !== value[key]) (copy ??= { ...value })[key] = resolved;
    }
    return copy ?? value;
  }
  return value;
}

function resolveTemplate(text: string, item: PlainObject, at: string, warnings: Warnings | undefined): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return text;
  const inner = trimmed.slice(2, -2);
  const split = inner.indexOf('||');
  if (split < 0) return text;
  const path = inner.slice(0, split).trim();
  if (!PATH.test(path)) return text;
  const keys = path.split('.');
  // `event.` is the reference's alias of `message.`.
  if (keys[0] === 'event') keys[0] = 'message';
  const found = readPath(item, keys);
  if (found === undefined || found === null) return defaultValue(inner.slice(split + 2));
  // The config is grouped by and echoed: a value too deep to write back is not taken.
  if (exceedsDepth(found, MAX_VALUE_DEPTH)) {
    warnings?.add(at, `${path} is nested deeper than ${MAX_VALUE_DEPTH} levels; the template's default is used`, 'too_deep', true);
    return defaultValue(inner.slice(split + 2));
  }
  return found;
}

/** The default as written, without the quotes of a quoted literal ("key" or 'key' → key). */
function defaultValue(text: string): string {
  const trimmed = text.trim();
  const quote = trimmed[0];
  if (trimmed.length >= 2 && (quote === '"' || quote === "'") && trimmed.endsWith(quote)) {
    return trimmed.slice(1, -1).trim();
  }
  return trimmed;
}
