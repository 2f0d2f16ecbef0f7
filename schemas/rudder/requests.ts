import { Type, type Static } from '@sinclair/typebox';

// Only the envelope is validated at the route (docs/ARCHITECTURE.md, "The pipeline"): messages,
// metadata and destinations stay open, so one bad event is a per-event error, never a
// whole-request 400.

export const EventItemSchema = Type.Object(
  {
    message: Type.Optional(Type.Unknown({ description: 'The RudderStack event' })),
    metadata: Type.Optional(Type.Unknown({ description: 'Echoed unchanged in the output' })),
    destination: Type.Optional(
      Type.Unknown({ description: 'The destination, with `Config` (`apiKey`, …); absent in compacted requests' }),
    ),
    connection: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type EventItem = Static<typeof EventItemSchema>;

const CompactedMaps = {
  destinations: Type.Record(Type.String(), Type.Unknown(), { description: 'Destinations by ID' }),
  connections: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'By "<sourceId>:<destinationId>"' })),
};

export const CompactedProcessorRequestSchema = Type.Object(
  { input: Type.Array(EventItemSchema), ...CompactedMaps },
  { additionalProperties: true, description: 'Compacted form (X-Content-Format: json+compactedv1)' },
);

export const ProcessorRequestSchema = Type.Union([Type.Array(EventItemSchema), CompactedProcessorRequestSchema]);
export type ProcessorRequest = Static<typeof ProcessorRequestSchema>;

export const RouterRequestSchema = Type.Object(
  {
    input: Type.Array(EventItemSchema),
    destType: Type.String({ description: 'Destination definition name, e.g. ometria' }),
    destinations: Type.Optional(CompactedMaps.destinations),
    connections: CompactedMaps.connections,
  },
  { additionalProperties: true },
);
export type RouterRequest = Static<typeof RouterRequestSchema>;

export const DestinationParamsSchema = Type.Object({ destination: Type.String() });

export const ExplainQuerySchema = Type.Object({
  explain: Type.Optional(Type.Boolean({ description: 'Add `warnings` (dropped or skipped values) to each output item' })),
});
