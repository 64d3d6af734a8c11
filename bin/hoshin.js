#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so there is no build step between `npm ci` and use.
import { register } from 'tsx/esm/api';

// `hoshin list | head` closes the pipe early: that is the reader's choice, not a failure to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
