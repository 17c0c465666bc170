// Rebuilds a Debian source package as a git history: the upstream tarball as one commit, then
// each patch of debian/patches/series applied as a commit of its own. Everything comes from the
// Debian archive (checked against the sha256 sums of the suite's Sources index), cached under the
// OS temp folder, so anyone can rebuild the same data.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseSeries, patchFiles, patchText } from './dep3.js';

export interface DebianSpec {
  mirror: string;
  suite: string;
  component: string;
}

export interface PatchChange {
  name: string;
  /** Commit the patch was applied on (upstream plus the patches before it). */
  base: string;
  text: string;
  files: string[];
  /** False when the patch did not apply cleanly here (its files still count as its truth). */
  applied: boolean;
}

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
    cwd,
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 28,
  }).trimEnd();

export const cacheRoot = (): string => process.env.JITP_EVAL_CACHE ?? join(tmpdir(), 'jitp-eval-debian');

async function download(url: string, file: string, sha256?: string): Promise<void> {
  if (existsSync(file) && (!sha256 || createHash('sha256').update(readFileSync(file)).digest('hex') === sha256)) return;
  const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (sha256 && createHash('sha256').update(buf).digest('hex') !== sha256)
    throw new Error(`${url}: sha256 does not match the Sources index`);
  writeFileSync(`${file}.part`, buf);
  renameSync(`${file}.part`, file);
}

export interface SourceEntry {
  package: string;
  version: string;
  directory: string;
  files: Array<{ name: string; sha256: string }>;
}

/** The suite's Sources index, parsed into stanzas by package (the newest version wins). */
export async function sourcesIndex(spec: DebianSpec): Promise<Map<string, SourceEntry>> {
  const dir = join(cacheRoot(), `${spec.suite}-${spec.component}`);
  mkdirSync(dir, { recursive: true });
  const gz = join(dir, 'Sources.gz');
  // The index changes with point releases; a day-old copy is fine for an evaluation. The .gz
  // form, checked against the suite's Release file, needs no xz program (macOS has none).
  if (!existsSync(gz) || Date.now() - statSync(gz).mtimeMs > 86_400_000) {
    const release = join(dir, 'Release');
    await download(`${spec.mirror}/dists/${spec.suite}/Release`, release);
    const want = `${spec.component}/source/Sources.gz`;
    const sum = readFileSync(release, 'utf8')
      .split(/^SHA256:$/m)[1]
      ?.split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f[2] === want)?.[0];
    if (!sum) throw new Error(`${spec.mirror}/dists/${spec.suite}/Release lists no ${want}`);
    rmSync(gz, { force: true });
    await download(`${spec.mirror}/dists/${spec.suite}/${want}`, gz, sum);
  }
  const text = gunzipSync(readFileSync(gz)).toString('utf8');
  const out = new Map<string, SourceEntry>();
  for (const stanza of text.split(/\n\n+/)) {
    const pkg = /^Package: (.+)$/m.exec(stanza)?.[1];
    const version = /^Version: (.+)$/m.exec(stanza)?.[1];
    const directory = /^Directory: (.+)$/m.exec(stanza)?.[1];
    const sums = /^Checksums-Sha256:\n((?: .+\n?)+)/m.exec(stanza)?.[1];
    if (!pkg || !version || !directory || !sums) continue;
    const files = sums
      .trim()
      .split('\n')
      .map((l) => {
        const [sha256, , name] = l.trim().split(/\s+/);
        return { name: name!, sha256: sha256! };
      });
    out.set(pkg, { package: pkg, version, directory, files });
  }
  return out;
}

