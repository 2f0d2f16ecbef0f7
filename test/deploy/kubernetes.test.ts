import t from 'tap';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { EnvSchema } from '../../schemas/env.js';
import { loadConfig } from '../../src/config.js';
import { testApp } from '../helpers/app.js';

// deploy/kubernetes/ held to the code: the names, routes, port and times the manifests use must be
// the service's own. Only the fields read here are declared; everything else stays open.

const DIR = new URL('../../deploy/kubernetes/', import.meta.url);

const LabelsSchema = Type.Record(Type.String(), Type.String());
const MetadataSchema = Type.Object({ name: Type.String({ minLength: 1 }), labels: Type.Optional(LabelsSchema) });
const PortRefSchema = Type.Union([Type.Integer(), Type.String()]);
const HttpProbeSchema = Type.Object({ httpGet: Type.Object({ path: Type.String(), port: PortRefSchema }) });
const QuantitiesSchema = Type.Object({ cpu: Type.Optional(Type.String()), memory: Type.Optional(Type.String()) });
const ContainerSchema = Type.Object({
  name: Type.String(),
  image: Type.String(),
  env: Type.Optional(
    Type.Array(
      Type.Object({
        name: Type.String(),
        value: Type.Optional(Type.String()),
        valueFrom: Type.Optional(
          Type.Object({
            secretKeyRef: Type.Optional(Type.Object({ name: Type.String(), key: Type.String(), optional: Type.Optional(Type.Boolean()) })),
          }),
        ),
      }),
    ),
  ),
  envFrom: Type.Optional(Type.Array(Type.Object({ configMapRef: Type.Object({ name: Type.String() }) }))),
  ports: Type.Array(Type.Object({ name: Type.Optional(Type.String()), containerPort: Type.Integer() }), { minItems: 1 }),
  readinessProbe: HttpProbeSchema,
  livenessProbe: HttpProbeSchema,
  startupProbe: Type.Optional(HttpProbeSchema),
  resources: Type.Object({ requests: QuantitiesSchema, limits: Type.Optional(QuantitiesSchema) }),
  lifecycle: Type.Optional(Type.Object({ preStop: Type.Optional(Type.Unknown()) })),
  securityContext: Type.Optional(Type.Object({ readOnlyRootFilesystem: Type.Optional(Type.Boolean()) })),
});
const SelectorSchema = Type.Object({ matchLabels: LabelsSchema });
const DeploymentSchema = Type.Object({
  apiVersion: Type.Literal('apps/v1'),
  kind: Type.Literal('Deployment'),
  metadata: MetadataSchema,
  spec: Type.Object({
    replicas: Type.Integer(),
    selector: SelectorSchema,
    strategy: Type.Object({
      type: Type.Literal('RollingUpdate'),
      rollingUpdate: Type.Object({ maxUnavailable: PortRefSchema, maxSurge: PortRefSchema }),
    }),
    template: Type.Object({
      metadata: Type.Object({ labels: LabelsSchema }),
      spec: Type.Object({ terminationGracePeriodSeconds: Type.Integer(), containers: Type.Array(ContainerSchema, { minItems: 1, maxItems: 1 }) }),
    }),
  }),
});
const ConfigMapSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('ConfigMap'),
  metadata: MetadataSchema,
  // Kubernetes takes strings only: a bare 9090 would be refused.
  data: Type.Record(Type.String(), Type.String()),
});
const ServiceSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Service'),
  metadata: MetadataSchema,
  spec: Type.Object({
    selector: LabelsSchema,
    ports: Type.Array(Type.Object({ port: Type.Integer(), targetPort: PortRefSchema }), { minItems: 1, maxItems: 1 }),
  }),
});
const PodDisruptionBudgetSchema = Type.Object({
  apiVersion: Type.Literal('policy/v1'),
  kind: Type.Literal('PodDisruptionBudget'),
  metadata: MetadataSchema,
  spec: Type.Object({ minAvailable: Type.Integer(), selector: SelectorSchema }),
});
const HorizontalPodAutoscalerSchema = Type.Object({
  apiVersion: Type.Literal('autoscaling/v2'),
  kind: Type.Literal('HorizontalPodAutoscaler'),
  metadata: MetadataSchema,
  spec: Type.Object({
    scaleTargetRef: Type.Object({ apiVersion: Type.String(), kind: Type.String(), name: Type.String() }),
    minReplicas: Type.Integer(),
    maxReplicas: Type.Integer(),
    metrics: Type.Array(
      Type.Object({
        type: Type.Literal('Resource'),
        resource: Type.Object({ name: Type.String(), target: Type.Object({ type: Type.Literal('Utilization'), averageUtilization: Type.Integer() }) }),
      }),
      { minItems: 1 },
    ),
  }),
});
const KustomizationSchema = Type.Object({ kind: Type.Literal('Kustomization'), resources: Type.Array(Type.String()) });

