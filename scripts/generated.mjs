// A file generated from the sources and kept in the repository (docs/figures.md, test/fixtures/published-pins.json):
// written, or with `--check` on the command line only compared with what the sources make now.
import { readFileSync, writeFileSync } from 'node:fs';

/** Whether the script was asked only to compare (`--check`). */
export const checking = process.argv.includes('--check');

/**
 * Writes `text` to `target` and prints `messages.written`; checking, compares instead: a file that differs (or is
 * missing) prints `messages.stale` on stderr and sets exit code 1, an equal one prints `messages.unchanged` if given.
 * Returns whether the file on disk is now `text`.
 *
 * @param {URL | string} target
 * @param {string} text
 * @param {{ written: string, stale: string, unchanged?: string }} messages
 */
export function writeOrCheck(target, text, messages) {
  if (!checking) {
    writeFileSync(target, text);
    console.log(messages.written);
    return true;
  }
  let old = '';
  try {
    old = readFileSync(target, 'utf8');
  } catch {
    // missing: stale
  }
  if (old !== text) {
    console.error(messages.stale);
    process.exitCode = 1;
    return false;
  }
  if (messages.unchanged) console.log(messages.unchanged);
  return true;
}
