// Writes the few git objects a lease change needs (blob, tree, commit) straight into the
// clone's object store. `git hash-object`/`mktree`/`commit-tree` would cost one process each
// (5 per change), which alone is a large part of a push to a local remote; the loose-object
// format is stable and tiny. SHA-1 and SHA-256 repositories are both handled.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { inDir } from './in-dir.js';

export type HashAlgo = 'sha1' | 'sha256';

export function objectFormatOf(commonDir: string): HashAlgo {
  try {
    const cfg = readFileSync(join(commonDir, 'config'), 'utf8');
    // [extensions] objectFormat = sha256 (keys are case-insensitive)
    return /^\s*objectformat\s*=\s*sha256\s*$/im.test(cfg) ? 'sha256' : 'sha1';
  } catch {
    return 'sha1';
  }
}

export const zeroId = (algo: HashAlgo): string => '0'.repeat(algo === 'sha1' ? 40 : 64);

export class ObjectWriter {
  readonly algo: HashAlgo;
  private readonly objectsDir: string;

  constructor(commonDir: string, env: NodeJS.ProcessEnv = process.env) {
    this.algo = objectFormatOf(commonDir);
    this.objectsDir = env.GIT_OBJECT_DIRECTORY ?? join(commonDir, 'objects');
  }

  /** Writes one object (if absent) and returns its id. */
  write(type: 'blob' | 'tree' | 'commit', body: Buffer): string {
    const full = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]);
    const id = createHash(this.algo).update(full).digest('hex');
    const dir = join(this.objectsDir, id.slice(0, 2));
    const file = join(dir, id.slice(2));
    if (existsSync(file)) return id; // content-addressed: an existing file already holds exactly this
    const tmp = join(dir, `tmp_obj_jitp_${process.pid}_${randomBytes(6).toString('hex')}`);
    const data = deflateSync(full);
    // Read-only like git's own loose objects (the mode applies at creation; umask only removes bits).
    inDir(dir, () => writeFileSync(tmp, data, { flag: 'wx', mode: 0o444 }));
    try {
      // link, not rename: like git, never replace an object another writer just finished.
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
    return id;
  }

  blob(text: string): string {
    return this.write('blob', Buffer.from(text, 'utf8'));
  }

  /** Entries name -> {blob|tree id}; git sorts trees as if their name ended in `/`. */
  tree(entries: Record<string, { type: 'blob' | 'tree'; id: string }>): string {
    const names = Object.keys(entries).sort((a, b) => {
      const ka = entries[a]!.type === 'tree' ? `${a}/` : a;
      const kb = entries[b]!.type === 'tree' ? `${b}/` : b;
      return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
    });
    const parts: Buffer[] = [];
    for (const name of names) {
      const e = entries[name]!;
      parts.push(Buffer.from(`${e.type === 'tree' ? '40000' : '100644'} ${name}\0`), Buffer.from(e.id, 'hex'));
    }
    return this.write('tree', Buffer.concat(parts));
  }

  commit(opts: { tree: string; parents: string[]; message: string; who: string; when: Date }): string {
    const ts = `${Math.floor(opts.when.getTime() / 1000)} +0000`;
    const lines = [
      `tree ${opts.tree}`,
      ...opts.parents.map((p) => `parent ${p}`),
      `author ${opts.who} ${ts}`,
      `committer ${opts.who} ${ts}`,
      '',
      opts.message,
    ];
    return this.write('commit', Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  }
}
