// A reader racing the writers (test/store/race.test.ts): reads the store (snapshot, then the delta
// of its generation; state-delta.ts withDelta) in a loop until `<stop>` exists, and reports what no
// reader may ever see: an error, a version lower than one it saw before (a stale snapshot taken
// without the delta that was committed on top of it), a lease id twice, or an issue held twice.
import { existsSync } from 'node:fs';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';

const [storeDir, stop] = process.argv.slice(2) as [string, string];
const out = { reads: 0, errors: [] as string[], backwards: 0, twice: 0 };
let last = -1;
const until = Date.now() + 120_000;
while (!existsSync(stop) && Date.now() < until) {
  try {
    const s = readSnapshotSync(storeDir);
    out.reads++;
    if (s.version < last) out.backwards++;
    last = Math.max(last, s.version);
    const ids = new Set(s.leases.map((l) => l.id));
    const issues = new Set(s.leases.map((l) => l.issueId));
    if (ids.size !== s.leases.length || issues.size !== s.leases.length) out.twice++;
  } catch (e) {
    if (out.errors.length < 5) out.errors.push((e as Error).message);
  }
}
process.stdout.write(JSON.stringify(out));
