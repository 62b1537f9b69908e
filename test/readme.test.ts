/**
 * Every README example marked runnable runs, as written, in the real shells its fence names, against the STS
 * stand-in (the code 123456 is the stand-in's): a README that drifts from the CLI fails here.
 *
 * The marker is the fence's info string: ```sh runnable, ```bash runnable, ```fish runnable, …; which shells run a
 * fence is each shell's test profile's say (`fences`: ```sh is every POSIX shell, ```bash is bash and zsh, which have
 * the same `mfa`). A further word says what the shell holds after the block: `session` (a session in its
 * environment) or `no-session`. Each line must succeed; shells with a snippet get the README's rc line first, as a
 * new terminal would (after awsmfa init --install, as the README's quick start has it).
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {ROOT} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {installInto, printVarsCommand, REAL_SHELLS, runScript, shellPath, skipUnlessShell} from './support/shells.js';
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

/** The shells that run a fence's lines, from each shell's test profile (```sh: every POSIX shell). */
const shellsOf = (language: string) => REAL_SHELLS.filter(shell => shell.profile.fences.includes(language));

const README = readFileSync(join(ROOT, `README.md`), `utf8`);
const blocks = runnableBlocks(README);

test(`the README has runnable examples for every shell that runs here, and each example a shell to run it`, () => {
  for (const shell of REAL_SHELLS)
    assert.ok(blocks.some(block => shell.profile.fences.includes(block.language)), `${shell.name} runs no example of the README`);
  for (const block of blocks)
    assert.ok(shellsOf(block.language).length > 0, `README.md line ${block.line}: no shell runs \`\`\`${block.language}`);
});

for (const block of blocks) {
  describe(`README.md line ${block.line} (${block.language} ${block.words.join(` `)})`, () => {
    for (const real of shellsOf(block.language)) {
      const {name: shell, label, profile} = real;
      test(label, {skip: skipUnlessShell(shell)}, async () => {
        sts.code = `123456`;
        const env = awsmfaOnPath(sandbox);
        // Each line is announced first, so a failing one is named by the last announcement.
        const script = [
          ...real.dialect.snippet?.rc?.file === undefined ? [] : [(await installInto(real, env)).load, profile.stopOnFailure],
          ...block.lines.flatMap((text, offset) => [`echo 'README line ${block.line + 1 + offset}'`, text, profile.stopOnFailure]),
          printVarsCommand([`AWS_SESSION_TOKEN`]),
        ].filter(Boolean).join(`\n`);
        const result = await runScript(shellPath(shell)!, `${script}\n`, env);
        const announced = result.stdout.match(/^README line \d+$/gm) ?? [];
        assert.equal(result.status, 0, `${shell}: ${announced.at(-1) ?? `the rc line`} failed: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /awsmfa: (?!new session|cached session|[^\s:]+: cached session, \d+h \d\dm left$)/m, `only awsmfa's informational lines`);
        const token = JSON.parse(result.stdout.trim().split(`\n`).at(-1)!).AWS_SESSION_TOKEN;
        if (block.words.includes(`session`))
          assert.notEqual(token, null, `a session in the shell after the block`);
        if (block.words.includes(`no-session`))
          assert.equal(token, null, `no session in the shell after the block`);
      });
    }
  });
}
