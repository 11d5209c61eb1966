// The CLI as bin/xypz.js runs it (from dist/: `npm run build` first), with the test seams of src/context.ts
// set from this process's environment. Production code reads none of these variables.
// - XYPZ_TEST_HOLD_WRITE_MS=<ms>: every write waits that long before it commits. The concurrency tests widen
//   with it the moment between a rule's read and its write, in which unserialised writers would interleave.
// - XYPZ_TEST_WRITE_BARRIER=<directory> and XYPZ_TEST_WRITE_BARRIER_N=<n>: before its first write, the process
//   leaves a file named by its pid in the directory and waits until n processes have (at most 60 s), so that n
//   processes started together have each done all they do before writing (parsed a file, read what they read
//   outside the transaction) before any of them begins to write.
// - XYPZ_TEST_PAUSE_IN_WRITE=<marker file>: an import writes the marker once it is inside its write transaction
//   and waits there, so a test can kill the process at a known point.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main, processIo } from '../dist/cli.js';

const hold = Number(process.env.XYPZ_TEST_HOLD_WRITE_MS ?? 0);
const marker = process.env.XYPZ_TEST_PAUSE_IN_WRITE;
const barrier = process.env.XYPZ_TEST_WRITE_BARRIER;
const together = Number(process.env.XYPZ_TEST_WRITE_BARRIER_N ?? 0);

let arrived = false;
async function atBarrier() {
  if (!barrier || arrived) return;
  arrived = true;
  writeFileSync(join(barrier, String(process.pid)), '');
  for (const end = Date.now() + 60_000; readdirSync(barrier).length < together && Date.now() < end; ) await sleep(10);
}

const seams = {
  store:
    hold > 0 || barrier
      ? (store) => ({
          ...store,
          write: async (fn) => {
            await atBarrier();
            return store.write(async (tx) => {
              const result = await fn(tx);
              if (hold > 0) await sleep(hold);
              return result;
            });
          },
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
