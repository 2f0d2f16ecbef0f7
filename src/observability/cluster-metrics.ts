import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

// With WORKERS > 1 each process counts on its own; a scrape reaches one worker, which asks the
// primary for every worker's metrics, summed (prom-client's AggregatorRegistry).
const ASK = 'ometria-transformer:metrics-request';
const ANSWER = 'ometria-transformer:metrics-response';

interface Message {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly text?: unknown;
  readonly error?: unknown;
}

/** In the primary: answer workers' requests with the aggregated metrics of all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Message) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      (error: unknown) => worker.send({ type: ANSWER, id: message.id, error: String(error) }),
    );
  });
}

/** In a worker: expose `registry` to the primary, and fetch everyone's metrics through it. */
export function clusterMetricsText(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's worker-side listener.
  new AggregatorRegistry();
  return () =>
    new Promise((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        process.off('message', onMessage);
        reject(new Error('the primary did not answer the metrics request'));
      }, 5000);
      function onMessage(message: Message): void {
        if (message?.type !== ANSWER || message.id !== id) return;
        clearTimeout(timer);
        process.off('message', onMessage);
        if (typeof message.text === 'string') resolve(message.text);
        else reject(new Error(String(message.error)));
      }
      process.on('message', onMessage);
      process.send?.({ type: ASK, id });
    });
}
