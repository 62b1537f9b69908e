/**
 * Renders the parts of shell/ that repeat a fact of the CLI: every region between `>>> contract: NAME` and
 * `<<< contract: NAME` (in a comment of the file's own language) is rewritten by the renderers of the dialect that
 * owns the file (its module's `shellParts`, src/dialects/NAME.ts), from src/contract.ts and from what this script
 * hands them: the CLI's own clipanion definitions (commands, options, descriptions) and the dialect table's names.
 * Everything else in the files is hand-written and stays as it is, so each stays a real file that shellcheck,
 * `zsh -n` and `fish -n` check, loaded with no Node at shell start; each starts with a line saying so (HEAD).
 * `npm run render` writes the files; test/contract.test.ts renders them in memory and fails on any difference,
 * naming the file and the fact.
 */
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {buildCli} from '../src/cli/main.js';
import {COMMAND_GROUPS} from '../src/contract.js';
import {DIALECTS, SHELL_DIALECTS, SNIPPET_SHELLS, type Dialect} from '../src/dialects/index.js';
import type {CliFacts, CommandWord, CompletedCommand, CompletedOption, Renderers, ShellParts} from '../src/dialects/parts.js';
import {STORE_NAMES} from '../src/key-marker.js';
import {KEYS_PLACES} from '../src/keys/move.js';

export type {CommandWord, CompletedCommand, CompletedOption} from '../src/dialects/parts.js';

export const SHELL_DIR = fileURLToPath(new URL(`../shell/`, import.meta.url));
const DIALECT_DIR = new URL(`../src/dialects/`, import.meta.url);

/**
 * The values of an option that completion offers as fixed words (an option's values by its name, or by
 * COMMAND/NAME where a command takes other ones), from the modules that check them; test/completion.test.ts holds
 * them to what the CLI accepts.
 */
const VALUE_WORDS: Record<string, readonly string[]> = {'--to': STORE_NAMES, 'keys move/--to': KEYS_PLACES};

/** The commands and their options, from the CLI's clipanion definitions (hidden ones are not there), plus help. */
export function completedCommands(): CompletedCommand[] {
  const commands = buildCli().definitions().map(definition => {
    const name = definition.path.replace(/^awsmfa /, ``);
    const options: CompletedOption[] = definition.options.map(option => {
      const [names, value] = option.definition.split(` `);
      // A boolean that is on by default (--cache) is typed as its negation.
      const all = names!.split(`,`).map(one => one === `--cache` ? `--no-cache` : one);
      return {longs: all.filter(one => one.startsWith(`--`)), shorts: all.filter(one => !one.startsWith(`--`)), description: option.description ?? ``, value: value !== undefined};
    });
    const valued = options.flatMap(option => {
      const values = option.value ? VALUE_WORDS[`${name}/${option.longs[0]}`] ?? VALUE_WORDS[option.longs[0]!] : undefined;
      return values === undefined ? [] : [{names: [...option.longs, ...option.shorts], values}];
    });
    return {name, path: name.split(` `), description: (definition.description ?? ``).trim(), options, valued};
  });
  return [...commands, {name: `help`, path: [`help`], description: `show the help of awsmfa or of a command`, options: [], valued: []}];
}

/** What completion offers as a command's first word (see CommandWord). */
export function commandWords(commands = completedCommands()): CommandWord[] {
  const words: Array<{word: string, description: string, group: CompletedCommand[]}> = [];
  for (const command of commands) {
    const [first, ...rest] = command.path;
    const known = words.find(word => word.word === first);
    if (rest.length === 0) {
      words.push({word: first!, description: command.description, group: []});
    } else if (known !== undefined) {
      known.group.push(command);
    } else {
      const about = COMMAND_GROUPS[first!];
      if (about === undefined)
        throw new Error(`src/contract.ts: COMMAND_GROUPS says nothing of ${first}, the first word of awsmfa ${command.name}`);
      if (rest.length > 1)
        throw new Error(`awsmfa ${command.name}: completion knows commands of one or two words`);
      words.push({word: first!, description: about, group: [command]});
    }
  }
  // A group's description lists its second words, which the CLI's definitions name.
  return words.map(word => word.group.length === 0 ? word : {...word, description: `${word.description}: ${word.group.map(command => command.path[1]).join(`, `)}`});
}

/** What the renderers are handed: the CLI, and the dialect table's names. */
export function cliFacts(): CliFacts {
  const commands = completedCommands();
  return {commands, words: commandWords(commands), dialects: DIALECTS.map(dialect => dialect.name), snippetShells: SNIPPET_SHELLS};
}

/**
 * Each shell's parts, from its module src/dialects/NAME.ts: a shell of the table whose module has none (or not
 * as a ShellParts has them) stops everything that renders or tests the shells, naming what it lacks.
 */
