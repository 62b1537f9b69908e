import {lineDialect} from './types.js';

/**
 * PowerShell: a single-quoted string is verbatim; a quote inside it is doubled. PowerShell also takes the
 * typographic quotes U+2018..U+201B as single quotes, so those are doubled too.
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
 */
export function quotePwsh(value: string): string {
  return `'${value.replace(/['\u2018-\u201B]/g, quote => quote + quote)}'`;
}

export const pwsh = lineDialect({
  snippet: {file: `awsmfa.ps1`, byName: `& (Get-Command -Name awsmfa -CommandType Application,ExternalScript | Select-Object -First 1)`, byPath: (node, script) => `& ${quotePwsh(node)} ${quotePwsh(script)}`},
  name: `pwsh`,
  aliases: [`powershell`],
  description: `PowerShell: $env:NAME = ... / Remove-Item Env:NAME`,
  set: (name, value) => `$env:${name} = ${quotePwsh(value)}`,
  unset: name => `Remove-Item -Path Env:${name} -ErrorAction SilentlyContinue`,
});
