/**
 * Every README example marked runnable runs, as written, in the real shells its fence names, against the STS
 * stand-in (the code 123456 is the stand-in's): a README that drifts from the CLI fails here.
 *
 * The marker is the fence's info string: ```sh runnable (bash, zsh, dash, ksh: POSIX lines), ```bash runnable
 * (bash and zsh, which have the same `mfa`), ```fish runnable, ```tcsh runnable, ```elvish runnable. A further word
 * says what the shell holds after the block: `session` (a session in its environment) or `no-session`. Each line
 * must succeed; shells with a snippet get the README's rc line first, as a new terminal would.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {ROOT} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {runScript, shellPath, skipUnlessShell} from './support/shells.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';

useStandIn({allowReuse: true});

interface Block {
  language: string;
  words: string[];
  lines: string[];
  /** Where it starts in README.md, to name a failing one. */
  line: number;
}

/** The fenced blocks of README.md whose info string has the word `runnable`. */
function runnableBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split(`\n`);
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\S+)(.*)$/.exec(lines[index]!);
    if (fence === null)
      continue;
    const start = index;
    const body: string[] = [];
    while (++index < lines.length && lines[index] !== '```')
      body.push(lines[index]!);
    const words = fence[2]!.trim().split(/\s+/).filter(Boolean);
    if (words.includes(`runnable`))
      blocks.push({language: fence[1]!, words, lines: body, line: start + 1});
  }
  return blocks;
}

const SHELLS_OF: Record<string, string[]> = {sh: [`bash`, `zsh`, `dash`, `ksh`], bash: [`bash`, `zsh`], fish: [`fish`], tcsh: [`tcsh`], elvish: [`elvish`]};

/** The rc line of README's table, and a check after each line that stops the script with the line's number. */
const SHELL_SYNTAX: Record<string, {rc?: string, check: (line: number) => string, holds: string}> = {
  bash: {rc: `eval "$(awsmfa init bash)"`, check: line => `[ $? -eq 0 ] || { echo "README line ${line} failed" >&2; exit 97; }`, holds: `echo "holds:\${AWS_SESSION_TOKEN:+yes}"`},
  zsh: {rc: `eval "$(awsmfa init zsh)"`, check: line => `[ $? -eq 0 ] || { echo "README line ${line} failed" >&2; exit 97; }`, holds: `echo "holds:\${AWS_SESSION_TOKEN:+yes}"`},
  dash: {check: line => `[ $? -eq 0 ] || { echo "README line ${line} failed" >&2; exit 97; }`, holds: `echo "holds:\${AWS_SESSION_TOKEN:+yes}"`},
  ksh: {check: line => `[ $? -eq 0 ] || { echo "README line ${line} failed" >&2; exit 97; }`, holds: `echo "holds:\${AWS_SESSION_TOKEN:+yes}"`},
  fish: {rc: `awsmfa init fish | source`, check: line => `test $status -eq 0; or begin; echo "README line ${line} failed" >&2; exit 97; end`, holds: `if set -q AWS_SESSION_TOKEN; echo holds:yes; else; echo holds:; end`},
  tcsh: {rc: 'eval "`awsmfa init tcsh`"', check: line => `if ($status != 0) then\necho "README line ${line} failed"\nexit 97\nendif`, holds: `if ($?AWS_SESSION_TOKEN) then\necho holds:yes\nelse\necho holds:\nendif`},
  // A failing command raises an exception, which ends the script with a non-zero status.
  elvish: {rc: `eval (awsmfa init elvish | slurp)`, check: () => ``, holds: `if (has-env AWS_SESSION_TOKEN) { echo holds:yes } else { echo holds: }`},
};

const README = readFileSync(join(ROOT, `README.md`), `utf8`);
const blocks = runnableBlocks(README);

test(`the README has runnable examples for each kind of shell`, () => {
  assert.deepEqual([...new Set(blocks.map(block => block.language))].sort(), [`bash`, `elvish`, `fish`, `sh`, `tcsh`]);
});

for (const block of blocks) {
  describe(`README.md line ${block.line} (${block.language} ${block.words.join(` `)})`, () => {
    for (const shell of SHELLS_OF[block.language] ?? assert.fail(`README.md line ${block.line}: no shells for ${block.language}`)) {
      test(shell, {skip: skipUnlessShell(shell)}, async () => {
        sts.code = `123456`;
        const syntax = SHELL_SYNTAX[shell]!;
        const script = [
          ...syntax.rc === undefined ? [] : [syntax.rc, syntax.check(0)],
          ...block.lines.flatMap((text, offset) => [text, syntax.check(block.line + 1 + offset)]),
          syntax.holds,
        ].filter(Boolean).join(`\n`);
        const result = await runScript(shellPath(shell)!, `${script}\n`, awsmfaOnPath(sandbox));
        assert.equal(result.status, 0, `${shell}: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /awsmfa: (?!new session|cached session|[^\s:]+: cached session, \d+h \d\dm left$)/m, `only awsmfa's informational lines`);
        const holds = /holds:(yes)?\n$/.exec(result.stdout);
        assert.ok(holds, result.stdout);
        if (block.words.includes(`session`))
          assert.equal(holds[1], `yes`, `a session in the shell after the block`);
        if (block.words.includes(`no-session`))
          assert.equal(holds[1], undefined, `no session in the shell after the block`);
      });
    }
  });
}
