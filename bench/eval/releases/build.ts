// Rebuilds a package's release history from the npm registry: one commit per published version
// (the tarball's files), whose message is that version's section of the package's own changelog.
// Everything comes from the registry, so anyone can rebuild the same history; the repository is
// cached under the OS temp folder and rebuilt only when the version list changes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changelogSection, pickChangelog } from './changelog.js';
import { compareVersions, inRange } from './versions.js';

export interface ReleaseSource {
  /** npm package name. */
  name: string;
  /** Versions to take: `>=a <b` (stable versions only). */
  range: string;
  /** Globs of files that are release mechanics, not the change (changelog, generated files). */
  ignore?: string[];
  /** A folder of `<version>.tgz` files to use instead of the registry (tests, offline reruns). */
  tarballs?: string;
}

export interface Release {
  version: string;
  commit: string;
  /** Changelog section for this version ('' when the changelog has none). */
  text: string;
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
    cwd,
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 28,
  }).trimEnd();

export function cacheRoot(): string {
  return join(process.env.JITP_EVAL_CACHE ?? join(tmpdir(), 'jitp-eval-releases'));
}

/** The published stable versions in range, oldest first. */
export function versionsOf(src: ReleaseSource, cwd: string): string[] {
  const all = src.tarballs
    ? readdirSync(src.tarballs)
        .filter((f) => f.endsWith('.tgz'))
        .map((f) => f.slice(0, -4))
    : (JSON.parse(npm(['view', src.name, 'versions', '--json'], cwd)) as string[] | string);
  return (Array.isArray(all) ? all : [all])
    .filter((v) => !v.includes('-') && inRange(v, src.range))
    .sort(compareVersions);
}

/** Tarballs for each version, fetched with `npm pack` (npm's cache and registry settings apply). */
function fetchTarballs(
  src: ReleaseSource,
  versions: string[],
  dir: string,
  progress: (s: string) => void,
): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const out = new Map<string, string>();
  const missing = versions.filter((v) => !existsSync(join(dir, `${v}.tgz`)));
  if (missing.length) progress(`${src.name}: fetching ${missing.length} tarballs from the registry…`);
  for (const v of versions) {
    const file = join(dir, `${v}.tgz`);
    if (!existsSync(file)) {
      const tmp = join(dir, `.pack-${process.pid}`);
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      npm(['pack', `${src.name}@${v}`, '--silent', '--pack-destination', tmp], dir);
      const got = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
      if (!got) throw new Error(`npm pack ${src.name}@${v} produced no tarball`);
      renameSync(join(tmp, got), file);
      rmSync(tmp, { recursive: true, force: true });
    }
    out.set(v, file);
  }
  return out;
}

/** Builds (or reuses) the history repository; returns it with its releases, oldest first. */
export function buildHistory(
  src: ReleaseSource,
  progress: (s: string) => void = () => {},
): { repo: string; releases: Release[] } {
  const root = join(
    cacheRoot(),
    src.name.replace(/[^A-Za-z0-9._-]/g, '_') +
      (src.tarballs ? `-local-${createHash('sha1').update(src.tarballs).digest('hex').slice(0, 8)}` : ''),
  );
  mkdirSync(root, { recursive: true });
  const versions = versionsOf(src, root);
  if (versions.length < 2) throw new Error(`${src.name}: fewer than two stable versions in ${src.range}`);
  const key = `${src.range}\n${versions.join(',')}`;
  const repo = join(root, `repo-${versions[0]}-${versions.at(-1)}`);
  const manifest = join(repo, '.git', 'jitp-eval-releases.json');
  if (existsSync(manifest)) {
    const saved = JSON.parse(readFileSync(manifest, 'utf8')) as { key: string; releases: Release[] };
    if (saved.key === key) return { repo, releases: saved.releases };
  }
  const tarballs = src.tarballs
    ? new Map(versions.map((v) => [v, join(src.tarballs!, `${v}.tgz`)]))
    : fetchTarballs(src, versions, join(root, 'tarballs'), progress);
  progress(`${src.name}: building a history of ${versions.length} releases…`);
  const building = `${repo}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  git(building, ['init', '-q', '-b', 'main']);
  git(building, ['config', 'commit.gpgSign', 'false']);
  const releases: Release[] = [];
  versions.forEach((v, i) => {
    for (const f of readdirSync(building))
      if (f !== '.git') rmSync(join(building, f), { recursive: true, force: true });
    execFileSync('tar', ['xzf', tarballs.get(v)!, '--strip-components=1', '-C', building]);
    const log = pickChangelog(readdirSync(building));
    const text = log ? changelogSection(readFileSync(join(building, log), 'utf8'), v, versions) : '';
    // Fixed identity and dates: the same registry data gives the same commit ids.
    const when = `${1_600_000_000 + i * 86_400} +0000`;
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'release',
      GIT_AUTHOR_EMAIL: 'release@npm',
      GIT_COMMITTER_NAME: 'release',
      GIT_COMMITTER_EMAIL: 'release@npm',
      GIT_AUTHOR_DATE: when,
      GIT_COMMITTER_DATE: when,
    };
    git(building, ['add', '-A', '-f', '.']);
    writeFileSync(join(building, '.git', 'MSG'), `${text || `${src.name} ${v}`}\n`);
    git(building, ['commit', '-q', '--allow-empty', '--no-verify', '-F', join(building, '.git', 'MSG')], env);
    releases.push({ version: v, commit: git(building, ['rev-parse', 'HEAD']), text });
  });
  writeFileSync(join(building, '.git', 'jitp-eval-releases.json'), JSON.stringify({ key, releases }));
  rmSync(repo, { recursive: true, force: true });
  renameSync(building, repo);
  return { repo, releases };
}
