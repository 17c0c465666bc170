// V8's code cache for the hook's CommonJS bundles (issue 13: hook cost at 1,000 leases). While a
// lease is live, every PreToolUse call compiles dist/hook-pre.cjs and the lazy bundles it needs
// (about 140 KB for a Bash call): 5-10 ms of a process whose floor (`node -e 0`) is 40-120 ms,
// paid on every tool call. Node 22's module.enableCompileCache does this; Node 20 has no such
// switch, so the bundles are compiled here with vm.Script and the bytecode V8 made for them (taken
// at exit, so the functions the call ran are in it) is kept per user, build, Node and bundle.
//
// Only a speed-up: no cache folder, a cache V8 rejects (another V8, other flags, a damaged file),
// a write that fails: the bundle compiles as Node would compile it, and the answer is the same.
// V8 checks a cache against the source's length only, so the file name also carries the
// bundle's size and mtime: a bundle edited in place gets a new name, never another's bytecode.
// The folder is the user's own (0700); anyone who can write there can already change the plugin.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync } from 'node:fs';
import { statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// node:vm and node:module load only on the live path: every edit of every user loads this file.
type Vm = typeof import('node:vm');
type Mod = typeof import('node:module');

/** What the lazy bundles' loader stubs call (scripts/build-config.mjs, lazyImports). */
export const LOADER_KEY = '__jitpRequireBundle';
/** ...and what their ES module stubs call: import() from the front door, which Node compiled. */
export const IMPORT_KEY = '__jitpImport';

/** The cache folder: JITP_CODE_CACHE_DIR, else the user's cache folder; none when `JITP_CODE_CACHE=0`. */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform = process.platform): string | undefined {
  if (env.JITP_CODE_CACHE === '0') return undefined;
  if (env.JITP_CODE_CACHE_DIR) return env.JITP_CODE_CACHE_DIR;
  const home = env.HOME; // what os.homedir() reads first; without it, no cache
  if (!home?.startsWith('/')) return undefined;
  const base =
    platform === 'darwin'
      ? join(home, 'Library', 'Caches')
      : env.XDG_CACHE_HOME?.startsWith('/')
        ? env.XDG_CACHE_HOME
        : join(home, '.cache');
  return join(base, 'jit-parallel', 'v8');
}

interface Pending {
  script: import('node:vm').Script;
  file: string;
  /** `<bundle name>-`: the start of every cache file of that bundle, of any build. */
  family: string;
}

/** Another build's cache of a bundle is dropped once unused this long (two installed builds may alternate). */
const STALE_MS = 24 * 3600 * 1000;

/**
 * require() for the hook's own bundles, through the code cache in `dir`. `build` names the build
 * (front-shared.ts BUILD_ID). Returns the bundle's exports; throws only what require() would.
 */
export function makeBundleLoader(dir: string, build: string): (file: string) => unknown {
  const loaded = new Map<string, unknown>();
  const pending: Pending[] = [];
  const vm = require('node:vm') as Vm;
  const mod = require('node:module') as Mod;
  process.once('exit', () => {
    for (const p of pending) save(dir, p);
  });
  return (file) => {
    if (loaded.has(file)) return loaded.get(file);
    const fd = openSync(file, 'r');
    let src: string;
    try {
      const st = fstatSync(fd);
      const buf = Buffer.allocUnsafe(st.size);
      let n = 0;
      while (n < st.size) {
        const r = readSync(fd, buf, n, st.size - n, n);
        if (r === 0) break;
        n += r;
      }
      src = buf.toString('utf8', 0, n);
      const family = `${basename(file)}-`;
      const key = `${family}${build}-${process.version}-${process.arch}-${n}-${Math.floor(st.mtimeMs)}.bin`;
      const exp = compile(vm, mod, file, src, join(dir, key), pending, family);
      loaded.set(file, exp);
      return exp;
    } finally {
      closeSync(fd);
    }
  };
}

function compile(
  vm: Vm,
  { Module, createRequire }: Mod,
  file: string,
  src: string,
  cacheFile: string,
  pending: Pending[],
  family: string,
): unknown {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(src), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (!cachedData || script.cachedDataRejected) pending.push({ script, file: cacheFile, family });
  const fn = script.runInThisContext() as (...a: unknown[]) => void;
  const m = new Module(file);
  m.filename = file;
  const req = createRequire(file);
  req.cache[file] = m; // as require() would: one instance, and it shows in require.cache
  fn.call(m.exports, m.exports, req, m, file, dirname(file));
  m.loaded = true;
  return m.exports;
}

/** Writes a bundle's cache (temp file + rename) and drops its stale ones. Any failure: no cache. */
function save(dir: string, p: Pending): void {
  try {
    const data = p.script.createCachedData();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${p.file}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, p.file);
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const f = join(dir, name);
      if (name.startsWith(p.family) && f !== p.file && now - statSync(f).mtimeMs > STALE_MS) unlinkSync(f);
    }
  } catch {
    // best effort: the next call compiles the bundle again and tries once more
  }
}
