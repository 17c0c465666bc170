// Pure classification of repository paths: which files are shared by nature (manifests,
// lock files, registries), which are risky (migrations, CI), which are tests or docs.

export type FileClass = 'manifest' | 'lock' | 'registry' | 'migration' | 'ci' | 'test' | 'doc' | 'code';

const MANIFEST = new RegExp(
  String.raw`(^|\/)(package\.json|Cargo\.toml|go\.mod|pyproject\.toml|setup\.py|setup\.cfg` +
    String.raw`|requirements[\w.-]*\.txt|Gemfile|Pipfile|pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?` +
    String.raw`|composer\.json|deno\.jsonc?|mix\.exs|pubspec\.yaml|[\w.-]+\.csproj|[\w.-]+\.gemspec)$`,
);
const LOCK = new RegExp(
  String.raw`(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock` +
    String.raw`|go\.sum|poetry\.lock|Pipfile\.lock|uv\.lock|Gemfile\.lock|composer\.lock|pubspec\.lock|mix\.lock` +
    String.raw`|flake\.lock|deno\.lock)$`,
);
/** Barrel and registry files: every new sibling module tends to be wired in here. */
const REGISTRY = /(^|\/)(index\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)|mod\.rs|lib\.rs|__init__\.py|main\.[A-Za-z0-9]+)$/;
const MIGRATION = /(^|\/)(migrations?|migrate|alembic|db\/schema)(\/|$)|(^|\/)\d{3,}[_-][\w-]+\.(sql|py|rb|ts|js)$/i;
const CI = new RegExp(
  String.raw`^(\.github\/(workflows|actions)\/|\.gitlab-ci\.yml$|\.circleci\/|Jenkinsfile$` +
    String.raw`|azure-pipelines\.ya?ml$|\.travis\.yml$|\.buildkite\/|\.drone\.yml$|bitbucket-pipelines\.yml$)`,
);
const TEST = new RegExp(
  String.raw`(^|\/)(tests?|__tests__|spec|specs|testdata|fixtures)\/|(^|\/)[^/]*[._-](test|spec)\.[A-Za-z0-9]+$` +
    String.raw`|(^|\/)test_[^/]+\.py$|_test\.(go|py|rs|exs)$`,
);
const DOC = new RegExp(
  String.raw`(^|\/)(docs?|documentation)\/|\.(md|mdx|rst|adoc|txt)$|(^|\/)(README|CHANGELOG|CONTRIBUTING` +
    String.raw`|LICENSE|NOTICE|AUTHORS)[^/]*$`,
  'i',
);

export function classifyPath(path: string): FileClass {
  if (LOCK.test(path)) return 'lock';
  if (MANIFEST.test(path)) return 'manifest';
  if (CI.test(path)) return 'ci';
  if (MIGRATION.test(path)) return 'migration';
  if (REGISTRY.test(path)) return 'registry';
  if (TEST.test(path)) return 'test';
  if (DOC.test(path)) return 'doc';
  return 'code';
}

/** Classes that make an issue CRITICAL: changes every other branch must rebase onto. */
export const CRITICAL_CLASSES: ReadonlySet<FileClass> = new Set(['manifest', 'lock', 'migration', 'ci']);

export const dirOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
};
export const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
/** `src/a/foo.test.ts` -> `foo`; `test_foo.py` -> `foo`. */
export const stemOf = (p: string): string =>
  baseOf(p)
    .replace(/^test_/, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[._-](test|spec)$/, '')
    .replace(/_test$/, '');