/** Builds (or reuses) the package's history; returns the repository and one change per patch. */
export async function buildPackage(
  spec: DebianSpec,
  entry: SourceEntry,
  progress: (s: string) => void = () => {},
): Promise<{ repo: string; changes: PatchChange[]; upstream: string }> {
  const root = join(cacheRoot(), entry.package);
  const key = `${entry.package}_${entry.version}`.replace(/[^A-Za-z0-9._+-]/g, '_');
  const repo = join(root, key);
  const saved = join(repo, '.git', 'jitp-eval-debian.json');
  if (existsSync(saved))
    return JSON.parse(readFileSync(saved, 'utf8')) as { repo: string; changes: PatchChange[]; upstream: string };
  mkdirSync(root, { recursive: true });
  const orig = entry.files.find((f) => /\.orig\.tar\.(gz|xz|bz2)$/.test(f.name));
  const deb = entry.files.find((f) => /\.debian\.tar\.(gz|xz|bz2)$/.test(f.name));
  if (!orig || !deb)
    throw new Error(
      `${entry.package} ${entry.version}: not a 3.0 (quilt) source package (no .orig and .debian tarballs)`,
    );
  progress(`${entry.package} ${entry.version}: downloading ${orig.name} and ${deb.name}…`);
  for (const f of [orig, deb])
    await download(`${spec.mirror}/${entry.directory}/${f.name}`, join(root, f.name), f.sha256);
  const building = `${repo}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  execFileSync('tar', ['xf', join(root, orig.name), '--strip-components=1', '-C', building]);
  const debDir = join(root, `${key}.debian`);
  rmSync(debDir, { recursive: true, force: true });
  mkdirSync(debDir);
  execFileSync('tar', ['xf', join(root, deb.name), '-C', debDir]);
  rmSync(join(building, 'debian'), { recursive: true, force: true });
  let n = 0;
  const env = () => {
    const when = `${1_600_000_000 + n++ * 3600} +0000`;
    return {
      ...process.env,
      GIT_AUTHOR_NAME: 'debian',
      GIT_AUTHOR_EMAIL: 'debian@eval',
      GIT_COMMITTER_NAME: 'debian',
      GIT_COMMITTER_EMAIL: 'debian@eval',
      GIT_AUTHOR_DATE: when,
      GIT_COMMITTER_DATE: when,
    };
  };
  git(building, ['init', '-q', '-b', 'main']);
  git(building, ['config', 'commit.gpgSign', 'false']);
  git(building, ['add', '-A', '-f', '.']);
  git(
    building,
    ['commit', '-q', '--no-verify', '-m', `${entry.package} ${entry.version.replace(/-[^-]+$/, '')} (upstream)`],
    env(),
  );
  const upstream = git(building, ['rev-parse', 'HEAD']);
  const seriesFile = join(debDir, 'debian', 'patches', 'series');
  const series = existsSync(seriesFile) ? parseSeries(readFileSync(seriesFile, 'utf8')) : [];
  progress(`${entry.package}: applying ${series.length} patches…`);
  const changes: PatchChange[] = [];
  for (const { name, strip } of series) {
    const file = join(debDir, 'debian', 'patches', name);
    if (!existsSync(file)) continue;
    const patch = readFileSync(file, 'latin1');
    const base = git(building, ['rev-parse', 'HEAD']);
    const files = patchFiles(patch, strip);
    const r = spawnSync(
      'patch',
      [`-p${strip}`, '-N', '-f', '-s', '-E', '--no-backup-if-mismatch', '-r', '-', '-i', file],
      { cwd: building, encoding: 'utf8' },
    );
    const applied = r.status === 0;
    if (!applied) (git(building, ['checkout', '-q', '-f', 'HEAD']), git(building, ['clean', '-q', '-fdx']));
    const text = patchText(patch);
    git(building, ['add', '-A', '-f', '.']);
    writeFileSync(join(building, '.git', 'MSG'), `${text || name}\n`);
    git(building, ['commit', '-q', '--allow-empty', '--no-verify', '-F', join(building, '.git', 'MSG')], env());
    changes.push({ name, base, text, files, applied });
  }
  const result = { repo, changes, upstream };
  writeFileSync(join(building, '.git', 'jitp-eval-debian.json'), JSON.stringify(result));
  rmSync(repo, { recursive: true, force: true });
  renameSync(building, repo);
  rmSync(debDir, { recursive: true, force: true });
  return result;
}

export function listCached(): string[] {
  return existsSync(cacheRoot()) ? readdirSync(cacheRoot()) : [];
}
