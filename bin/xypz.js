#!/usr/bin/env node
// The only place that ends the process: the CLI returns an exit code.

// `xypz audit log | head -1`: the reader went away; stop quietly, as other command-line tools do.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const argv = process.argv.slice(2);
// Shell completion runs on every Tab: it skips the command-line parser and loads only what it needs.
const code =
  argv[0] === '__complete'
    ? await (await import('../dist/complete.js')).complete(argv.slice(1), { env: process.env, cwd: process.cwd(), stdout: process.stdout })
    : await (await import('../dist/cli.js')).main(argv);
process.exitCode = code;
