import {lineDialect} from './types.js';

/**
 * elvish: a single-quoted string is literal, newlines included; the only escape is `''` for one quote.
 * https://elv.sh/ref/language.html#single-quoted-string
 */
export function quoteElvish(value: string): string {
  return `'${value.replaceAll(`'`, `''`)}'`;
}

export const elvish = lineDialect({
  snippet: {file: `awsmfa.elv`, byName: `e:awsmfa`, byPath: (node, script) => `(external ${quoteElvish(node)}) ${quoteElvish(script)}`},
  name: `elvish`,
  description: `elvish: set-env / unset-env`,
  set: (name, value) => `set-env ${name} ${quoteElvish(value)}`,
  unset: name => `unset-env ${name}`,
});
