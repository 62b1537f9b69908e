import {existsSync} from 'node:fs';
import {join} from 'node:path';
import * as t from 'typanion';
import type {Env} from '../env.js';
import {readPrivateFile, writeOwnFile} from '../private-folder.js';
import {visible} from '../terminal.js';
import {cacheDir, cacheFolder, parsed} from './folder.js';

// The paths `awsmfa init` gave for rc files, kept so that `status` can say when one is gone: `init --path SHELL`
// names the shell's file in this install, and `init SHELL` (when awsmfa is not on PATH) writes node's and this
// awsmfa's paths into the functions. A moved clone, or awsmfa installed under another Node (nvm), leaves an rc
// line that names them broken; the shell says only "No such file" at each start, or "mfa: not found".

const RECORD = `init.json`;

const isRecord = t.isObject({
  version: t.isLiteral(1),
  shells: t.isRecord(t.isPartial({file: t.isOptional(t.isString()), node: t.isOptional(t.isString()), script: t.isOptional(t.isString())})),
});
type Given = {file?: string, node?: string, script?: string};

function read(env: Env): Record<string, Given> {
  try {
    const bytes = readPrivateFile(join(cacheDir(env).dir, RECORD));
    const value = bytes === undefined ? undefined : parsed(bytes.toString(`utf8`));
    return isRecord(value) ? value.shells : {};
  } catch {
    return {};
  }
}

/** Notes what `init` gave for a shell (the file's path, or node and awsmfa by path); a failure to note is no failure of init. */
export function recordInit(env: Env, shell: string, given: Given): void {
  try {
    const before = read(env);
    const shells = {...before, [shell]: {...before[shell], ...given}};
    const text = `${JSON.stringify({version: 1, shells})}\n`;
    // Written only when it changes: the rc line runs init at every new terminal.
    if (text === `${JSON.stringify({version: 1, shells: before})}\n`)
      return;
    const folder = cacheFolder(env, ``, true);
    if (folder !== undefined)
      writeOwnFile(folder, RECORD, text);
  } catch {}
}

/** What `init` gave that is gone now, each as a line that says how to mend it. */
export function goneInitPaths(env: Env): string[] {
  return Object.entries(read(env)).flatMap(([shell, given]) => {
    const lines: string[] = [];
    if (given.file !== undefined && !existsSync(given.file))
      lines.push(`the file awsmfa init --path ${shell} gave (${visible(given.file)}) is gone (awsmfa moved, or installed under another Node): an rc file that sources it needs what awsmfa init --path ${shell} prints now`);
    const gone = [given.node, given.script].find(path => path !== undefined && !existsSync(path));
    if (gone !== undefined)
      lines.push(`the functions awsmfa init ${shell} printed run ${visible(gone)}, which is gone (awsmfa moved, or installed under another Node): run the rc line again with the awsmfa in use now (awsmfa init ${shell})`);
    return lines;
  });
}
