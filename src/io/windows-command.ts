import {statSync} from 'node:fs';
import {extname, win32} from 'node:path';
import {ConfigError} from '../errors.js';
import type {Env} from '../env.js';

/**
 * How `awsmfa exec` starts a command on Windows, as cmd.exe would start what the person typed. Node alone cannot:
 * it looks for NAME.com and NAME.exe only (so `cdk`, `npm`, `yarn`, whose commands are .cmd files, were "not
 * found"), and it refuses to start a .cmd or .bat file without a shell since CVE-2024-27980 (spawn EINVAL). So the
 * command is found by PATH and PATHEXT here, and a batch file runs through cmd.exe with its arguments quoted by the
 * rules Rust's standard library settled on for the same flaw ("BatBadBut", CVE-2024-24576,
 * library/std/src/sys/args/windows.rs `make_bat_command_line` and `append_bat_arg`), which keep every argument
 * literal, `%VAR%` included.
 */

/** A variable of the Windows environment, whose names are case-insensitive (`Path` is PATH); a copy of it is not. */
export function windowsEnvValue(env: Env, name: string): string | undefined {
  const key = Object.keys(env).find(other => other.toUpperCase() === name.toUpperCase());
  const value = key === undefined ? undefined : env[key];
  return value === `` ? undefined : value;
}

/** What to spawn: a program with its arguments as they are, or cmd.exe with one command line taken verbatim. */
export interface WindowsLaunch {
  readonly file: string;
  readonly args: readonly string[];
  readonly verbatim: boolean;
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The file cmd.exe runs for `name`: a name with a folder in it there only, else in the current folder and then
 * each folder of PATH; in each place the name itself when its extension is one of PATHEXT's, then the name with
 * each of PATHEXT's extensions in turn (.COM;.EXE;.BAT;.CMD by default). Undefined when there is none.
 */
export function findWindowsCommand(name: string, env: Env, cwd: string, exists: (path: string) => boolean = isFile): string | undefined {
  const extensions = (windowsEnvValue(env, `PATHEXT`) ?? `.COM;.EXE;.BAT;.CMD`).split(`;`).map(extension => extension.trim().toLowerCase()).filter(extension => extension.startsWith(`.`));
  const candidates = [...extensions.includes(extname(name).toLowerCase()) ? [name] : [], ...extensions.map(extension => name + extension)];
  const folders = /[\\/]/.test(name) || /^[A-Za-z]:/.test(name)
    ? [``]
    : [cwd, ...(windowsEnvValue(env, `PATH`) ?? ``).split(`;`).map(folder => folder.trim().replace(/^"(.*)"$/, `$1`)).filter(folder => folder !== ``)];
  for (const folder of folders) {
    for (const candidate of candidates) {
      const path = folder === `` ? candidate : win32.join(folder, candidate);
      if (exists(path))
        return path;
    }
  }
  return undefined;
}

/** A batch file's path in its quotes: a `"` cannot be in a Windows name, a trailing `\` would escape the quote, a `%` would expand. */
function batchScript(path: string): string {
  if (/["%\r\n]/.test(path) || path.endsWith(`\\`))
    throw new ConfigError(`${path} is a batch file whose path cmd.exe cannot be given safely (it holds % or ", or ends with \\); run it from another folder`);
  return `"${path}"`;
}

/**
 * One argument for a batch file, as Rust's `append_bat_arg` writes it: quoted unless it is only letters, digits and
 * `#$*+-./:?@\_` (and not empty, and not ending in `\`); a `"` doubled, with the backslashes before it doubled; every
 * `%` preceded by `%%cd:~,`, an empty substring of %CD% that ends any `%NAME%` before cmd could expand it. A line
 * break cannot reach a batch file intact at all: refused, as Rust refuses it.
 */
export function batchArgument(arg: string): string {
  if (/[\r\n\0]/.test(arg))
    throw new ConfigError(`an argument for a batch file holds a line break or NUL, which cmd.exe cannot pass on intact; run the command another way (awsmfa env, then the command)`);
  let quote = arg === `` || arg.endsWith(`\\`);
  for (const char of arg) {
    if ((/^[\x00-\x7f]$/.test(char) && !/^[A-Za-z0-9#$*+\-./:?@\\_]$/.test(char)) || /^\p{Cc}$/u.test(char))
      quote = true;
  }
  let out = quote ? `"` : ``;
  let backslashes = 0;
  for (const char of arg) {
    if (char === `\\`) {
      backslashes++;
    } else {
      if (char === `"`)
        out += `\\`.repeat(backslashes) + `"`;
      else if (char === `%`)
        out += `%%cd:~,`;
      backslashes = 0;
    }
    out += char;
  }
  return quote ? `${out}${`\\`.repeat(backslashes)}"` : out;
}

/**
 * How to start `command` on Windows: the file found for its name (see findWindowsCommand) with its arguments, which
 * Node quotes for the program's own parser; a .cmd or .bat file through `cmd.exe /e:ON /v:OFF /d /c ""FILE" ARGS"`
 * (no AutoRun, no delayed expansion of `!`), taken verbatim; the name as given when nothing is found (Node then
 * searches as it does, and a missing command is reported as not found).
 */
export function windowsLaunch(command: readonly string[], env: Env, cwd: string, exists?: (path: string) => boolean): WindowsLaunch {
  const [name, ...args] = command as [string, ...string[]];
  const file = findWindowsCommand(name, env, cwd, exists);
  if (file === undefined)
    return {file: name, args, verbatim: false};
  if (!/\.(?:cmd|bat)$/i.test(file))
    return {file, args, verbatim: false};
  const line = [batchScript(file), ...args.map(batchArgument)].join(` `);
  return {file: windowsEnvValue(env, `ComSpec`) ?? `cmd.exe`, args: [`/e:ON`, `/v:OFF`, `/d`, `/c`, `"${line}"`], verbatim: true};
}
