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

// pdfjs-dist, opening a damaged PDF in this thread (Node has no pdfjs worker), rejects promises
// of its own that nobody can await, after the import has already answered with its Japanese
// error. Node would end the process on them: a server stopped by one upload, a batch import cut
// short. Those are dropped; any other unhandled rejection is a bug of ours, printed with its
// stack, and the process goes on serving (what was stored is stored in whole transactions).
process.on('unhandledRejection', (reason) => {
  const stack = reason instanceof Error ? String(reason.stack) : '';
  if (stack.includes('pdfjs-dist')) {
    if (process.env.HOSHIN_DEBUG) process.stderr.write(`hoshin: pdfjs: ${reason?.constructor?.name ?? 'Error'}: ${reason?.message ?? ''}\n`);
    return;
  }
  process.stderr.write(`hoshin: 処理されなかったエラー(不具合です。報告してください): ${stack || String(reason)}\n`);
});

async function load() {
  if (process.argv[2] === 'serve' && process.env.HOSHIN_BUNDLE !== '0') {
    try {
      const { bundledMain } = await import('./bundle.js');
      return await bundledMain();
    } catch (e) {
      // A read-only install (node_modules/.cache not writable) still serves, through tsx.
      process.stderr.write(`hoshin: 実行用のバンドルを作れないため、TypeScript のまま起動します(${e?.code ?? e?.message ?? e})\n`);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
