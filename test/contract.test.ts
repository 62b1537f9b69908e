/**
 * The one drift test: every file under shell/ says what src/contract.ts and the CLI's own definitions say. Each
 * region between `>>> contract: NAME` and `<<< contract: NAME` must be exactly what scripts/render-shell.ts renders
 * for it (a failure names the file and the fact, and `npm run render` rewrites it); the facts left in hand-written
 * code are read where they are; and the TypeScript side takes the same facts from the contract.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import envPaths from 'env-paths';
import {RENDERERS, SHELL_DIR, completedCommands, renderFile, shellFiles} from '../scripts/render-shell.js';
import {cacheLocationFor, MARGIN_SECONDS, MARGIN_TEXT, SESSION_VARIABLES, SHELL_FILE_RECORDS, servedLine, SERVED_FORMAT, SPAN_FORMAT, spanText} from '../src/contract.js';
import {SNIPPET_SHELLS} from '../src/dialects/index.js';
import {FAST_OPTIONS} from '../src/cli/fast-path.js';
import {SNIPPETS} from '../src/commands/init.js';
import {sessionAssignments} from '../src/aws/credentials.js';
import {formatSpan, parseSpan} from '../src/time.js';
import {quickText} from '../src/cache/shell-files.js';

/** What is wrong with one file's text: its problems and every region that is not as rendered, by fact. */
function drift(file: string, text: string): string[] {
  const rendered = renderFile(file, text);
  const wrong = [...rendered.problems.map(problem => `shell/${file}: ${problem}`)];
  const expected = renderFile(file, rendered.text).regions;
  for (const [name, lines] of rendered.regions) {
    if (lines.join(`\n`) !== expected.get(name)!.join(`\n`))
      wrong.push(`shell/${file}: the fact "${name}" differs from src/contract.ts (npm run render writes it)`);
  }
  return wrong;
}

