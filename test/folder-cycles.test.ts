// Folders import one another in one direction only: a newcomer can read the code bottom-up, and a folder can be
// understood with what lies below it. Folders are compared by the directory each relative import resolves to,
// so a file in api/src importing api/src/graphql/x.ts and a file there importing api/src/y.ts make a cycle.
//
// Type-only imports (`import type`, `export type`) are left out: they are erased when compiled and decide no
// load order, and the API's request Context must name the service container that sits above every module.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import ts from 'typescript';

const REPO = path.resolve(__dirname, '..');
const SKIPPED = new Set(['node_modules', '.next', 'build', 'dist', 'test-results']);

/** The trees that must have no folder cycle; `@/` is web's alias for its own root. */
const ROOTS: { root: string; aliases?: Record<string, string> }[] = [
  { root: 'native/lib' },
  { root: 'models/src' },
  { root: 'api/src' },
  { root: 'web', aliases: { '@/': 'web/' } },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The specifiers of a file's imports and re-exports that load code (type-only ones left out). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (!clause.name &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveImport(from: string, specifier: string, aliases: Record<string, string>): string | null {
  let target: string | null = null;
  if (specifier.startsWith('.')) target = path.resolve(path.dirname(from), specifier);
  for (const [alias, folder] of Object.entries(aliases)) {
    if (specifier.startsWith(alias)) target = path.join(REPO, folder, specifier.slice(alias.length));
  }
  if (target === null) return null;
  const candidates = [
    target,
    `${target}.ts`,
    `${target}.tsx`,
    path.join(target, 'index.ts'),
    path.join(target, 'index.tsx'),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

/** Each group of folders that import one another in a ring, with the imports that close it. */
function folderCycles(root: string, aliases: Record<string, string> = {}): string[] {
  const top = path.join(REPO, root);
  const edges = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(top)) {
    for (const specifier of valueImports(file)) {
      const target = resolveImport(file, specifier, aliases);
      if (!target || !target.startsWith(top + path.sep)) continue;
      const [from, to] = [path.dirname(file), path.dirname(target)].map((dir) => path.relative(REPO, dir));
      if (from === to) continue;
      const out = edges.get(from!) ?? new Map<string, string[]>();
      edges.set(from!, out);
      out.set(to!, [...(out.get(to!) ?? []), `${path.relative(REPO, file)} imports ${specifier}`]);
    }
  }
  // Tarjan's strongly connected components: each component of more than one folder is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const connect = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder)!);
    stack.push(folder);
    for (const next of edges.get(folder)?.keys() ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(folder, Math.min(low.get(folder)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(folder, Math.min(low.get(folder)!, index.get(next)!));
      }
    }
    if (low.get(folder) !== index.get(folder)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      group.push(member);
    } while (member !== folder);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const folder of edges.keys()) if (!index.has(folder)) connect(folder);
  return groups.map((group) => {
    const lines = group.flatMap((from) =>
      [...(edges.get(from) ?? [])]
        .filter(([to]) => group.includes(to))
        .map(([to, imports]) => `  ${from} -> ${to}: ${imports.join('; ')}`),
    );
    return [`${group.join(', ')}:`, ...lines].join('\n');
  });
}

describe('folders import one another in one direction', () => {
  for (const { root, aliases } of ROOTS) {
    it(`has no folder cycle in ${root}`, () => {
      const cycles = folderCycles(root, aliases);
      assert.deepEqual(cycles, [], `folder cycles in ${root}:\n${cycles.join('\n')}`);
    });
  }
});
