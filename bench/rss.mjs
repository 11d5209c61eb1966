// Loaded with `node --import`: prints the process's peak RSS (MB) and CPU time (user + system, ms) to stderr at exit.
import { writeSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  writeSync(2, `\nPEAK_RSS_MB=${(u.maxRSS / 1024).toFixed(0)}\nCPU_MS=${((u.userCPUTime + u.systemCPUTime) / 1000).toFixed(0)}\n`);
});
