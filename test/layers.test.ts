/**
 * The floors of src/, declared once (FLOORS below) and checked from the code's own imports: a folder imports its own
 * files and folders of lower floors only, so no import runs back up and no two folders import each other (folders
 * of one floor import nothing of each other). A file in a folder that has no floor fails until it is placed; a
 * module private to its folder (PRIVATE) is imported from nowhere else; no source file is over MAX_LINES lines.
 * Each failure names the file and the import.
 */
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {test} from 'node:test';
import ts from 'typescript';
import {ROOT} from './support/run.js';

/**
 * The floors, lowest first. `.` is the ground floor, the files directly in src/: the context type, errors, env,
 * time, rules, the contract, terminal text, the private-folder primitive, the request types and the key marker.
 */
export const FLOORS: ReadonlyArray<readonly string[]> = [
  [`.`],
  // bundles/: what each library bundle of dist/ holds (the SDK clients, age), imported by aws/ and keys/ only.
  [`dialects`, `io`, `aws-files`, `bundles`],
  [`aws`],
  [`keys`, `cache`],
  [`session`],
  [`commands`],
  [`cli`],
  [`bin`],
];

/**
 * Modules that only their own folder may import: what they hold goes out through one door. The session cache's
 * files and the shells' files are read and written through cache/session-cache.ts alone.
 */
export const PRIVATE: Readonly<Record<string, string>> = {
  'cache/sessions.ts': `cache`,
  'cache/shell-files.ts': `cache`,
};

export const MAX_LINES = 400;

const SRC = join(ROOT, `src`);

/** The folder of a file under src/: its first path segment, `.` for a file directly in src/. */
function folderOf(file: string): string {
  const parts = file.split(`/`);
  return parts.length === 1 ? `.` : parts[0]!;
}

function floorOf(folder: string): number {
  return FLOORS.findIndex(floor => floor.includes(folder));
}

