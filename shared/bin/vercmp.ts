/**
 * Usage: `npm run -s vercmp -- ECOSYSTEM < pairs.txt` where ECOSYSTEM is an OSV ecosystem name
 * (`Debian`, `Ubuntu`, `Red Hat`, `Alpine`, `PyPI`, `npm`, `Go`, `Maven`, ... or with a release,
 * `Debian:12`). Reads lines `A B`, prints one line for each: `<`, `=`, `>` or `! reason`.
 */
import { createInterface } from 'node:readline';
import { schemeFor } from '../src/versions/index';
import { knownEcosystems, vercmpLine } from '../src/versions/vercmp';

const ecosystem = process.argv.slice(2).join(' ');
if (!ecosystem || !schemeFor(ecosystem)) {
  process.stderr.write(
    `usage: npm run -s vercmp -- ECOSYSTEM < pairs\n${ecosystem ? `unknown ecosystem "${ecosystem}"; ` : ''}known: ${knownEcosystems()}\n`,
  );
  process.exit(2);
}

// Answers are written in blocks: one write per line would dominate the run time at 100,000 lines.
let out: string[] = [];
const flush = () => {
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  out = [];
};
for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
  out.push(vercmpLine(ecosystem, line));
  if (out.length >= 4096) flush();
}
flush();
