#!/usr/bin/env node
// The only place that ends the process: the CLI returns an exit code.
// Built-in modules come from process.getBuiltinModule: imported as ES modules they cost each start-up (scripts/build.mjs).
const { writeSync } = process.getBuiltinModule('node:fs');

const argv = process.argv.slice(2);
if (argv[0] === '__complete') {
  // Shell completion runs on every Tab: it skips the command-line parser and loads only what it needs. It writes
  // with plain system calls: process.stdout on a pipe is a socket, and Node's net and stream modules cost each Tab
  // about a tenth of a bare node start-up.
  const stdout = { write: writeOut };
  process.exitCode = await (await import('../dist/complete.js')).complete(argv.slice(1), { env: process.env, cwd: process.cwd(), stdout });
} else {
  // `xypz audit log | head -1`: the reader went away; stop quietly, as other command-line tools do.
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = await (await import('../dist/cli.js')).main(argv);
}

/** All of `text` to standard output; a reader that went away ends the writing quietly. */
function writeOut(text) {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(1, bytes, at);
    } catch (e) {
      if (e.code === 'EPIPE') return;
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // a non-blocking pipe that is full: wait for the reader
    }
  }
}