const files = readdirSync(DIR).filter((name) => name.endsWith('.yaml'));
const documents = files.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, DIR), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return { file, value: doc.toJS() as unknown };
  }),
);

/** The one document of `schema`'s kind, checked against it. */
function only<S extends TSchema>(schema: S): Static<S> {
  const kind = (schema.properties as { kind: { const: string } }).kind.const;
  const found = documents.filter((d) => (d.value as { kind?: unknown } | null)?.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} in deploy/kubernetes/, found ${found.length}`);
  const { file, value } = found[0]!;
  const error = Value.Errors(schema, value).First();
  if (error !== undefined) throw new Error(`${file}: ${error.path}: ${error.message}`);
  return value as Static<S>;
}

/** A Kubernetes quantity ("1", "500m", "160Mi", "1Gi") in cores or bytes. */
function quantity(text: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(text ?? '');
  if (match === null) throw new Error(`not a quantity: ${text}`);
  const factor = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}

const deployment = only(DeploymentSchema);
const configMap = only(ConfigMapSchema);
const service = only(ServiceSchema);
const pdb = only(PodDisruptionBudgetSchema);
const hpa = only(HorizontalPodAutoscalerSchema);
const container = deployment.spec.template.spec.containers[0]!;
const podLabels = deployment.spec.template.metadata.labels;
const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
// The environment the pod gets: the ConfigMap it loads, plus DELETION_STORE from the operator's
// Secret (a value this test cannot read: the documented placeholder URL stands in for it).
const SECRET_NAME = 'ometria-transformer-erasure-store';
const kustomizationText = readFileSync(new URL('kustomization.yaml', DIR), 'utf8');
/** The URL in the documented `kubectl create secret` command (kustomization.yaml). */
const documentedStore = new RegExp(`create secret generic ${SECRET_NAME} \\\\\\n#\\s+--from-literal=DELETION_STORE='([^']+)'`).exec(kustomizationText)?.[1];
const env = { ...configMap.data, DELETION_STORE: documentedStore ?? '' };
const config = loadConfig(env);

t.test('the kustomization lists every manifest in the folder', async (t) => {
  const kustomization = only(KustomizationSchema);
  t.strictSame([...kustomization.resources].sort(), files.filter((f) => f !== 'kustomization.yaml').sort());
});

t.test('every variable the ConfigMap and the Deployment set is one the service reads, documented in .env.example, with a valid value', async (t) => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const documented = new Set(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.slice(0, l.indexOf('='))));
  const names = [...Object.keys(configMap.data), ...(container.env ?? []).map((e) => e.name)];
  t.ok(names.length > 0);
  t.strictSame(names.filter((n) => !(n in EnvSchema.properties)), [], 'in schemas/env.ts EnvSchema');
  t.strictSame(names.filter((n) => !documented.has(n)), [], 'in .env.example');
  t.strictSame((container.env ?? []).map((e) => e.name), ['DELETION_STORE'], 'none set outside the ConfigMap but the Secret\'s');
  t.strictSame(container.envFrom, [{ configMapRef: { name: configMap.metadata.name } }], 'the pod loads this ConfigMap');
  // loadConfig above threw on a bad value; these are the ones the manifests depend on.
  t.equal(config.WORKERS, 1, 'one process per pod: the CPU request and the HPA count processes');
});

t.test('DELETION_STORE comes from the Secret the operator creates, never a literal: every replica shares one Postgres store', async (t) => {
  const variable = (container.env ?? []).find((e) => e.name === 'DELETION_STORE');
  t.strictSame(variable, { name: 'DELETION_STORE', valueFrom: { secretKeyRef: { name: SECRET_NAME, key: 'DELETION_STORE' } } }, 'secretKeyRef, not optional');
  t.notOk('DELETION_STORE' in configMap.data, 'not in the ConfigMap');
  const literal = documents.some(({ value }) => JSON.stringify(value).includes('postgres://') || JSON.stringify(value).includes('postgresql://'));
  t.notOk(literal, 'no database URL (nor its password) in any manifest');
  t.notOk(documents.some(({ value }) => (value as { kind?: unknown } | null)?.kind === 'Secret'), 'no Secret manifest: a placeholder would overwrite the real one on every apply');
  t.ok(documentedStore, 'kustomization.yaml says how to create the Secret');
  t.match(documentedStore, /^postgres:\/\//, 'with a Postgres URL: an SQLite file would be one store per pod');
  t.equal(config.DELETION_STORE, documentedStore, 'which the service accepts');
  t.ok(deployment.spec.replicas >= 2 && container.securityContext?.readOnlyRootFilesystem === true, 'several replicas, and no writable disk for SQLite anyway');
  const docker = readFileSync(new URL('../../docs/DOCKER.md', import.meta.url), 'utf8');
  t.ok(docker.includes(`kubectl -n <namespace> create secret generic ${SECRET_NAME}`), 'docs/DOCKER.md gives the same command');
});

t.test('probes are routes of the app, answering 200 with this environment; readiness is /ready, liveness /health', async (t) => {
  t.equal(container.readinessProbe.httpGet.path, '/ready');
  t.equal(container.livenessProbe.httpGet.path, '/health');
  // The ConfigMap only: the Secret's placeholder URL names no database (testApp gives an SQLite store).
  const app = await testApp(t, configMap.data);
  for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
    if (probe === undefined) continue;
    const res = await app.inject({ method: 'GET', url: probe.httpGet.path });
    t.equal(res.statusCode, 200, probe.httpGet.path);
    t.equal(probe.httpGet.port, 'http', 'the named container port');
  }
});

