import { loadConfig } from '../src/config.js';
import { buildFloorApp } from './floor-app.js';

const config = loadConfig();
const app = await buildFloorApp(config, Number(process.env.BENCH_EVENTS ?? 100));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ port: config.PORT, host: config.HOST });
