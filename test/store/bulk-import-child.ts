/**
 * Child process of kill.test.ts: bulk-imports the documents of bulkDocuments() into the
 * store at argv[2], each in its own transaction, until done or killed. Prints "ready" once
 * the store is open, then "done N" at the end. Run again, it resumes where it stopped.
 */
import { openStore } from '../../src/store/index.ts';
import { importPlan } from '../../src/store/import-plan.ts';
import { bulkDocuments } from './bulk-documents.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: bulk-import-child.ts URL');
const store = await openStore(url);
const osaka = (await store.findOrganization('osaka'))!;
process.stdout.write('ready\n');
let n = 0;
for (const doc of bulkDocuments()) {
  // Resume after a kill: a first version whose plan exists was stored (a later version may be on top of it).
  if (doc.key.startsWith('v1')) {
    const ward = await store.findWard(osaka.id, doc.plan.organization);
    if (ward && (await store.findPlan(ward.id, doc.plan.fiscalYear))) continue;
  }
  await importPlan(store, { plan: doc.plan, city: osaka, publish: doc.publish, author: 'bulk', message: doc.key });
  n++;
}
await store.close();
process.stdout.write(`done ${n}\n`);
