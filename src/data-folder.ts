import {homedir} from 'node:os';
import {isAbsolute, join} from 'node:path';
import envPaths from 'env-paths';
import type {CacheLocation} from './private-folder.js';

/**
 * awsmfa's data folder (`$XDG_DATA_HOME/awsmfa` on Linux, `~/Library/Application Support/awsmfa` on macOS): where
 * what is not a cache lives (the file store's keys, the shells' copies), which `clear` never opens and a wiped
 * cache does not take. Its folders are opened through the private-folder primitive. A relative XDG_DATA_HOME is
 * ignored, as the XDG Base Directory spec says: taken as given, the folder would move with the current folder, and
 * the rc line that loads the shells' copy would load whatever file of that name lies below each new shell's folder.
 */
export function dataLocation(): CacheLocation {
  const dir = envPaths(`awsmfa`, {suffix: ``}).data;
  return {dir: isAbsolute(dir) ? dir : join(homedir(), `.local`, `share`, `awsmfa`), own: true};
}
