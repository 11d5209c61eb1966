#!/usr/bin/env node
// The only place that ends the process: the CLI returns an exit code.
import { main } from '../dist/cli.js';

// `xypz audit log | head -1`: the reader went away; stop quietly, as other command-line tools do.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
