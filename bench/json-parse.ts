/** The baseline of the warm-start benchmark: read and JSON.parse a file, nothing else. */
import { readFileSync } from 'node:fs';

const document = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { entries: object };
const result = {
  listenMs: Math.round(process.uptime() * 1000),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  entries: Object.keys(document.entries).length,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
