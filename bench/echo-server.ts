import { serveBare } from './bare-app.js';
import { buildEchoApp } from './echo-app.js';

await serveBare(buildEchoApp());
