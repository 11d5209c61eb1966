// The CLI as bin/xypz.js runs it (from dist/: `npm run build` first), with the test seams of src/context.ts
// set from this process's environment. Production code reads none of these variables.
// - XYPZ_TEST_HOLD_WRITE_MS=<ms>: every write waits that long before it commits. The concurrency tests widen
//   with it the moment between a rule's read and its write, in which unserialised writers would interleave.
// - XYPZ_TEST_PAUSE_IN_WRITE=<marker file>: an import writes the marker once it is inside its write transaction
//   and waits there, so a test can kill the process at a known point.
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { main, processIo } from '../dist/cli.js';

const hold = Number(process.env.XYPZ_TEST_HOLD_WRITE_MS ?? 0);
const marker = process.env.XYPZ_TEST_PAUSE_IN_WRITE;

const seams = {
  store:
    hold > 0
      ? (store) => ({
          ...store,
          write: (fn) =>
            store.write(async (tx) => {
              const result = await fn(tx);
              await sleep(hold);
              return result;
            }),
        })
      : undefined,
  inImportTransaction: marker
    ? async () => {
        writeFileSync(marker, String(process.pid));
        await sleep(60_000);
      }
    : undefined,
};

process.exitCode = await main(process.argv.slice(2), { ...processIo(), seams });
