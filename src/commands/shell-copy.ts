import {accessSync, constants, existsSync, readFileSync, realpathSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, dirname, isAbsolute, join} from 'node:path';
import type {AwsmfaContext} from '../context.js';
import {envValue, type Env} from '../env.js';
import {DIALECTS, type Dialect, type Snippet} from '../dialects/index.js';
import {SHELL_FOLDER_MARK} from '../dialects/types.js';
import {dataLocation} from '../data-folder.js';
import {openPrivateFolder, readPrivateFile, writeOwnFile, type CacheFolderKind} from '../private-folder.js';
import {updateSharedFile} from '../aws-files/update.js';
import {visible} from '../terminal.js';
import {ConfigError} from '../errors.js';
import packageJson from '../../package.json' with {type: 'json'};

/**
 * The shells' files as `awsmfa init` hands them out: printed for an rc file to evaluate at each start (which starts
 * node every time), or copied by `awsmfa init --install` into awsmfa's data folder, where the rc file loads them
 * with the shell alone. The copy lives apart from the package (a moved clone, a new Node or `nvm use` leave it in
 * place), through the private-folder primitive (0700, this user's, no link followed: the shell runs what is
 * there). The awsmfa it runs keeps it current: every run of awsmfa by an `mfa` function (a new session, mfa-unset
 * with arguments) rewrites the files that differ from that awsmfa's and says so (another awsmfa, a clone's
 * `awsmfa init`, leaves it alone). A copy that runs awsmfa by its paths (awsmfa was not on PATH) says at each
 * load, in one line, when they are gone.
 */

/** A file of a shell's integration: its name (relative to the shell folder, as under shell/) and its text. */
interface ShellFile {
  readonly name: string;
  readonly text: string;
}

/** The snippet of each shell that has one, from its dialect (src/dialects/). */
export const SNIPPETS: Readonly<Record<string, Snippet>> = Object.fromEntries(DIALECTS.flatMap(dialect => dialect.snippet === undefined ? [] : [[dialect.name, dialect.snippet]]));

/** Whether an executable named awsmfa is on PATH. */
function onPath(env: Env, platform: NodeJS.Platform): boolean {
  const names = platform === `win32` ? [`awsmfa.cmd`, `awsmfa.exe`, `awsmfa.ps1`] : [`awsmfa`];
  for (const dir of (envValue(env, `PATH`) ?? ``).split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {}
    }
  }
  return false;
}

/** This awsmfa: its script, the package's shell/ folder, and how the files run it (by name on PATH, else by paths). */
export function thisAwsmfa(snippet: Snippet, context: Pick<AwsmfaContext, `env` | `platform` | `scriptPath`>) {
  const script = realpathSync(context.scriptPath);
  const byName = onPath(context.env, context.platform);
  return {
    script,
    folder: join(dirname(script), `..`, `shell`),
    command: byName ? snippet.byName : snippet.byPath(process.execPath, script),
    paths: byName ? [] : [process.execPath, script],
  };
}

/** A file of shell/ as this awsmfa runs from it: awsmfa's command and the folder of its helpers put in. */
function fill(snippet: Snippet, text: string, command: string, folder: string): string {
  return text.replaceAll(snippet.byName, command).replaceAll(SHELL_FOLDER_MARK, snippet.folder?.(folder) ?? folder);
}