t.test('the container port is PORT, and the Service sends to it', async (t) => {
  const http = container.ports.find((p) => p.name === 'http');
  t.equal(http?.containerPort, config.PORT, 'containerPort = PORT');
  t.equal(container.ports.length, 1);
  const target = service.spec.ports[0]!.targetPort;
  t.equal(typeof target === 'number' ? target : container.ports.find((p) => p.name === target)?.containerPort, config.PORT, 'targetPort');
  t.equal(service.spec.ports[0]!.port, 9090, 'the port DEST_TRANSFORM_URL names');
  t.ok(matches(service.spec.selector), 'the Service selects the pods');
  const docker = readFileSync(new URL('../../docs/DOCKER.md', import.meta.url), 'utf8');
  t.ok(docker.includes(`http://${service.metadata.name}.<namespace>.svc.cluster.local:${service.spec.ports[0]!.port}`), 'docs/DOCKER.md names the Service URL');
});

t.test('one drain delay, and a termination grace that outlasts it plus SHUTDOWN_GRACE_MS', async (t) => {
  t.ok(config.SHUTDOWN_DELAY_MS > 0, 'a drain delay for endpoints to catch up');
  t.equal(container.lifecycle?.preStop, undefined, 'no preStop sleep on top of SHUTDOWN_DELAY_MS');
  const graceMs = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
  t.ok(graceMs > config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS, `${graceMs} ms > ${config.SHUTDOWN_DELAY_MS} + ${config.SHUTDOWN_GRACE_MS}`);
});

t.test('rolling updates never go below the desired count; 2+ replicas; the PDB keeps one', async (t) => {
  t.ok(deployment.spec.replicas >= 2, 'replicas ≥ 2');
  t.ok(deployment.spec.strategy.rollingUpdate.maxUnavailable === 0 || deployment.spec.strategy.rollingUpdate.maxUnavailable === '0%', 'maxUnavailable 0');
  t.not(deployment.spec.strategy.rollingUpdate.maxSurge, 0, 'room to surge');
  t.ok(matches(deployment.spec.selector.matchLabels), 'the Deployment selects its pods');
  t.ok(pdb.spec.minAvailable >= 1, 'PDB minAvailable ≥ 1');
  t.ok(pdb.spec.minAvailable < deployment.spec.replicas, 'below the replicas, or no node could ever be drained');
  t.ok(matches(pdb.spec.selector.matchLabels), 'the PDB selects the pods');
});

t.test('the HPA scales the Deployment on CPU, from the replica count up', async (t) => {
  t.strictSame(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
  t.strictSame(hpa.spec.metrics.map((m) => m.resource.name), ['cpu']);
  t.equal(hpa.spec.minReplicas, deployment.spec.replicas);
  t.ok(hpa.spec.maxReplicas > hpa.spec.minReplicas);
});

t.test('resource requests follow the bench: one core per process, memory above its peak RSS (about 150 MiB)', async (t) => {
  t.equal(quantity(container.resources.requests.cpu), 1, 'one core');
  const memory = quantity(container.resources.requests.memory);
  t.ok(memory >= 150 * 1024 ** 2, 'memory request ≥ 150 MiB');
  const limit = quantity(container.resources.limits?.memory);
  t.ok(limit > memory, 'memory limit above the request');
  t.equal(container.resources.limits?.cpu, undefined, 'no CPU limit');
  t.ok(config.SHED_MAX_RSS_BYTES > memory && config.SHED_MAX_RSS_BYTES < limit, 'load shedding starts between the request and the limit');
});
