import {accessSync, constants, statSync} from 'node:fs';
import type {AwsFiles} from '../aws-files/files.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import {checkUpdatable, updateSharedFile} from '../aws-files/update.js';
import {ConfigError} from '../errors.js';
import {visible} from '../terminal.js';
import {MARKER_KEYS} from '../key-marker.js';
import {findKeys, type MoveContext} from './move.js';

// The credential_process line `keys import` writes names this node and this awsmfa by absolute path (see
// credentialProcessLine): a moved clone, or Node upgraded or removed (nvm), leaves it naming files that are gone,
// and the AWS CLI then fails with a shell's "not found". Said by `status` and `keys list --check`, with the mend:
// `awsmfa keys import --profile P` again, from the awsmfa in use now, points the line at it.
//
// Why not a launcher of awsmfa's own at a stable path: it would name node and awsmfa just the same, and only a run
// of the new install could rewrite it, so the AWS CLI would fail the same way until then, further from the cause;
// and a line naming `awsmfa` alone would run whichever awsmfa the reading program's PATH finds first (an IDE's, a
// project's node_modules/.bin), not the one the keys were imported with.

/**
 * The words of a credential_process line as awsmfa writes them: each bare, or quoted whole (`'…'`, on Windows
 * `"…"`), with nothing escaped inside; undefined for any other line (the user's own).
 */
function wordsOf(line: string, platform: NodeJS.Platform): string[] | undefined {
  const quote = platform === `win32` ? `"` : `'`;
  const word = new RegExp(`\\s*(?:${quote}([^${quote}]*)${quote}|([^\\s${quote}]+))`, `y`);
  const text = line.trim();
  const words: string[] = [];
  while (word.lastIndex < text.length) {
    const match = word.exec(text);
    if (match === null)
      return undefined;
    words.push(match[1] ?? match[2]!);
  }
  return words;
}

/** The node and the awsmfa script a credential_process line of awsmfa's own runs; undefined for any other line. */
export function ownLine(line: string, platform: NodeJS.Platform): {node: string, script: string} | undefined {
  const words = wordsOf(line.trim(), platform);
  if (words === undefined || words.length !== 5 || words[2] !== `credential-process` || words[3] !== `--profile`)
    return undefined;
  return {node: words[0]!, script: words[1]!};
}

/** What is wrong with the programs a line of awsmfa's own runs (gone, or not runnable), or undefined. */
export function brokenLine(line: string, platform: NodeJS.Platform): string | undefined {
  const own = ownLine(line, platform);
  if (own === undefined)
    return undefined;
  for (const [path, runnable] of [[own.node, true], [own.script, false]] as const) {
    try {
      if (!statSync(path).isFile())
        return `${visible(path)} is not a file`;
      if (runnable && platform !== `win32`)
        accessSync(path, constants.X_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === `ENOENT` || code === `ENOTDIR` ? `${visible(path)} is gone` : `${visible(path)} cannot be run (${code})`;
    }
  }
  return undefined;
}

/** The profiles whose credential_process is awsmfa's own and runs a program that is gone, each with what is wrong. */
export function brokenProcesses(files: AwsFiles, platform: NodeJS.Platform): Array<{profile: string, problem: string}> {
  return files.profileNames().flatMap(profile => {
    const line = files.setting(profile, `credential_process`);
    const problem = line === undefined ? undefined : brokenLine(line, platform);
    return problem === undefined ? [] : [{profile, problem}];
  });
}

/** How a broken line is mended, for the messages: the import again, to the store the keys are in. */
export function mendLine(files: AwsFiles, profile: string): string {
  const store = files.setting(profile, MARKER_KEYS.store);
  return `awsmfa keys import --profile ${profile}${store === undefined || store === `keyring` ? `` : ` --to ${store}`} points it at the awsmfa in use now`;
}

/**
 * `keys import` of keys already in that store: the mend of a broken line. The profile's credential_process (when it
 * is awsmfa's own, or missing) is pointed at this awsmfa; a line of the user's own is left, and said.
 */
export function repointLine(files: AwsFiles, profile: string, context: MoveContext): string {
  const found = findKeys(files, profile)!;
  const current = files.setting(profile, `credential_process`);
  if (context.credentialProcess === undefined)
    return `the keys of profile '${visible(profile)}' are in ${found.place} already`;
  if (current !== undefined && ownLine(current, context.platform) === undefined)
    throw new ConfigError(`the keys of profile '${visible(profile)}' are in ${found.place} already, and its credential_process is not awsmfa's (${visible(current)}): awsmfa leaves it`);
  const line = context.credentialProcess(profile);
  if (current === line)
    return `the keys of profile '${visible(profile)}' are in ${found.place} already, and its credential_process runs this awsmfa`;
  checkUpdatable(found.path, context);
  updateSharedFile(found.path, context, text => setSectionValues(text, found.section, [[`credential_process`, line]]));
  return `the keys of profile '${visible(profile)}' are in ${found.place} already; its credential_process now runs this awsmfa (${line})`;
}