/** What `awsmfa init SHELL` prints: the file, its completion after it (tcsh: one line of commands, no comments). */
export function printedText(snippet: Snippet, context: Pick<AwsmfaContext, `env` | `platform` | `scriptPath`>): {text: string, file: string, command: string} {
  const {folder, command} = thisAwsmfa(snippet, context);
  const file = join(folder, snippet.file);
  const text = fill(snippet, readFileSync(file, `utf8`) + (snippet.completion === undefined ? `` : readFileSync(join(folder, snippet.completion), `utf8`)), command, folder);
  // tcsh's eval "`...`" joins all lines into one, where a comment would swallow the rest: print commands only.
  return {file, command, text: snippet.oneLine ? `${text.split(/\r?\n/).filter(line => line.trim() !== `` && !line.trimStart().startsWith(`#`)).join(`\n`)}\n` : text};
}

/** Where the copies are: `<data>/shell` (the shell's file and its helpers) and `<data>/shell/completion`. */
export function copyFolder(): string {
  return join(dataLocation().dir, `shell`);
}

/** The copy's files as this awsmfa would write them: each from shell/, filled for the copy's folder. */
function copyFiles(snippet: Snippet, context: Pick<AwsmfaContext, `env` | `platform` | `scriptPath`>): ShellFile[] {
  const {folder, command, paths, script} = thisAwsmfa(snippet, context);
  const target = copyFolder();
  const names = [snippet.file, ...snippet.completion === undefined ? [] : [snippet.completion], ...snippet.helpers ?? []];
  return names.map((name, index) => {
    let text = fill(snippet, readFileSync(join(folder, name), `utf8`), command, target);
    if (index === 0) {
      // The folder through the sanitizer: a newline in awsmfa's path would end the comment, and the shell would run
      // what follows it at every start.
      const head = `# A copy that awsmfa init --install wrote (awsmfa ${packageJson.version}, ${visible(folder)}): awsmfa rewrites it when it changes.`;
      // In place of shell/'s first line, which names the renderer of its regions.
      text = [head, ...text.split(`\n`).slice(1)].join(`\n`);
      if (paths.length > 0 && snippet.gone !== undefined)
        text += `${snippet.gone(paths, visible(`awsmfa: ${join(target, name)} runs ${script}, which is gone (awsmfa moved, or its Node was removed): run awsmfa init --install again with the awsmfa you have now`))}\n`;
    }
    return {name, text};
  });
}

/** The private folder a copy's file goes in (its kind by its name: completion/ or not). */
function folderKind(name: string): CacheFolderKind {
  return name.startsWith(`completion/`) ? `shell/completion` : `shell`;
}

/**
 * Writes the files of the copy that differ from what this awsmfa writes (every one when `create`; only over an
 * existing copy otherwise); returns the copy's main file and whether anything was written, undefined without a copy.
 */
function writeCopy(snippet: Snippet, context: Pick<AwsmfaContext, `env` | `platform` | `scriptPath`>, create: boolean): {file: string, written: boolean} | undefined {
  const location = dataLocation();
  const main = join(location.dir, `shell`, snippet.file);
  if (!create && (openPrivateFolder(location, `shell`, false) === undefined || readPrivateFile(main) === undefined))
    return undefined;
  let written = false;
  for (const {name, text} of copyFiles(snippet, context)) {
    // The folder is opened (made, checked) only for a file that differs: a current copy costs its reads alone.
    if (readPrivateFile(join(location.dir, `shell`, name))?.toString(`utf8`) !== text) {
      writeOwnFile(openPrivateFolder(location, folderKind(name), true)!, name.replace(/^completion\//, ``), text);
      written = true;
    }
  }
  return {file: main, written};
}

/**
 * After a run of awsmfa by the `mfa` functions of `shell` (--mfa-shell): the shell's copy, if there is one, made
 * what this awsmfa writes (a copy from an older awsmfa is rewritten), with one line saying so. Nothing it meets
 * stops the run it is part of: a copy that cannot be read or written is left as it is.
 */
export function refreshCopy(shell: string, context: AwsmfaContext): void {
  const snippet = SNIPPETS[shell];
  if (snippet?.rc === undefined)
    return;
  try {
    const copy = writeCopy(snippet, context, false);
    if (copy?.written === true)
      context.info(`updated ${copy.file} to this awsmfa (${packageJson.version}); new shells load it`);
  } catch {}
}

/** The home folder as the shell sees it (HOME), else the system's. */
function homeOf(env: Env): string {
  return envValue(env, `HOME`) ?? homedir();
}

/**
 * `awsmfa init --install`: the copy written (or brought up to date), and the line that loads it added to the
 * shell's rc file unless a line of it is there already: one read-modify-write of the rc file under the AWS files'
 * lock (links followed, replaced whole by a rename, its mode kept). Lines of the rc file that load awsmfa another way
 * are pointed out, not changed. For a shell whose rc file awsmfa does not know (PowerShell's $PROFILE), the line is
 * shown for the user to add.
 */
export function install(dialect: Dialect, context: AwsmfaContext): void {
  const snippet = SNIPPETS[dialect.name];
  if (snippet?.rc === undefined)
    throw new Error(`${dialect.name} has no rc file`);
  // An rc line runs in every new shell, wherever it starts: a relative path would name another file in each folder.
  const rc = snippet.rc.file === undefined ? undefined : snippet.rc.file(homeOf(context.env), context.env, existsSync);
  for (const path of [copyFolder(), ...rc === undefined ? [] : [rc]]) {
    if (!isAbsolute(path))
      throw new ConfigError(`${visible(path)} is not an absolute path (HOME, XDG_DATA_HOME, XDG_CONFIG_HOME or ZDOTDIR is relative): set it to an absolute one and run awsmfa init --install ${dialect.name} again`);
  }
  const copy = writeCopy(snippet, context, true)!;
  context.info(`${copy.written ? `wrote` : `up to date:`} ${copy.file}${snippet.completion === undefined ? `` : ` (and its completion)`}`);
  const line = snippet.rc.line(copy.file);
  if (rc === undefined) {
    context.info(`add this line to your ${dialect.name} profile, to load mfa and mfa-unset in each new shell: ${line}`);
    return;
  }
  let added = false;
  const others: string[] = [];
  updateSharedFile(rc, {env: context.env, warn: context.warn}, text => {
    const lines = text.split(/\r?\n/);
    lines.forEach((one, index) => {
      if (one.trim() !== line && /awsmfa/.test(one) && !one.trimStart().startsWith(`#`))
        others.push(`line ${index + 1}: ${visible(one.trim())}`);
    });
    if (lines.some(one => one.trim() === line))
      return text;
    added = true;
    return `${text}${text === `` || text.endsWith(`\n`) ? `` : `\n`}# awsmfa: mfa and mfa-unset (awsmfa init --install ${dialect.name})\n${line}\n`;
  }, {keepMode: true, hint: `add this line to it yourself: ${line}`});
  context.info(added ? `added to ${rc}: ${line}` : `${rc} loads it already: ${line}`);
  for (const other of others)
    context.warn(`${rc} also loads awsmfa at ${other}; remove that line (it defines mfa a second time${/awsmfa init/.test(other) ? `, and starts node at each start` : ``})`);
  if (added)
    context.info(`new shells have mfa and mfa-unset; in this one, run: ${line}`);
}