/** Every module a file names: import and export declarations, `import()` and `typeof import()`, type-only ones too. */
export function importsOf(fileName: string, text: string): Array<{specifier: string, line: number} | {unchecked: string, line: number}> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Array<{specifier: string, line: number} | {unchecked: string, line: number}> = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    let specifier: ts.Node | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined)
      specifier = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      specifier = node.arguments[0];
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      specifier = node.argument.literal;
    if (specifier !== undefined) {
      if (ts.isStringLiteral(specifier) || ts.isNoSubstitutionTemplateLiteral(specifier))
        found.push({specifier: specifier.text, line: lineOf(node)});
      else
        found.push({unchecked: specifier.getText(source), line: lineOf(node)});
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * What is wrong with these files (paths relative to src/, `/`-separated), one line each naming the file, the line
 * and the import; `exists` tells whether a module resolved to (relative to src/) is there.
 */
export function violations(files: ReadonlyMap<string, string>, exists: (file: string) => boolean): string[] {
  const wrong: string[] = [];
  for (const [file, text] of files) {
    const folder = folderOf(file);
    const floor = floorOf(folder);
    if (floor < 0) {
      wrong.push(`src/${file}: its folder ${folder}/ has no floor: place it in FLOORS (test/layers.test.ts), above every folder it imports`);
      continue;
    }
    const lines = text.split(`\n`).length - (text.endsWith(`\n`) ? 1 : 0);
    if (lines > MAX_LINES)
      wrong.push(`src/${file}: ${lines} lines, over ${MAX_LINES}: split what it does into modules of one job each`);
    for (const found of importsOf(file, text)) {
      const where = `src/${file}:${found.line}`;
      if (`unchecked` in found) {
        wrong.push(`${where}: import(${found.unchecked}) names no literal module, so its floor cannot be checked`);
        continue;
      }
      if (!found.specifier.startsWith(`.`))
        continue;
      const target = relative(SRC, resolve(SRC, dirname(file), found.specifier)).split(sep).join(`/`).replace(/\.js$/, `.ts`);
      if (target.startsWith(`..`)) {
        if (!/^\.\.\/package\.json$/.test(target))
          wrong.push(`${where}: imports ${found.specifier}, outside src/`);
        continue;
      }
      if (!exists(target)) {
        wrong.push(`${where}: imports ${found.specifier}, which is no module of src/`);
        continue;
      }
      const to = folderOf(target);
      if (to === folder)
        continue;
      const toFloor = floorOf(to);
      const owner = PRIVATE[target];
      if (owner !== undefined && owner !== folder)
        wrong.push(`${where}: imports ${found.specifier}, which is private to ${owner}/ (go through its door)`);
      if (toFloor < 0)
        wrong.push(`${where}: imports ${found.specifier}, whose folder ${to}/ has no floor in FLOORS`);
      else if (toFloor > floor)
        wrong.push(`${where}: imports ${found.specifier}, up from ${folder}/ (floor ${floor}) to ${to}/ (floor ${toFloor})`);
      else if (toFloor === floor)
        wrong.push(`${where}: imports ${found.specifier}: ${folder}/ and ${to}/ share floor ${floor}, whose folders import nothing of each other`);
    }
  }
  return wrong;
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(entry =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(`.ts`) ? [relative(SRC, join(dir, entry.name)).split(sep).join(`/`)] : []);
}

test(`no import in src/ runs up a floor, no two folders import each other, no file is over ${MAX_LINES} lines`, () => {
  const files = new Map(sourceFiles().map(file => [file, readFileSync(join(SRC, file), `utf8`)]));
  assert.ok(files.size > 50, `src/ read (${files.size} files)`);
  assert.deepEqual(violations(files, file => existsSync(join(SRC, file))), []);
});

test(`every folder of src/ has its floor, and each floor is named once`, () => {
  const folders = [...new Set(sourceFiles().map(folderOf))].sort();
  assert.deepEqual(folders.filter(folder => floorOf(folder) < 0), [], `folders of src/ with no floor in FLOORS`);
  const named = FLOORS.flat();
  assert.equal(new Set(named).size, named.length, `a folder named on two floors`);
});

test(`the check names what is wrong: an import up a floor, folders of one floor, a folder with no floor, a long file`, () => {
  const files = new Map([
    [`context.ts`, `import {x} from './cli/main.js';\n`],
    [`cache/sessions.ts`, `import type {AwsmfaContext} from '../cli/main.js';\nexport const a = 1;\n`],
    [`keys/move.ts`, `export async function f() { return import(\`../cache/sessions.js\`); }\n`],
    [`aws/sts.ts`, `type T = typeof import('../session/obtain.js');\nconst m = import(name);\n`],
    [`extra/thing.ts`, `export {};\n`],
    [`cli/main.ts`, `import {a} from '../cache/sessions.js';\nimport {b} from '../commands/env.js';\n${`//\n`.repeat(MAX_LINES)}`],
  ]);
  const exists = (file: string) => files.has(file) || file === `session/obtain.ts` || file === `commands/env.ts`;
  assert.deepEqual(violations(files, exists), [
    `src/context.ts:1: imports ./cli/main.js, up from ./ (floor 0) to cli/ (floor 6)`,
    `src/cache/sessions.ts:1: imports ../cli/main.js, up from cache/ (floor 3) to cli/ (floor 6)`,
    `src/keys/move.ts:1: imports ../cache/sessions.js, which is private to cache/ (go through its door)`,
    `src/keys/move.ts:1: imports ../cache/sessions.js: keys/ and cache/ share floor 3, whose folders import nothing of each other`,
    `src/aws/sts.ts:1: imports ../session/obtain.js, up from aws/ (floor 2) to session/ (floor 4)`,
    `src/aws/sts.ts:2: import(name) names no literal module, so its floor cannot be checked`,
    `src/extra/thing.ts: its folder extra/ has no floor: place it in FLOORS (test/layers.test.ts), above every folder it imports`,
    `src/cli/main.ts: ${MAX_LINES + 2} lines, over ${MAX_LINES}: split what it does into modules of one job each`,
    `src/cli/main.ts:1: imports ../cache/sessions.js, which is private to cache/ (go through its door)`,
  ]);
});