async function loadShellParts(): Promise<ReadonlyMap<Dialect, ShellParts>> {
  const parts = new Map<Dialect, ShellParts>();
  for (const dialect of SHELL_DIALECTS) {
    const url = new URL(`${dialect.name}.ts`, DIALECT_DIR);
    const module = await import(url.href).catch((error: unknown) => {
      throw new Error(`the shell ${dialect.name} has no module src/dialects/${dialect.name}.ts (${(error as Error).message.split(`\n`)[0]})`);
    }) as {shellParts?: () => Partial<ShellParts>};
    const found = typeof module.shellParts === `function` ? module.shellParts() : undefined;
    if (found?.renderers === undefined || found.profile === undefined)
      throw new Error(`src/dialects/${dialect.name}.ts exports no function shellParts() giving its renderers and test profile (see src/dialects/parts.ts)`);
    parts.set(dialect, found as ShellParts);
  }
  return parts;
}

export const SHELL_PARTS = await loadShellParts();

/** The renderers of every file under shell/, by file; a file is one dialect's. */
export const RENDERERS: Renderers = Object.fromEntries([...SHELL_PARTS].flatMap(([dialect, parts]) => Object.entries(parts.renderers).map(([file, renderers]) => {
  const owners = [...SHELL_PARTS].filter(([, other]) => other.renderers[file] !== undefined).map(([other]) => other.name);
  if (owners.length > 1)
    throw new Error(`shell/${file} is rendered by ${owners.join(` and `)}: a file is one dialect's`);
  return [file, renderers];
})));

/** How a comment line starts in each file (a dialect's own, else `#`). */
const COMMENT: Record<string, string> = Object.fromEntries([...SHELL_PARTS].flatMap(([, parts]) => Object.keys(parts.renderers).map(file => [file, parts.comment ?? `#`])));

/** The first line of every file that has regions. */
export const HEAD = `Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.`;
export const headOf = (file: string) => `${COMMENT[file] ?? `#`} ${HEAD}`;

const FACTS = cliFacts();

const MARKER = /^(\s*)(#|rem) (>>>|<<<) contract: ([a-z-]+)\s*$/;

/** A file rendered: its new text, and what is wrong with its regions (unknown, unclosed, missing) and its head. */
export function renderFile(file: string, text: string, facts: CliFacts = FACTS): {text: string, problems: string[], regions: Map<string, string[]>} {
  const renderers = RENDERERS[file] ?? {};
  const eol = text.includes(`\r\n`) ? `\r\n` : `\n`;
  const lines = text.split(eol);
  const problems: string[] = [];
  // The head: put in, or put back in place of an older one.
  const head = headOf(file);
  if (lines[0] !== head) {
    problems.push(`the first line does not say which regions are rendered, and by what`);
    if (lines[0]?.includes(`scripts/render-shell.ts`))
      lines[0] = head;
    else
      lines.unshift(head);
  }
  const out: string[] = [];
  const regions = new Map<string, string[]>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    out.push(line);
    const open = MARKER.exec(line);
    if (!open || open[3] !== `>>>`)
      continue;
    const [, indent, , , name] = open;
    const end = lines.findIndex((candidate, at) => at > index && MARKER.exec(candidate)?.[3] === `<<<`);
    if (end === -1 || MARKER.exec(lines[end]!)![4] !== name) {
      problems.push(`region ${name} is not closed by its own <<< contract: ${name}`);
      continue;
    }
    const render = renderers[name!];
    if (render === undefined) {
      problems.push(`region ${name} is no fact of the contract for ${file}`);
      out.push(...lines.slice(index + 1, end + 1));
    } else {
      regions.set(name!, lines.slice(index + 1, end));
      out.push(...render(facts).map(rendered => rendered === `` ? `` : `${indent}${rendered}`), lines[end]!);
    }
    index = end;
  }
  for (const name of Object.keys(renderers)) {
    if (!regions.has(name))
      problems.push(`region ${name} is missing`);
  }
  return {text: out.join(eol), problems, regions};
}

/** Every file under shell/ and its folders, as a path relative to it. */
export function shellFiles(dir = SHELL_DIR): string[] {
  return readdirSync(dir).flatMap(name => statSync(join(dir, name)).isDirectory() ? shellFiles(join(dir, name)) : [relative(SHELL_DIR, join(dir, name))]).sort();
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  let failed = false;
  for (const file of shellFiles()) {
    const path = join(SHELL_DIR, file);
    const before = readFileSync(path, `utf8`);
    const {text, problems} = renderFile(file, before);
    for (const problem of problems.filter(problem => !problem.startsWith(`the first line`))) {
      console.error(`shell/${file}: ${problem}`);
      failed = true;
    }
    if (text !== before) {
      writeFileSync(path, text);
      console.error(`shell/${file}: rendered`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
