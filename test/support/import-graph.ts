// Every import of every module under src/, read with the TypeScript parser: static imports and
// re-exports (type-only ones too: a type is a dependency of the design), side-effect imports,
// dynamic import() calls and `import('x').T` types. Plus the layer rules as pure functions.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing module, relative to the repository root (`src/cli/main.ts`). */
  from: string;
  /** The specifier as written. */
  spec: string;
  /** Resolved module (`src/core/globs.ts`), or the package/builtin name for bare specifiers. */
  to: string;
  kind: 'static' | 'type' | 'dynamic';
  line: number;
}

const sourceFiles = (root: string): string[] =>
  readdirSync(join(root, 'src'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `src/${f.split('\\').join('/')}`)
    .sort();

export function importsOf(root: string, file: string, text = readFileSync(join(root, file), 'utf8')): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: ImportEdge[] = [];
  const add = (node: ts.Node, spec: string, kind: ImportEdge['kind']) => {
    const to = spec.startsWith('.')
      ? relative(root, resolve(root, dirname(file), spec))
          .split('\\')
          .join('/')
          .replace(/\.js$/, '.ts')
      : spec;
    out.push({ from: file, spec, to, kind, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.importClause?.isTypeOnly ||
        (!!node.importClause &&
          !node.importClause.name &&
          !!node.importClause.namedBindings &&
          ts.isNamedImports(node.importClause.namedBindings) &&
          node.importClause.namedBindings.elements.length > 0 &&
          node.importClause.namedBindings.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier.text, typeOnly ? 'type' : 'static');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly ? 'type' : 'static');
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node, node.arguments[0].text, 'dynamic');
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node, node.argument.literal.text, 'type');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function importGraph(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((f) => importsOf(root, f));
}

/** `src/core/globs.ts` -> `core`; anything outside src/ (packages, builtins) -> undefined. */
export const folderOf = (mod: string): string | undefined => (mod.startsWith('src/') ? mod.split('/')[1] : undefined);

export interface LayerViolation {
  edge: ImportEdge;
  why: string;
}

/** Edges into a folder of a higher layer, and edges from or into folders the map does not place. */
export function upwardEdges(edges: readonly ImportEdge[], layerOf: Readonly<Record<string, number>>): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    if (!(a in layerOf)) out.push({ edge: e, why: `src/${a}/ is in no layer` });
    else if (!(b in layerOf)) out.push({ edge: e, why: `src/${b}/ is in no layer` });
    else if (layerOf[b]! > layerOf[a]!)
      out.push({ edge: e, why: `${a} (layer ${layerOf[a]}) imports ${b} (layer ${layerOf[b]})` });
  }
  return out;
}

/** Folder cycles (strongly connected components of more than one folder), each with one edge per step. */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a && b && a !== b) (next.get(a) ?? next.set(a, new Set()).get(a)!).add(b);
  }
  // Tarjan's algorithm.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const sccs: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) sccs.push(scc.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!idx.has(v)) strong(v);
  return sccs;
}

/** The edges between the folders of one cycle, for the message. */
export const edgesWithin = (edges: readonly ImportEdge[], folders: readonly string[]): ImportEdge[] =>
  edges.filter((e) => {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    return a !== b && !!a && !!b && folders.includes(a) && folders.includes(b);
  });

export const describeEdge = (e: ImportEdge): string => `${e.from}:${e.line} -> ${e.spec} (${e.kind})`;