test(`every file under shell/ says what the contract says, region by region`, () => {
  const files = shellFiles();
  assert.deepEqual(files, Object.keys(RENDERERS).sort(), `every file under shell/ has its facts in scripts/render-shell.ts, and no other`);
  const problems = files.flatMap(file => drift(file, readFileSync(join(SHELL_DIR, file), `utf8`)));
  assert.deepEqual(problems, []);
  for (const file of files)
    assert.match(readFileSync(join(SHELL_DIR, file), `utf8`).split(`\n`)[0]!, /^(#|@rem) .*scripts\/render-shell\.ts.*npm run render/, `shell/${file} says on its first line what renders it`);
});

test(`a fact changed in one file only is caught, and named`, () => {
  const bash = readFileSync(join(SHELL_DIR, `awsmfa.bash`), `utf8`);
  const bashCompletion = readFileSync(join(SHELL_DIR, `completion`, `awsmfa.bash`), `utf8`);
  const fish = readFileSync(join(SHELL_DIR, `awsmfa.fish`), `utf8`);
  const fishCompletion = readFileSync(join(SHELL_DIR, `completion`, `awsmfa.fish`), `utf8`);
  const tcsh = readFileSync(join(SHELL_DIR, `awsmfa.tcsh`), `utf8`);
  const cmd = readFileSync(join(SHELL_DIR, `mfa.cmd`), `utf8`);
  const cases: Array<[string, string, string]> = [
    [`awsmfa.bash`, bash.replace(`local margin=300`, `local margin=301`), `margin`],
    [`awsmfa.bash`, bash.replace(`AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION`, `AWSMFA_PROFILE AWSMFA_REGION`), `variables`],
    [`awsmfa.bash`, bash.replace(`darwin*) dir=$HOME/Library/Caches`, `darwin*) dir=$HOME/Library/Cache`), `cache-folder`],
    [`completion/awsmfa.bash`, bashCompletion.replace(`status) options='--verbose --quiet --profile --json --short --help'`, `status) options='--verbose --quiet --profile --json --help'`), `command-options`],
    [`awsmfa.fish`, fish.replace(`"$AWS_DEFAULT_PROFILE" "$AWSMFA_PROFILE"`, `"$AWSMFA_PROFILE" "$AWS_DEFAULT_PROFILE"`), `profile-precedence`],
    [`completion/awsmfa.fish`, fishCompletion.replace(`clear 'delete cached sessions'`, `clear 'delete sessions'`), `completion`],
    // A command of two words: an option dropped from keys move, a second word dropped from keys.
    [`completion/awsmfa.bash`, bashCompletion.replace(`'keys move') options='--verbose --quiet --profile --to`, `'keys move') options='--verbose --quiet --to`), `command-options`],
    [`completion/awsmfa.bash`, bashCompletion.replace(`options='import add list move remove'`, `options='import add list move'`), `command-groups`],
    [`completion/awsmfa.fish`, fishCompletion.replace(`printf '%s\\n' keyring file aws-files`, `printf '%s\\n' keyring file`), `completion`],
    [`awsmfa.tcsh`, tcsh.replace(`unsetenv AWS_SESSION_TOKEN ; `, ``), `variables`],
    [`mfa.cmd`, cmd.replace(`set "AWS_SESSION_TOKEN="\r\n`, ``), `variables`],
  ];
  for (const [file, text, fact] of cases) {
    assert.notEqual(text, readFileSync(join(SHELL_DIR, file), `utf8`), `the mutation of ${fact} applies to ${file}`);
    assert.deepEqual(drift(file, text), [`shell/${file}: the fact "${fact}" differs from src/contract.ts (npm run render writes it)`]);
  }
  assert.deepEqual(drift(`awsmfa.bash`, bash.replace(`  # <<< contract: margin\n`, ``)), [`shell/awsmfa.bash: region margin is not closed by its own <<< contract: margin`, `shell/awsmfa.bash: region margin is missing`]);
  // A file with regions says so on its first line, naming what renders them and how.
  assert.deepEqual(drift(`awsmfa.fish`, fish.split(`\n`).slice(1).join(`\n`)), [`shell/awsmfa.fish: the first line does not say which regions are rendered, and by what`]);
});

test(`the facts left in hand-written shell code: the shells' file names its records and the session's names; mfa-prompt prints the time left as awsmfa does`, () => {
  const text = quickText({HOME: `/h`}, {accessKeyId: `ASIAAAAAAAAAAAAAAAAA`, secretAccessKey: `s`, sessionToken: `t`, expiration: `2030-01-01T00:00:00Z`}, `default`, `eu-west-1`, {config: `-`, credentials: `-`});
  const names = text.split(`\n`).filter(Boolean).map(line => line.slice(0, line.indexOf(`=`)));
  assert.deepEqual(names.filter(name => !(SESSION_VARIABLES as readonly string[]).includes(name)).sort(), [...SHELL_FILE_RECORDS].sort(), `awsmfa writes the records the contract names`);
  // Each file's way of naming a record it reads: a case of its own (fish, tcsh, bash and zsh), a key of a map (elvish).
  const reads: Record<string, (record: string) => RegExp> = {
    'awsmfa.bash': record => new RegExp(`^\\s*${record}\\)`, `m`),
    'awsmfa.zsh': record => new RegExp(`^\\s*${record}\\)`, `m`),
    'awsmfa.fish': record => new RegExp(`^\\s*case ${record}$`, `m`),
    'awsmfa-quick.tcsh': record => new RegExp(`^\\s*case ${record}=\\*:$`, `m`),
    'awsmfa.elv': record => new RegExp(`&${record}=''`),
  };
  for (const [file, read] of Object.entries(reads)) {
    const shell = readFileSync(join(SHELL_DIR, file), `utf8`);
    // mfa-prompt (bash, zsh, fish) prints the time left as every other line does (init.test.ts runs it in each shell).
    if ([`awsmfa.bash`, `awsmfa.zsh`, `awsmfa.fish`].includes(file))
      assert.ok(shell.includes(`printf '[aws ${SPAN_FORMAT}] '`), `shell/${file}'s mfa-prompt prints ${SPAN_FORMAT}`);
    for (const record of SHELL_FILE_RECORDS)
      assert.match(shell, read(record), `shell/${file} reads ${record}`);
  }
});

test(`the CLI takes the same facts from the contract`, () => {
  // The variables, in the order env prints them.
  assert.deepEqual(sessionAssignments({accessKeyId: `A`, secretAccessKey: `s`, sessionToken: `t`, expiration: `2030-01-01T00:00:00Z`}, `p`).map(([name]) => name), [...SESSION_VARIABLES]);
  // The margin: --min-remaining's default is the shells' margin.
  assert.equal(parseSpan(MARGIN_TEXT), MARGIN_SECONDS * 1000);
  const env = completedCommands().find(command => command.name === `env`)!;
  assert.ok(env.options.some(option => option.longs.includes(`--min-remaining`) && option.description.includes(`default ${MARGIN_TEXT}`)));
  // The cache folder is env-paths' on this platform (the rule the contract states for every platform).
  assert.equal(cacheLocationFor({HOME: homedir()}, process.platform, homedir()).dir, envPaths(`awsmfa`, {suffix: ``}).cache);
  assert.equal(cacheLocationFor({}, `darwin`, `/Users/a`).dir, `/Users/a/Library/Caches/awsmfa`);
  assert.equal(cacheLocationFor({XDG_CACHE_HOME: `/x`}, `linux`, `/home/a`).dir, `/x/awsmfa`);
  assert.equal(cacheLocationFor({AWSMFA_CACHE_DIR: `/c`}, `linux`, `/home/a`).dir, `/c`);
  // Each dialect's snippet is a file under shell/, and every file there is some dialect's snippet.
  assert.deepEqual(SNIPPET_SHELLS.flatMap(shell => [SNIPPETS[shell]!.file, ...SNIPPETS[shell]!.completion === undefined ? [] : [SNIPPETS[shell]!.completion!], ...SNIPPETS[shell]!.helpers ?? []]).sort(), [...shellFiles()].sort());
  // The fast path's options are env's own (--mfa-shell is the shells' hidden one).
  const envNames = new Set(env.options.flatMap(option => [...option.longs, ...option.shorts]));
  for (const [name, field] of Object.entries(FAST_OPTIONS).filter(([name]) => name !== `--mfa-shell`)) {
    assert.ok(envNames.has(name), `the fast path's ${name} is an option of env`);
    const option = env.options.find(candidate => [...candidate.longs, ...candidate.shorts].includes(name))!;
    assert.equal(option.longs[0], `--${field.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`, `the fast path reads ${name} as env does`);
  }
  // Time left, one format: the served line as the shells' printf fills SERVED_FORMAT, and every other line's.
  assert.equal(SPAN_FORMAT, `%dh %02dm`);
  assert.equal(SERVED_FORMAT, `awsmfa: %s: cached session, %dh %02dm left%s\n`);
  assert.equal(servedLine(`work`, 11 * 3600 + 5 * 60 + 59), `awsmfa: work: cached session, 11h 05m left\n`);
  for (const [seconds, text] of [[11 * 3600 + 42 * 60 + 59, `11h 42m`], [12 * 3600, `12h 00m`], [12 * 3600 - 1, `11h 59m`], [12 * 3600 - 0.5, `12h 00m`], [5 * 60, `0h 05m`], [59, `0h 00m`], [-30, `0h 00m`], [36 * 3600, `36h 00m`]] as const) {
    assert.equal(spanText(seconds), text, `${seconds} s`);
    assert.equal(formatSpan(seconds * 1000), text, `formatSpan of ${seconds} s`);
    assert.equal(servedLine(`p`, seconds), `awsmfa: p: cached session, ${text} left\n`);
  }
  assert.equal(servedLine(`work`, 60, [`AWS_PROFILE`, `AWS_DEFAULT_PROFILE`]), `awsmfa: work: cached session, 0h 01m left (AWS_PROFILE and AWS_DEFAULT_PROFILE set aside until mfa-unset)\n`);
  // A name that is not plain printable ASCII cannot reach the terminal raw (the fast path has no sanitizer).
  assert.equal(servedLine(`a\x1b]0;x\x07\u009b\u202e b`, 60), `awsmfa: "a\\u001b]0;x\\u0007\\u009b\\u202e b": cached session, 0h 01m left\n`);
});

test(`mfa --help names the sticky profile in effect, by the contract's precedence, and how to change it (on stderr: mfa applies stdout)`, async () => {
  const {runAwsmfa} = await import(`./support/run.js`);
  const {makeSandbox} = await import(`./support/sandbox.js`);
  const sandbox = makeSandbox({endpoint: `http://127.0.0.1:9`});
  try {
    const sticky = await runAwsmfa([`env`, `--mfa-shell`, `bash`, `--help`], {...sandbox.env, AWSMFA_PROFILE: `work`});
    assert.equal(sticky.exitCode, 0);
    assert.equal(sticky.stdout, ``);
    assert.match(sticky.stderr, /Without --profile it uses AWS_PROFILE, else AWS_DEFAULT_PROFILE, else AWSMFA_PROFILE \(which mfa sets: the profile sticks\), else default\. Here that is work \(from AWSMFA_PROFILE\)\. Change it with mfa --profile NAME/);
    const chosen = await runAwsmfa([`env`, `--mfa-shell`, `bash`, `--help`], {...sandbox.env, AWS_PROFILE: `admin`, AWSMFA_PROFILE: `work`});
    assert.match(chosen.stderr, /Here that is admin \(from AWS_PROFILE\)/);
    const plain = await runAwsmfa([`env`, `--help`], sandbox.env);
    assert.doesNotMatch(plain.stdout, /sticks/, `awsmfa env --help is env's own`);
  } finally {
    sandbox.cleanup();
  }
});
