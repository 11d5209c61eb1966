// Loaded with `node --import`: prints the process's peak RSS (MB) to stderr at exit.
import { writeSync } from 'node:fs';
process.on('exit', () => writeSync(2, `\nPEAK_RSS_MB=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\n`));
