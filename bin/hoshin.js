#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so there is no build step between `npm ci` and use;
// `serve`, which stays up, runs them bundled instead (bin/bundle.js: the same sources, built
// when they change, without tsx's loader in memory). HOSHIN_BUNDLE=0 serves through tsx too.
// `hoshin list | head` closes the pipe early: that is the reader's choice, not a failure to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

async function load() {
  if (process.argv[2] === 'serve' && process.env.HOSHIN_BUNDLE !== '0') {
    const { bundledMain } = await import('./bundle.js');
    return bundledMain();
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
