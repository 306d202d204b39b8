// A worker thread does not inherit the main thread's loader: register tsx here, then load the
// TypeScript module the worker runs (its URL is `workerData.entry`).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
