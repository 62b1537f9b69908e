import {HIDDEN_FILE, REGION_MARK, SERVER, SESSION_VARIABLES, SET_ASIDE} from '../contract.js';
import {completion, type ShellParts} from './parts.js';
import {lineDialect} from './types.js';

/**
 * PowerShell: a single-quoted string is verbatim; a quote inside it is doubled. PowerShell also takes the
 * typographic quotes U+2018..U+201B as single quotes, so those are doubled too.
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
 */
export function quotePwsh(value: string): string {
  return `'${value.replace(/['\u2018-\u201B]/g, quote => quote + quote)}'`;
}

/**
 * On failure: Write-Error, which sets `$?` to False and leaves the host running; with `$ErrorActionPreference =
 * 'Stop'` (PowerShell's `set -e`) it is a terminating error, which ends a script and, at the prompt, the line.
 */
export const pwsh = lineDialect({
  snippet: {
    file: `awsmfa.ps1`,
    byName: `& (Get-Command -Name awsmfa -CommandType Application,ExternalScript | Select-Object -First 1)`,
    byPath: (node, script) => `& ${quotePwsh(node)} ${quotePwsh(script)}`,
    // $PROFILE is PowerShell's to name (it differs by host and platform): the line is shown, for the user to add.
    rc: {line: copy => `. ${quotePwsh(copy)}`},
    gone: (paths, message) => `if (-not (${paths.map(path => `(Test-Path -LiteralPath ${quotePwsh(path)})`).join(` -and `)})) { [Console]::Error.WriteLine(${quotePwsh(message)}) }`,
  },
  name: `pwsh`,
  aliases: [`powershell`],
  description: `PowerShell: $env:NAME = ... / Remove-Item Env:NAME`,
  set: (name, value) => `$env:${name} = ${quotePwsh(value)}`,
  unset: name => `Remove-Item -Path Env:${name} -ErrorAction SilentlyContinue`,
  failure: `Write-Error 'awsmfa failed; nothing was changed'`,
});

const items = (words: readonly string[]) => words.map(word => `'${word}'`).join(`, `);
/** A long list on lines of up to 100 characters: a line that ends in a comma goes on in PowerShell. */
function itemLines(words: readonly string[]): string[] {
  const lines: string[] = [];
  words.forEach((word, index) => {
    const item = `'${word}'${index === words.length - 1 ? `` : `,`}`;
    if (lines.length > 0 && `${lines.at(-1)} ${item}`.length <= 100)
      lines[lines.length - 1] += ` ${item}`;
    else
      lines.push(item);
  });
  return lines;
}

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa.ps1': {
        'variables': () => [
          `if ($env:${SERVER.pid}) { foreach ($name in ${items([...SERVER.variables, SERVER.pid])}) { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue } }`,
          ...HIDDEN_FILE.variables.map(name => `if ($env:${name} -eq '${HIDDEN_FILE.value}') { Remove-Item -Path Env:${name} -ErrorAction SilentlyContinue }`),
          `foreach ($name in ${items([...SESSION_VARIABLES, REGION_MARK])}) {`,
        ],
        // Each one set aside put back (unless set again since), and where it was kept removed.
        'set-aside-restore': () => [
          `foreach ($pair in ${SET_ASIDE.map(pair => `@(${items(pair)})`).join(`, `)}) {`,
          `    $kept = [Environment]::GetEnvironmentVariable($pair[1])`,
          `    if ($kept -and -not (Test-Path -Path "Env:$($pair[0])")) { Set-Item -Path "Env:$($pair[0])" -Value $kept }`,
          `    Remove-Item -Path "Env:$($pair[1])" -ErrorAction SilentlyContinue`,
          `}`,
        ],
        'dialects': cli => [items(cli.dialects)],
        'commands': cli => itemLines(completion.commandNames(cli)),
        'options': cli => itemLines(completion.everyOption(cli)),
      },
    },
    profile: {
      // No PowerShell here: what it would run is parsed with its real grammar instead (test/pwsh-grammar.test.ts).
      runs: `pwsh-grammar`,
      apply: file => `Get-Content -Raw '${file}' | Invoke-Expression`,
      applyOutput: command => `${command} | Invoke-Expression`,
      strict: `$ErrorActionPreference = 'Stop'`,
      failureStops: true,
      status: command => `${command}; "status=$?"`,
      stopOnFailure: `if (-not $?) { exit 97 }`,
      quote: quotePwsh,
      rc: {printed: `awsmfa init pwsh | Out-String | Invoke-Expression`},
      load: file => `. '${file}'`,
      lint: [],
      fences: [],
      complete: {none: `no PowerShell here to complete in; test/pwsh-grammar.test.ts parses the completer`},
    },
  };
}
