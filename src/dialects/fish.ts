import {lineDialect} from './types.js';

/**
 * fish: inside single quotes only `\\` and `\'` are escapes; everything else, newlines included, is literal.
 * https://fishshell.com/docs/current/language.html#quotes
 */
export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, char => `\\${char}`)}'`;
}

export const fish = lineDialect({
  snippet: {file: `awsmfa.fish`, byName: `command awsmfa`, byPath: (node, script) => `command ${quoteFish(node)} ${quoteFish(script)}`},
  name: `fish`,
  description: `fish: set -gx / set -e`,
  set: (name, value) => `set -gx ${name} ${quoteFish(value)}`,
  // -g: the exported variable lives in the global scope; erasing there leaves universal variables alone.
  unset: name => `set -e -g ${name}`,
});
