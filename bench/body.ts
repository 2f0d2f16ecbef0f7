import { takeCounter } from './counter.js';
import { buildTemplate, type Template, type Variant } from './templates.js';

/** The body of the next request of the run: the next counter value, rendered from its template. */
export function nextBody(templates: readonly Template[], variant: Variant): Buffer {
  const counter = takeCounter();
  return templates[counter % templates.length]!.bytes(variant, counter);
}

/** One fixed body (template 0, counter 0), for quick measurements outside the bench. */
export function routerBody(events?: number): string {
  return buildTemplate(0, events).render('plain', 0);
}

export function compactedRouterBody(events?: number): string {
  return buildTemplate(0, events).render('compacted', 0);
}
