// The local mirror of one remote's leases: a JSON snapshot under <git common dir>/jit-parallel/
// that hooks read on every edit instead of the network. Written whole (temp + rename) after
// every jitp write and every fetch; readers never lock. Kept dependency-free so the hook
// bundle can import it without pulling in git or the CLI.
import { writeFileAtomic } from '../platform/atomic-write.js';
import { mirrorPath, readMirror, type RemoteMirror } from './mirror-read.js';

export {
  MIRROR_SCHEMA_VERSION,
  mirrorAgeSecs,
  mirrorPath,
  readMirror,
  remoteFileKey,
  type RemoteMirror,
} from './mirror-read.js';

/**
 * Replaces the mirror unless the file already holds a newer view (several jitp processes of one
 * clone finish in any order; an older view must not overwrite a newer one). Newer: a higher
 * store version, or the same version known at a later time. Releases delete a lease without
 * moving the version, so a fetch that began before our release returned must not bring the
 * released lease back.
 */
export function writeMirror(storeDir: string, m: RemoteMirror): void {
  const cur = readMirror(storeDir, m.remote);
  if (
    cur &&
    (cur.version > m.version || (cur.version === m.version && Date.parse(cur.fetchedAt) > Date.parse(m.fetchedAt)))
  )
    return;
  const file = mirrorPath(storeDir, m.remote);
  writeFileAtomic(file, `${JSON.stringify(m, null, 1)}\n`, { mkdir: true });
}
