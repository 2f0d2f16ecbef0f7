import type { DeliveryVerdict, DestinationDefinition } from '../destination.js';
import { resolveDynamicDestination } from './dynamic-config.js';
import { ConfigurationError, InstrumentationError, toEventError, type EventError } from '../errors.js';
import type { EventInput } from './event-input.js';
import type { SourceScope } from '../engine/mapping.js';
import { whatIs } from '../engine/kinds.js';
import { isPlainObject, ownValue, type PlainObject } from '../plain-object.js';
import { Warnings, type Warning } from '../engine/warnings.js';
import { recordCheck } from './record-check.js';

/** The subset of pino the pipeline logs through. */
export interface PipelineLogger {
  warn(bindings: object, message: string): void;
  error(bindings: object, message: string): void;
}

export interface TransformedEvent {
  readonly ok: true;
  readonly input: EventInput;
  /** After dynamic config: what grouping and the echoed destination use. */
  readonly destination: PlainObject;
  /** The destination's parsed config (e.g. its API key). */
  readonly config: PlainObject;
  readonly type: string;
  /** The record's JSON text: serialized once, measured, and reused in the batch. */
  readonly json: string;
  readonly warnings: Warnings;
}

export interface FailedEvent {
  readonly ok: false;
  readonly input: EventInput;
  readonly destination: PlainObject | undefined;
  readonly error: EventError;
  readonly warnings: Warnings;
}

export type EventOutcome = TransformedEvent | FailedEvent;

/** Where the pipeline reports: the request's logger, and optional observers (metrics). */
export interface PipelineHooks {
  readonly log: PipelineLogger;
  readonly onOutcome?: (def: DestinationDefinition, outcome: EventOutcome) => void;
  readonly onPush?: (def: DestinationDefinition, verdict: DeliveryVerdict) => void;
  /** A push made again to tell rejected records apart. */
  readonly onRepush?: (def: DestinationDefinition, verdict: DeliveryVerdict) => void;
  /** One event's final delivery status, and what decided it (a push verdict's category, or `invalid`). */
  readonly onDelivered?: (def: DestinationDefinition, status: number, outcome: DeliveryVerdict['category'] | 'invalid') => void;
  /** A value that was skipped or dropped. */
  readonly onWarning?: (def: DestinationDefinition, warning: Warning) => void;
}

const INTERNAL_ERROR = 'Internal error in the transformer while processing this event; see the service log';

/**
 * The one per-event function (docs/ARCHITECTURE.md, "The pipeline"). Never throws: bad input is a 4xx outcome, a bug
 * of ours a 500 outcome, and either way the event is accounted for.
 */
export function transformEvent(def: DestinationDefinition, input: EventInput, hooks: PipelineHooks): EventOutcome {
  const { log } = hooks;
  const warnings = new Warnings();
  const metadata = isPlainObject(input.metadata) ? input.metadata : undefined;
  let destination: PlainObject | undefined;
  let outcome: EventOutcome;
  try {
    destination = isPlainObject(input.destination)
      ? resolveDynamicDestination(
          input.destination,
          { message: input.message, metadata: input.metadata, destination: input.destination },
          warnings,
        )
      : undefined;
    const { message } = input;
    // Checked in this order (docs/MAPPING.md, "Errors"): message, type, config, then the record's rows.
    if (!isPlainObject(message)) throw new InstrumentationError(`Message must be an object: message is ${whatIs(message)}`);
    const type = message.type;
    if (typeof type !== 'string' || type.trim() === '') throw new InstrumentationError(`Event type is required: type is ${whatIs(type)}`);
    const messageType = type.trim().toLowerCase();
    const handler = ownValue(def.handlers, messageType) as (typeof def.handlers)[string] | undefined;
    if (handler === undefined) {
      throw new InstrumentationError(`message type ${messageType} is not supported: ${def.displayName} takes ${Object.keys(def.handlers).join(' and ')}`);
    }
    if (destination === undefined) {
      throw new ConfigurationError(input.destinationError ?? 'Missing destination: each event needs its destination (with Config)');
    }
    const rawConfig = isPlainObject(destination.Config) ? destination.Config : {};
    const config = def.parseConfig(rawConfig);
    const mapped = handler(message, scope(def, message, rawConfig, warnings));
    const { type: recordType, record } = mapped;
    const problem = recordCheck(def.displayName, def.recordSchemas)(mapped.schema ?? recordType, record);
    if (problem !== undefined) throw new InstrumentationError(problem);
    const json = JSON.stringify(record);
    // A UTF-16 length under a third of the limit cannot exceed it in UTF-8: skip measuring.
    if (json.length * 3 > def.maxRecordBytes) {
      const bytes = Buffer.byteLength(json);
      if (bytes > def.maxRecordBytes) {
        throw new InstrumentationError(
          `Record is too large for ${def.displayName} (${bytes} bytes, limit ${def.maxRecordBytes})`,
        );
      }
    }
    outcome = { ok: true, input, destination, config, type: recordType, json, warnings };
  } catch (thrown) {
    const error = toEventError(thrown, INTERNAL_ERROR);
    const where = { jobId: metadata?.jobId, destinationId: metadata?.destinationId, ...whichEvent(input.message, metadata) };
    // Once per failed event: a self-hosted operator's only trace of a 400 besides the answer.
    if (error.internal) log.error({ err: thrown, ...where, status: error.statusCode }, 'transform failed');
    else log.warn({ ...where, status: error.statusCode, error: error.message }, 'event failed');
    outcome = { ok: false, input, destination, error, warnings };
  }
  for (const w of warnings.list) {
    log.warn({ jobId: metadata?.jobId, destinationId: metadata?.destinationId, field: w.path }, `${w.path}: ${w.reason}`);
    hooks.onWarning?.(def, w);
  }
  hooks.onOutcome?.(def, outcome);
  return outcome;
}

/**
 * What names a failed event for whoever reads the log: its messageId (metadata's, else the
 * message's), message type and event name; never traits, properties or emails.
 */
function whichEvent(message: unknown, metadata: PlainObject | undefined): { messageId?: string; type?: string; event?: string } {
  const fields = isPlainObject(message) ? message : {};
  const messageId = shortText(metadata?.messageId) ?? shortText(fields.messageId);
  const type = shortText(fields.type);
  const event = shortText(fields.event);
  return {
    ...(messageId === undefined ? {} : { messageId }),
    ...(type === undefined ? {} : { type }),
    ...(event === undefined ? {} : { event }),
  };
}

/** A string or number as log text, cut short: a log line is no place for a megabyte of event name. */
function shortText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') return undefined;
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}

function scope(def: DestinationDefinition, message: PlainObject, config: PlainObject, warnings: Warnings): SourceScope {
  const integrationsDefault = `integrations.${def.integrationKeys[0]}`;
  const integrations = message.integrations;
  if (isPlainObject(integrations)) {
    // The first spelling whose value is an object: a `true` under one does not hide another (docs/DIFFERENCES.md, 16).
    for (const key of def.integrationKeys) {
      const value = ownValue(integrations, key);
      if (isPlainObject(value)) {
        return {
          subject: message,
          subjectPath: '',
          integrations: value,
          integrationsPath: `integrations.${key}`,
          integrationsDefault,
          config,
          warnings,
          defaults: def.defaults,
        };
      }
    }
  }
  return { subject: message, subjectPath: '', integrationsDefault, config, warnings, defaults: def.defaults };
}
