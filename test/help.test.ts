/**
 * Help is asked for, so it goes to stdout (`awsmfa env --help | less`), for every command and every way of asking;
 * stderr carries errors only. The one exception is `mfa`'s own call (`--mfa-shell`), whose stdout the shell applies:
 * there help goes to the terminal on stderr (test/init.test.ts runs `mfa --help` in every shell).
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {buildCli} from '../src/cli/main.js';
import {assertFails, ROOT} from './support/run.js';
import {sts, useStandIn} from './support/stand-in.js';

const {run} = useStandIn();

// Every command the CLI registers (clipanion's definitions leave the hidden completion helper out): a new command
// is checked here without being named here.
const COMMANDS = buildCli().definitions().map(definition => definition.path.replace(/^awsmfa /, ``));
const VERSION = JSON.parse(readFileSync(join(ROOT, `package.json`), `utf8`)).version as string;

describe(`help goes to stdout when asked for`, () => {
  test(`every command, as COMMAND --help, COMMAND -h and help COMMAND: its usage on stdout, nothing on stderr, exit 0`, async () => {
    for (const command of COMMANDS) {
      const words = command.split(` `);
      for (const args of [[...words, `--help`], [...words, `-h`], [`help`, ...words]]) {
        const result = await run(args);
        assert.equal(result.exitCode, 0, `${args.join(` `)}: ${result.stderr}`);
        assert.equal(result.stderr, ``, args.join(` `));
        assert.match(result.stdout, new RegExp(`\\$ awsmfa ${command}\\b`), args.join(` `));
        assert.doesNotMatch(result.stdout, /#0/, `no placeholder is #0 (${args.join(` `)})`);
        assert.doesNotMatch(result.stdout, /--cache\b/, `--no-cache is shown as typed (${args.join(` `)})`);
      }
    }
  });

  test(`help after other options and a code still prints help, and asks STS nothing`, async () => {
    for (const args of [[`env`, `--profile`, `default`, `123456`, `--help`], [`exec`, `-p`, `default`, `-h`, `--`, `true`]]) {
      const result = await run(args);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stderr, ``);
      assert.match(result.stdout, new RegExp(`\\$ awsmfa ${args[0]}`));
    }
    assert.equal(sts.sessionRequests.length, 0);
    // After exec's --, --help is the command's.
    const passed = await run([`exec`, sts.code, `--`, `sh`, `-c`, `echo "$1"`, `sh`, `--help`]);
    assert.equal(passed.stdout, `--help\n`, passed.stderr);
    assert.doesNotMatch(passed.stdout, /\$ awsmfa exec/);
  });

  test(`the options are named as typed, with examples`, async () => {
    const env = await run([`help`, `env`]);
    assert.match(env.stdout, /^ {2}--code,--token-code,-c CODE {8}The 6-digit code/m);
    assert.match(env.stdout, /^ {2}--no-cache {25}Neither read nor write awsmfa's session cache/m);
    assert.match(env.stdout, /^Examples\n\nStart a session in bash or zsh\n {2}\$ eval "\$\(awsmfa env 123456\)"$/m);
    assert.match((await run([`help`, `exec`])).stdout, /\$ awsmfa exec \[code\] -- COMMAND \[ARGS\.\.\.\]/);
  });

  test(`mfa's call (--mfa-shell) gets help on stderr and an empty stdout, which mfa applies as nothing`, async () => {
    for (const args of [[`env`, `--mfa-shell`, `bash`, `--help`], [`env`, `--mfa-shell=zsh`, `-h`]]) {
      const result = await run(args);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(result.stdout, ``);
      assert.match(result.stderr, /\$ awsmfa env/);
    }
  });

  test(`a mistake is an error on stderr, not help on stdout`, async () => {
    assertFails(await run([`help`, `nosuch`]), 2, /unknown command "nosuch"; the commands are env, exec, /);
    assertFails(await run([`env`, `--nosuch`]), 2, /awsmfa env --help/);
  });
});

describe(`bare awsmfa, awsmfa --help and awsmfa help`, () => {
  test(`start with "start here" (the rc line and the three commands most people need), then each command on one line with its purpose (as gh and aws-vault list theirs), then --version; options stay in each command's help`, async () => {
    const outputs: string[] = [];
    for (const args of [[], [`--help`], [`-h`], [`help`]]) {
      const result = await run(args);
      assert.equal(result.exitCode, 0, `${args.join(` `)}: ${result.stderr}`);
      assert.equal(result.stderr, ``);
      outputs.push(result.stdout);
    }
    assert.ok(outputs.every(output => output === outputs[0]), `the same text every way`);
    const text = outputs[0]!;
    const lines = text.split(`\n`);
    assert.equal(lines[0], `awsmfa ${VERSION}: MFA sessions for the AWS command line`);
    assert.ok(lines.includes(`Usage: awsmfa COMMAND [options]`));
    const start = lines.indexOf(`Start here`);
    const all = lines.indexOf(`Commands`);
    const options = lines.indexOf(`Options`);
    assert.ok(start > 0 && start < all && all < options, `"Start here", then the commands, then the options`);
    const startHere = lines.slice(start + 1, all).filter(line => line.trim() !== ``);
    assert.match(startHere[0]!, /^ {2}awsmfa init --install +once: mfa and mfa-unset in every new shell, started without node/);
    assert.deepEqual(startHere.slice(1).map(line => line.trim().split(/ {2,}/)[0]), [`mfa 123456`, `awsmfa status`, `awsmfa exec -- aws s3 ls`]);
    // Every command of the CLI, each on one line with the purpose its own help starts with, in one column; the
    // hidden completion helper is not there, nor is any option.
    const listed = lines.slice(all + 1, options).filter(line => line.trim() !== ``);
    const column = /^ {2}\S+(?: \S+)* {2,}/.exec(listed[0]!)![0].length;
    const rows = listed.map(line => [line.slice(2, column).trimEnd(), line.slice(column)] as const);
    assert.ok(listed.every(line => /^ {2}\S/.test(line) && line[column - 1] === ` ` && line[column] !== ` `), `one column:\n${listed.join(`\n`)}`);
    for (const command of COMMANDS) {
      const row = rows.filter(([name]) => name === command);
      assert.equal(row.length, 1, `${command} is listed once`);
      const help = await run([...command.split(` `), `--help`]);
      assert.equal(help.stdout.split(`\n`)[0]!.toLowerCase(), row[0]![1].toLowerCase(), `${command}: the line is the one its own help starts with`);
    }
    assert.deepEqual(rows.map(([name]) => name).filter(name => !COMMANDS.includes(name)), [`help COMMAND`]);
    assert.doesNotMatch(rows.filter(([name]) => COMMANDS.includes(name)).map(row => row.join(` `)).join(`\n`), / --?[a-z]/, `no option in the list of commands: those are in each command's help`);
    assert.match(text, /^ {2}--version +print awsmfa's version$/m);
    assert.match(text, /awsmfa COMMAND --help \(or awsmfa help COMMAND\)/);
    assert.doesNotMatch(text, /#0|--cache\b/);
  });

  test(`--version prints the version on stdout`, async () => {
    const result = await run([`--version`]);
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout.trim(), VERSION);
    assert.equal(result.stderr, ``);
  });
});

describe(`a slip gets the way out in one line`, () => {
  test(`a mistyped command or option: did you mean (edit distance, a swap counting once)`, async () => {
    const cases: Array<[string[], RegExp]> = [
      [[`evn`], /^awsmfa: unknown command "evn"; did you mean awsmfa env\? \(see awsmfa --help\)\n$/],
      [[`stauts`], /^awsmfa: unknown command "stauts"; did you mean awsmfa status\?/],
      [[`credential-proces`], /did you mean awsmfa credential-process\?/],
      [[`env`, `--profle`, `work`], /^awsmfa: unknown option "--profle" for awsmfa env; did you mean --profile\? \(see awsmfa env --help\)\n$/],
      [[`env`, `--profle=work`], /unknown option "--profle" for awsmfa env; did you mean --profile\?/],
      [[`keys`, `move`, `--prfile`, `work`], /^awsmfa: unknown option "--prfile" for awsmfa keys move; did you mean --profile\? \(see awsmfa keys move --help\)\n$/],
      [[`keys`, `move`, `--to`, `bogus`], /^awsmfa: Invalid value for --to: expected one of keyring, file, aws-files \(got "bogus"\) \(see awsmfa keys move --help\)\n$/],
      [[`env`, `--no-cahce`], /did you mean --no-cache\?/],
      [[`status`, `--jsn`], /unknown option "--jsn" for awsmfa status; did you mean --json\?/],
      [[`login`, `--update-profil`, `x`], /did you mean --update-profile\?/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      assertFails(result, 2, message);
    }
    // Nothing close: no guess, the list or the help instead.
    assertFails(await run([`deploy`]), 2, /^awsmfa: unknown command "deploy"; the commands are env, exec, .* \(see awsmfa --help\)\n$/);
    assertFails(await run([`env`, `--bogus`]), 2, /^awsmfa: unknown option "--bogus" for awsmfa env \(see awsmfa env --help\)\n$/);
    assertFails(await run([`env`, `-x`]), 2, /^awsmfa: unknown option "-x" for awsmfa env \(see awsmfa env --help\)\n$/);
  });

  test(`exec with the command but no --: the same line with -- in its place`, async () => {
    const cases: Array<[string[], string]> = [
      [[`exec`, `aws`, `sts`, `get-caller-identity`], `awsmfa exec -- aws sts get-caller-identity`],
      [[`exec`, `-p`, `admin`, `env`], `awsmfa exec -p admin -- env`],
      [[`exec`, `--code`, `123456`, `aws`, `s3`, `ls`, `--recursive`], `awsmfa exec --code 123456 -- aws s3 ls --recursive`],
      [[`exec`, `123456`, `sh`, `-c`, `echo "$HOME"`], `awsmfa exec 123456 -- sh -c 'echo "$HOME"'`],
    ];
    for (const [args, line] of cases) {
      const result = await run(args);
      assertFails(result, 2, new RegExp(`^awsmfa: put the command after --: ${line.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)}\n$`));
    }
    assert.equal(sts.sessionRequests.length, 0, `nothing was asked of STS`);
    // The suggested line works as it is.
    const fixed = await run([`exec`, sts.code, `--`, `sh`, `-c`, `echo "$AWS_ACCESS_KEY_ID"`]);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    assert.equal(fixed.stdout, `${sts.issued.at(-1)!.accessKeyId}\n`);
  });
});
