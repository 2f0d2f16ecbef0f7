import { loadConfig } from '../src/config.js';
import { buildFloorApp } from './floor-app.js';
import { buildTemplates } from './templates.js';

const config = loadConfig();
const app = await buildFloorApp(config, buildTemplates());
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ port: config.PORT, host: config.HOST });
