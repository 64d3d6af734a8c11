/**
 * The worker thread `DocumentReader` reads PDFs and workbooks in (see read-document.ts): each
 * message is one document, answered with `parseDocumentAsync`'s result, or with the error it threw.
 */
import { parentPort } from 'node:worker_threads';
import { parseDocumentAsync, pdfjsResources, renderDocument } from '../formats/index.ts';
import type { ReadRequest, ReadResponse } from './read-document.ts';

// pdfjs rejects promises of its own that no caller awaits on some broken PDFs (bin/hoshin.js
// says more); in a worker thread one would end the thread, so they are dropped here as there.
process.on('unhandledRejection', (reason) => {
  if (reason instanceof Error && String(reason.stack).includes('pdfjs-dist')) return;
  throw reason;
});

const port = parentPort;
if (!port) throw new Error('read-document-worker runs only as a worker thread');

port.on('message', async (request: ReadRequest) => {
  let response: ReadResponse;
  try {
    const { id: _id, bytes, fileName, ...options } = request;
    const result = await parseDocumentAsync(bytes, fileName, { pdf: pdfjsResources(), ...options });
    // The plan crosses as its hoshin-plan/2 JSON: a structured clone would turn the plan's
    // null-prototype maps (ratingScales) into ordinary objects, which inherit keys such as
    // `constructor`; the reading side parses it back with the same reader every JSON goes through.
    const { plan, ...rest } = result;
    response = { id: request.id, ok: true, result: rest, ...(plan ? { planJson: renderDocument(plan, 'json') } : {}) };
  } catch (e) {
    response = { id: request.id, ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(response);
});
