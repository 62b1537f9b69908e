import envPaths from 'env-paths';
import type {CacheLocation} from './private-folder.js';

/**
 * awsmfa's data folder (`$XDG_DATA_HOME/awsmfa` on Linux, `~/Library/Application Support/awsmfa` on macOS): where
 * what is not a cache lives (the file store's keys, the shells' copies), which `clear` never opens and a wiped
 * cache does not take. Its folders are opened through the private-folder primitive.
 */
export function dataLocation(): CacheLocation {
  return {dir: envPaths(`awsmfa`, {suffix: ``}).data, own: true};
}
