// A worker thread cannot load a .ts entry through `--import tsx` on Node 20 (the hooks arrive
// too late for the entry itself): register tsx here, then import the real worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
