/**
 * Completion never evaluates: profile names from a hostile (team-shared) config reach bash, zsh and fish as
 * literal words. Each shell completes `mfa --profile` over names holding command substitutions, backticks, ${},
 * braces, arithmetic, globs, ~, quotes, ; and !, and the test asserts that no canary file appears, that the exact
 * names are offered, and (bash and zsh, typed in a real interactive shell in tmux) that what TAB inserts gives
 * `mfa` the exact name. Names holding ESC, C1 or a tab are not offered at all.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeEach, describe, test} from 'node:test';
import {DIALECTS} from '../src/dialects/index.js';
import {ROOT, runAwsmfa} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {sandbox, useStandIn} from './support/stand-in.js';
import {installInto, realShell, runScript, skipUnlessShell} from './support/shells.js';

useStandIn();

const canary = (n: number) => join(sandbox.home, `PWNED${n}`);
/** The names offered, as the config (below) defines them. */
const hostile = () => [
  `x$(touch ${canary(1)})`,
  `y\`touch ${canary(2)}\``,
  `\${HOME}`,
  `{a,b}`,
  `$((1+1))`,
  `\\$x`,
  `g*`,
  `~root`,
  `q'uote"d`,
  `semi;colon`,
  `two words`,
  `bang!x`,
  `trail\\`,
  `#hash`,
  `plain`,
];
/** Names that must never reach a terminal's completion list. */
const CONTROL = [`esc\x1b]0;title\x07`, `c\u009bx`, `tab\there`];

/** botocore splits `[profile NAME]` with shlex: single quotes, with ' written as '"'"'. */
const shlexQuote = (name: string) => `'${name.replaceAll(`'`, `'"'"'`)}'`;

let env: Record<string, string>;

beforeEach(() => {
  sandbox.writeConfig([...hostile(), ...CONTROL].map(name => `[profile ${shlexQuote(name)}]\nregion = eu-west-1\n`).join(``));
  env = awsmfaOnPath(sandbox);
});

const noCanary = () => assert.deepEqual(readdirSync(sandbox.home).filter(name => name.startsWith(`PWNED`)), [], `nothing in a name ran`);

test(`awsmfa complete-profiles: every name as it is, one a line, but none with a control character`, async () => {
  const result = await runAwsmfa([`complete-profiles`], env);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(result.stdout.split(`\n`).slice(0, -1).sort(), [...hostile(), `default`].sort());
  assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
});

/** Calls the completion function as readline would, and prints COMPREPLY one a line, each with what it means. */
const functionScript = (shell: `bash` | `zsh`, cur: string) => [
  ...shell === `zsh` ? [`autoload -U compinit && compinit -u -D`] : [],
  `source '${join(ROOT, `shell`, `awsmfa.${shell}`)}'`,
  `COMP_WORDS=(mfa --profile ${shlexQuote(cur)}); COMP_CWORD=2`,
  `_awsmfa_complete`,
  // Each word as the shell reads it back from a command line: eval of `printf ... WORD`.
  `for w in "\${COMPREPLY[@]}"; do printf '%s\\0' "$w"; eval "printf '%s\\\\0' $w"; done`,
  ``,
].join(`\n`);

for (const shell of [`bash`, `zsh`] as const) {
  describe(`${shell} completion`, {skip: skipUnlessShell(shell)}, () => {
    test(`offers every name quoted, so that the command line reads back the exact name; runs nothing`, async () => {
      const result = await runScript(shell, functionScript(shell, ``), env);
      assert.equal(result.stderr, ``);
      const fields = result.stdout.split(`\0`).slice(0, -1);
      const pairs = fields.flatMap((word, index) => index % 2 === 0 ? [[word, fields[index + 1]!] as const] : []);
      assert.deepEqual(pairs.map(([, name]) => name).sort(), [...hostile(), `default`].sort());
      for (const [word, name] of pairs) {
        if (name !== `default` && name !== `plain`)
          assert.notEqual(word, name, `${name} is quoted`);
      }
      noCanary();
    });

    test(`a typed prefix is matched literally, as the name or as its quoted form`, async () => {
      for (const [cur, expected] of [[`x$(`, `x$(touch ${canary(1)})`], [`$(`, `$((1+1))`], [`{`, `{a,b}`], [`g*`, `g*`], [`\\$\\{`, `\${HOME}`]] as const) {
        const result = await runScript(shell, functionScript(shell, cur), env);
        const fields = result.stdout.split(`\0`).slice(0, -1);
        assert.deepEqual(fields.filter((_, index) => index % 2 === 1), [expected], `${cur} completes ${expected} alone`);
      }
      noCanary();
    });

    test(`TAB in an interactive ${shell} inserts what gives mfa the exact name`, {skip: skipUnlessShell(`tmux`)}, async () => {
      const out = join(sandbox.home, `out`);
      const socket = `awsmfa-completion-${process.pid}-${shell}`;
      const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
      const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
      const start = shell === `bash` ? `bash --norc --noprofile -i` : `zsh -f -i`;
      const load = shell === `bash` ? `` : `autoload -U compinit && compinit -u -D; `;
      // mfa itself replaced after loading (its completion stays): it notes the arguments it got.
      const cases: Array<[string, string]> = [[`x`, hostile()[0]!], [`y`, hostile()[1]!], [`tw`, `two words`], [`ba`, `bang!x`], [`q`, `q'uote"d`], [`se`, `semi;colon`], [`tr`, `trail\\`], [`\\~`, `~root`]];
      assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, start).status, 0);
      try {
        tmux(`send-keys`, `${load}source '${join(ROOT, `shell`, `awsmfa.${shell}`)}'; mfa() { printf '%s\\0' "$2" >> '${out}'; }`, `Enter`);
        await sleep(1500);
        for (const [prefix] of cases) {
          tmux(`send-keys`, `mfa --profile ${prefix}`, `Tab`);
          await sleep(1500);
          tmux(`send-keys`, `Enter`);
          await sleep(300);
        }
        await sleep(500);
      } finally {
        tmux(`kill-server`);
        // The shell writes its history into HOME as it goes: let it finish before the sandbox goes.
        await sleep(500);
      }
      assert.ok(existsSync(out), `mfa ran`);
      assert.deepEqual(readFileSync(out, `utf8`).split(`\0`).slice(0, -1), cases.map(([, name]) => name));
      noCanary();
      rmSync(out);
    });
  });
}

describe(`fish completion`, {skip: skipUnlessShell(`fish`)}, () => {
  test(`complete -C offers the exact names as plain lines; runs nothing`, async () => {
    const result = await runScript(`fish`, `source '${join(ROOT, `shell`, `awsmfa.fish`)}'\ncomplete -C'mfa --profile '\ncomplete -C'awsmfa env -p x'\n`, env);
    assert.equal(result.stderr, ``);
    const lines = result.stdout.split(`\n`).slice(0, -1).map(line => line.replace(/\t.*$/, ``));
    // The first list: every name; the second: those starting with x.
    const all = lines.slice(0, hostile().length + 1);
    assert.deepEqual(all.sort(), [...hostile(), `default`].sort());
    assert.deepEqual(lines.slice(hostile().length + 1), [`x$(touch ${canary(1)})`]);
    assert.doesNotMatch(result.stdout, /[\u001b\u009b]/);
    noCanary();
  });
});

test(`without the fix this test would see it: compgen -W over the same names runs them`, {skip: skipUnlessShell(`bash`)}, () => {
  // The mechanism the old completion used, kept here as the proof that the names above are hostile enough.
  const names = spawnSync(process.execPath, [join(ROOT, `dist`, `awsmfa.cjs`), `complete-profiles`], {env, encoding: `utf8`}).stdout;
  spawnSync(`bash`, [`-c`, `IFS=$'\\n'; compgen -W "$1" -- ''`, `_`, names], {env, encoding: `utf8`});
  assert.ok(existsSync(canary(1)) && existsSync(canary(2)));
});

/** The options each command has in the CLI's own definitions, as completion offers them. */
const optionsOf = async (name: string) => {
  const {completedCommands} = await import(`../scripts/render-shell.js`);
  return completedCommands().find(command => command.name === name)!.options;
};

describe(`completion per command, from the CLI's own definitions`, () => {
  test(`fish: each command's options only, with the help's descriptions; the commands with theirs`, {skip: skipUnlessShell(`fish`)}, async () => {
    const script = [`source '${join(ROOT, `shell`, `awsmfa.fish`)}'`, `complete -C'awsmfa status --'`, `echo ---`, `complete -C'awsmfa '`, `echo ---`, `complete -C'mfa --sh'`, ``].join(`\n`);
    const result = await runScript(`fish`, script, env);
    assert.equal(result.stderr, ``);
    const [status, commands, mfa] = result.stdout.split(`---\n`).map(part => part.split(`\n`).filter(Boolean).map(line => line.split(`\t`)));
    const expected = (await optionsOf(`status`)).flatMap(option => option.longs.map(long => [long, option.description]));
    assert.deepEqual(status!.sort(), expected.sort(), `awsmfa status --<TAB> offers status's options, described as in --help`);
    assert.ok(!status!.some(([word]) => word === `--code` || word === `--save`), `not another command's`);
    const {commandWords} = await import(`../scripts/render-shell.js`);
    for (const command of commandWords())
      assert.ok(commands!.some(([word, description]) => word === command.word && description === command.description), `${command.word} with its description`);
    // fish falls back to fuzzy matches when nothing starts with what was typed: --shell is simply not among them.
    assert.ok(!mfa!.some(([word]) => word === `--shell`), `mfa takes no --shell`);
  });

  test(`bash: each command's options only`, {skip: skipUnlessShell(`bash`)}, async () => {
    const script = [`source '${join(ROOT, `shell`, `awsmfa.bash`)}'`, `COMP_WORDS=(awsmfa status --); COMP_CWORD=2`, `_awsmfa_complete; printf '%s\\n' "\${COMPREPLY[@]}"`, ``].join(`\n`);
    const result = await runScript(`bash`, script, env);
    assert.deepEqual(result.stdout.split(`\n`).filter(Boolean).sort(), [...(await optionsOf(`status`)).flatMap(option => option.longs), `--help`].sort());
  });

  test(`elvish: the arg-completer's commands, each command's options, dialects, and profile names as literal words`, {skip: skipUnlessShell(`elvish`)}, async () => {
    // The completer is what edit:completion:arg-completer calls, with the words typed so far; outside an
    // interactive shell (no editor) it is called directly, in the eval that defines it.
    const calls = [[`''`, `awsmfa`, `e`], [`status`, `awsmfa`, `status`, `--`], [`env`, `awsmfa`, `env`, `--shell`, `''`], [`mfa`, `mfa`, `--profile`, `''`]];
    const tail = calls.map(words => `put [(-awsmfa-complete ${words.join(` `)})] | to-json`).join(`\n`);
    const script = `eval (slurp < '${join(ROOT, `shell`, `awsmfa.elv`)}')"\n${tail.replaceAll(`"`, `\\"`)}\n"\n`;
    const result = await runScript(`elvish`, script, env);
    assert.equal(result.stderr, ``);
    const [commands, status, dialects, profiles] = result.stdout.trim().split(`\n`).map(line => JSON.parse(line) as string[]);
    const {commandWords} = await import(`../scripts/render-shell.js`);
    assert.deepEqual(commands!.sort(), commandWords().map(command => command.word).sort());
    assert.deepEqual(status!.sort(), (await optionsOf(`status`)).flatMap(option => option.longs).sort());
    assert.deepEqual(dialects, DIALECTS.map(dialect => dialect.name));
    assert.deepEqual(profiles!.sort(), [...hostile(), `default`].sort());
    noCanary();
  });

  test(`tcsh: TAB in an interactive tcsh completes the command, an option, and plain profile names; runs nothing`, {skip: skipUnlessShell(`tcsh`) || skipUnlessShell(`tmux`)}, async () => {
    const socket = `awsmfa-completion-${process.pid}-tcsh`;
    const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
    const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const out = join(sandbox.home, `out`);
    assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, `tcsh -f`).status, 0);
    try {
      tmux(`send-keys`, `source '${join(ROOT, `shell`, `awsmfa.tcsh`)}'; alias awsmfa 'echo \\!* >> ${out}'; alias mfa 'echo mfa \\!* >> ${out}'`, `Enter`);
      await sleep(1000);
      for (const typed of [`awsmfa sta`, `awsmfa status --sho`, `mfa --profile pl`, `mfa --profile x`]) {
        tmux(`send-keys`, typed, `Tab`);
        await sleep(2000);
        tmux(`send-keys`, `Enter`);
        await sleep(500);
      }
    } finally {
      tmux(`kill-server`);
      await sleep(300);
    }
    // x$(touch …) and y`touch …` are not one plain word: not offered, and not run.
    assert.deepEqual(readFileSync(out, `utf8`).split(`\n`).map(line => line.trim()), [`status`, `status --short`, `mfa --profile plain`, `mfa --profile x`, ``]);
    noCanary();
  });
});

test(`zsh: TAB lists the commands and a command's options with the help's descriptions (zsh's own completion)`, {skip: skipUnlessShell(`zsh`) || skipUnlessShell(`tmux`)}, async () => {
  const socket = `awsmfa-completion-${process.pid}-zsh-described`;
  const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
  const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
  const screens: string[] = [];
  assert.equal(tmux(`new-session`, `-d`, `-x`, `250`, `-y`, `50`, `zsh -f -i`).status, 0);
  try {
    tmux(`send-keys`, `autoload -U compinit && compinit -u -D; source '${join(ROOT, `shell`, `awsmfa.zsh`)}'; clear`, `Enter`);
    await sleep(1500);
    for (const typed of [`awsmfa status --`, `awsmfa `, `mfa --s`]) {
      tmux(`send-keys`, typed, `Tab`);
      await sleep(1500);
      screens.push(tmux(`capture-pane`, `-p`).stdout);
      tmux(`send-keys`, `C-u`, `C-l`);
      await sleep(500);
    }
  } finally {
    tmux(`kill-server`);
    await sleep(500);
  }
  const [status, commands, mfa] = screens;
  for (const option of await optionsOf(`status`))
    assert.match(status!, new RegExp(`^${option.longs[0]} +-- ${option.description.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)}$`, `m`), `${option.longs[0]} with its description`);
  assert.doesNotMatch(status!, /--code/, `not another command's options`);
  const {commandWords} = await import(`../scripts/render-shell.js`);
  for (const command of commandWords().filter(one => one.description.length < 150))
    assert.ok(commands!.includes(`${command.word} `) && commands!.includes(`-- ${command.description}`), `${command.word}: ${command.description}`);
  assert.doesNotMatch(mfa!, /--shell/, `mfa takes no --shell`);
  assert.match(mfa!, /--serial-number/);
});

/**
 * Commands of two words (`keys import`) and the newer commands, in every shell: the first word once (described where
 * the shell shows descriptions), after it the second words, after both the command's own options, and after --to
 * the stores that command takes, which the test reads from the CLI's own refusal of a wrong one.
 */
describe(`completion of commands of two words and of the new commands`, () => {
  /** What the CLI itself accepts for `awsmfa COMMAND --to`, from the one line that refuses anything else. */
  const acceptedStores = async (command: string[]) => {
    const result = await runAwsmfa([...command, `--to`, `bogus`], env);
    const listed = /expected one of ([\w, -]+) \(got/.exec(result.stderr);
    assert.ok(listed, `the CLI names what --to takes: ${result.stderr}`);
    return listed[1]!.split(`, `).sort();
  };
  const commandsOf = async () => (await import(`../scripts/render-shell.js`)).completedCommands();
  /** The facts a user checks: keys' second words, keys import's options, serve's and console's, the stores. */
  const expected = async () => {
    const commands = await commandsOf();
    const longs = (name: string) => [...commands.find(command => command.name === name)!.options.flatMap(option => option.longs)].sort();
    const keys = commands.filter(command => command.path[0] === `keys` && command.path.length === 2);
    assert.deepEqual(keys.map(command => command.path[1]).sort(), [`add`, `import`, `list`, `move`, `remove`]);
    return {keys, importOptions: longs(`keys import`), serveOptions: longs(`serve`), consoleOptions: longs(`console`), moveStores: await acceptedStores([`keys`, `move`]), importStores: await acceptedStores([`keys`, `import`])};
  };

  test(`bash: keys once, its second words, keys import's options, --to's stores per command, serve's and console's options, help keys`, {skip: skipUnlessShell(`bash`)}, async () => {
    const facts = await expected();
    const complete = async (...words: string[]) => {
      const script = [`source '${join(ROOT, `shell`, `awsmfa.bash`)}'`, `COMP_WORDS=(${words.map(shlexQuote).join(` `)}); COMP_CWORD=${words.length - 1}`, `_awsmfa_complete; printf '%s\\n' "\${COMPREPLY[@]}"`, ``].join(`\n`);
      const result = await runScript(`bash`, script, env);
      assert.equal(result.stderr, ``);
      return result.stdout.split(`\n`).filter(Boolean).sort();
    };
    const top = await complete(`awsmfa`, ``);
    assert.equal(top.filter(word => word === `keys`).length, 1, `keys offered once`);
    assert.ok(!top.includes(`import`) && !top.includes(`keys import`), `no second word among the commands`);
    assert.deepEqual(await complete(`awsmfa`, `ke`), [`keys`]);
    assert.deepEqual(await complete(`awsmfa`, `keys`, ``), facts.keys.map(command => command.path[1]).sort());
    assert.deepEqual(await complete(`awsmfa`, `keys`, `im`), [`import`]);
    assert.deepEqual(await complete(`awsmfa`, `keys`, `import`, `--`), [...facts.importOptions, `--help`].sort());
    assert.deepEqual(await complete(`awsmfa`, `keys`, `move`, `--to`, ``), facts.moveStores);
    assert.deepEqual(await complete(`awsmfa`, `keys`, `import`, `--profile`, `plain`, `--to`, ``), facts.importStores);
    assert.deepEqual(await complete(`awsmfa`, `keys`, `move`, `--profile`, `pl`), [`plain`], `--profile's values are the profile names`);
    assert.deepEqual(await complete(`awsmfa`, `serve`, `--`), [...facts.serveOptions, `--help`].sort());
    assert.deepEqual(await complete(`awsmfa`, `console`, `--`), [...facts.consoleOptions, `--help`].sort());
    assert.deepEqual(await complete(`awsmfa`, `help`, `keys`, ``), facts.keys.map(command => command.path[1]).sort());
    assert.ok((await complete(`awsmfa`, `help`, ``)).includes(`keys`));
    noCanary();
  });

  test(`bash and zsh: TAB in an interactive shell inserts keys' second word and --to's store`, {skip: skipUnlessShell(`bash`) || skipUnlessShell(`zsh`) || skipUnlessShell(`tmux`)}, async () => {
    for (const shell of [`bash`, `zsh`] as const) {
      const out = join(sandbox.home, `out-${shell}`);
      const socket = `awsmfa-completion-${process.pid}-${shell}-keys`;
      const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
      const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
      const load = shell === `bash` ? `` : `autoload -U compinit && compinit -u -D; `;
      assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, shell === `bash` ? `bash --norc --noprofile -i` : `zsh -f -i`).status, 0);
      try {
        // awsmfa replaced after loading (its completion stays): it notes the words it got.
        tmux(`send-keys`, `${load}source '${join(ROOT, `shell`, `awsmfa.${shell}`)}'; awsmfa() { printf '%s ' "$@" >> '${out}'; echo >> '${out}'; }`, `Enter`);
        await sleep(1500);
        for (const typed of [`awsmfa ke`, `awsmfa keys mo`, `awsmfa keys move --to aw`, `awsmfa keys import --cred`, `awsmfa console --dest`]) {
          tmux(`send-keys`, typed, `Tab`);
          await sleep(1500);
          tmux(`send-keys`, `Enter`);
          await sleep(300);
        }
        await sleep(500);
      } finally {
        tmux(`kill-server`);
        await sleep(500);
      }
      assert.deepEqual(readFileSync(out, `utf8`).split(`\n`).map(line => line.trim()), [`keys`, `keys move`, `keys move --to aws-files`, `keys import --credential-process`, `console --destination`, ``], shell);
    }
  });

  test(`zsh: TAB lists keys with what it is, its second words described, keys import's options, the stores`, {skip: skipUnlessShell(`zsh`) || skipUnlessShell(`tmux`)}, async () => {
    const facts = await expected();
    const socket = `awsmfa-completion-${process.pid}-zsh-keys`;
    const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
    const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const screens: string[] = [];
    assert.equal(tmux(`new-session`, `-d`, `-x`, `250`, `-y`, `50`, `zsh -f -i`).status, 0);
    try {
      tmux(`send-keys`, `autoload -U compinit && compinit -u -D; source '${join(ROOT, `shell`, `awsmfa.zsh`)}'; clear`, `Enter`);
      await sleep(1500);
      for (const typed of [`awsmfa `, `awsmfa keys `, `awsmfa keys import --`, `awsmfa keys move --to `, `awsmfa serve --`, `awsmfa console --`, `awsmfa help keys `]) {
        tmux(`send-keys`, typed, `Tab`);
        await sleep(1500);
        screens.push(tmux(`capture-pane`, `-p`).stdout);
        tmux(`send-keys`, `C-u`, `C-l`);
        await sleep(500);
      }
    } finally {
      tmux(`kill-server`);
      await sleep(500);
    }
    const [top, keys, importOptions, stores, serve, consoleOptions, help] = screens;
    assert.match(top!, /^keys +-- long-term keys off the disk: import, add, list, move, remove$/m, `keys, once, with what it is`);
    assert.doesNotMatch(top!, /^(keys )?(import|add|list|move|remove) /m, `no second word among the commands`);
    for (const command of facts.keys)
      assert.match(keys!, new RegExp(`^${command.path[1]} +-- ${command.description.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)}$`, `m`), `keys ${command.path[1]} with its description`);
    for (const option of facts.importOptions)
      assert.match(importOptions!, new RegExp(`^${option} +-- `, `m`), `keys import ${option}`);
    assert.doesNotMatch(importOptions!, /--check|--code/, `not another command's`);
    assert.deepEqual(stores!.split(/\s+/).filter(word => facts.moveStores.includes(word)).sort(), facts.moveStores, `keys move --to: ${stores}`);
    // zsh puts the options of one description on one line (--code --token-code -- …).
    for (const option of facts.serveOptions)
      assert.match(serve!, new RegExp(`^(--[\\w-]+ +)*${option} `, `m`), `serve ${option}`);
    for (const option of facts.consoleOptions)
      assert.match(consoleOptions!, new RegExp(`^(--[\\w-]+ +)*${option} `, `m`), `console ${option}`);
    for (const command of facts.keys)
      assert.match(help!, new RegExp(`^${command.path[1]} +-- `, `m`), `help keys ${command.path[1]}`);
  });

  test(`fish: keys described once, its second words described, keys import's options, the stores, serve's and console's options`, {skip: skipUnlessShell(`fish`)}, async () => {
    const facts = await expected();
    const lines = [`awsmfa `, `awsmfa keys `, `awsmfa keys import --`, `awsmfa keys move --to `, `awsmfa keys import --to `, `awsmfa serve --`, `awsmfa console --`, `awsmfa help keys `];
    const script = [`source '${join(ROOT, `shell`, `awsmfa.fish`)}'`, ...lines.flatMap(line => [`complete -C'${line}'`, `echo ---`]), ``].join(`\n`);
    const result = await runScript(`fish`, script, env);
    assert.equal(result.stderr, ``);
    const [top, keys, importOptions, moveStores, importStores, serve, consoleOptions, help] = result.stdout.split(`---\n`).map(part => part.split(`\n`).filter(Boolean).map(line => line.split(`\t`)));
    assert.deepEqual(top!.filter(([word]) => word!.startsWith(`keys`)), [[`keys`, `long-term keys off the disk: import, add, list, move, remove`]]);
    assert.deepEqual(keys!.sort(), facts.keys.map(command => [command.path[1], command.description]).sort());
    assert.deepEqual(importOptions!.map(([word]) => word).sort(), facts.importOptions);
    assert.deepEqual(moveStores!.map(([word]) => word).sort(), facts.moveStores);
    assert.deepEqual(importStores!.map(([word]) => word).sort(), facts.importStores);
    assert.deepEqual(serve!.map(([word]) => word).sort(), facts.serveOptions);
    assert.deepEqual(consoleOptions!.map(([word]) => word).sort(), facts.consoleOptions);
    assert.deepEqual(help!.map(([word]) => word).sort(), facts.keys.map(command => command.path[1]).sort());
  });

  test(`elvish: keys described once, its second words described, keys import's options, the stores, serve's and console's`, {skip: skipUnlessShell(`elvish`)}, async () => {
    const facts = await expected();
    const described = `&candidate={|name description| put $name"="$description }`;
    const calls = [[described, `''`, `awsmfa`, `''`], [described, `keys`, `awsmfa`, `keys`, `''`], [``, `keys`, `awsmfa`, `keys`, `import`, `--`], [``, `keys`, `awsmfa`, `keys`, `move`, `--to`, `''`], [``, `keys`, `awsmfa`, `keys`, `add`, `--to`, `''`], [``, `serve`, `awsmfa`, `serve`, `''`], [``, `console`, `awsmfa`, `console`, `''`], [``, `help`, `awsmfa`, `help`, `keys`, `''`]];
    const tail = calls.map(([option, ...words]) => `put [(-awsmfa-complete ${option} ${words.join(` `)})] | to-json`).join(`\n`);
    const script = `eval (slurp < '${join(ROOT, `shell`, `awsmfa.elv`)}')"\n${tail.replaceAll(`\\`, `\\\\`).replaceAll(`"`, `\\"`)}\n"\n`;
    const result = await runScript(`elvish`, script, env);
    assert.equal(result.stderr, ``);
    const [top, keys, importOptions, moveStores, addStores, serve, consoleOptions, help] = result.stdout.trim().split(`\n`).map(line => JSON.parse(line) as string[]);
    assert.deepEqual(top!.filter(word => word.startsWith(`keys`)), [`keys=long-term keys off the disk: import, add, list, move, remove`]);
    assert.deepEqual(keys!.sort(), facts.keys.map(command => `${command.path[1]}=${command.description}`).sort());
    assert.deepEqual(importOptions!.sort(), facts.importOptions);
    assert.deepEqual(moveStores!.sort(), facts.moveStores);
    assert.deepEqual(addStores!.sort(), await acceptedStores([`keys`, `add`]));
    assert.deepEqual(serve!.sort(), facts.serveOptions);
    assert.deepEqual(consoleOptions!.sort(), facts.consoleOptions);
    assert.deepEqual(help!.sort(), facts.keys.map(command => command.path[1]).sort());
  });

  test(`tcsh: TAB completes keys, its second word, keys import's option, --to's store, console's option`, {skip: skipUnlessShell(`tcsh`) || skipUnlessShell(`tmux`)}, async () => {
    const socket = `awsmfa-completion-${process.pid}-tcsh-keys`;
    const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
    const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const out = join(sandbox.home, `out`);
    assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, `tcsh -f`).status, 0);
    try {
      tmux(`send-keys`, `source '${join(ROOT, `shell`, `awsmfa.tcsh`)}'; alias awsmfa 'echo \\!* >> ${out}'`, `Enter`);
      await sleep(1000);
      for (const typed of [`awsmfa ke`, `awsmfa keys mo`, `awsmfa keys import --cred`, `awsmfa keys move --to aw`, `awsmfa console --dest`, `awsmfa help keys re`]) {
        tmux(`send-keys`, typed, `Tab`);
        await sleep(2000);
        tmux(`send-keys`, `Enter`);
        await sleep(500);
      }
    } finally {
      tmux(`kill-server`);
      await sleep(300);
    }
    assert.deepEqual(readFileSync(out, `utf8`).split(`\n`).map(line => line.trim()), [`keys`, `keys move`, `keys import --credential-process`, `keys move --to aws-files`, `console --destination`, `help keys remove`, ``]);
  });
});

/**
 * The fast way of the README links the files: fish's conf.d link and zsh's oh-my-zsh plugin link. Their completion
 * lives in shell/completion/, read at the first TAB from beside the file's real path: it must still work there.
 */
describe(`completion through the README's links`, () => {
  test(`fish: the file linked into conf.d, loaded by fish itself; TAB completes`, {skip: skipUnlessShell(`fish`)}, async () => {
    const config = join(sandbox.home, `.config`);
    mkdirSync(join(config, `fish`, `conf.d`), {recursive: true});
    symlinkSync(join(ROOT, `shell`, `awsmfa.fish`), join(config, `fish`, `conf.d`, `awsmfa.fish`));
    // fish with its configuration (no --no-config): conf.d is read as at any start.
    const result = await runScript(`fish`, `complete -C 'awsmfa e'\ncomplete -C 'awsmfa keys mo'\n`, {...env, XDG_CONFIG_HOME: config}, {args: []});
    assert.equal(result.stderr, ``);
    assert.deepEqual(result.stdout.trim().split(`\n`).map(line => line.split(`\t`)[0]), [`env`, `exec`, `move`]);
  });

  test(`zsh: the file linked as an oh-my-zsh plugin, sourced by that link; TAB at a real prompt completes`, {skip: skipUnlessShell(`zsh`) || skipUnlessShell(`tmux`)}, async () => {
    const plugin = join(sandbox.home, `.oh-my-zsh`, `custom`, `plugins`, `awsmfa`);
    mkdirSync(plugin, {recursive: true});
    symlinkSync(join(ROOT, `shell`, `awsmfa.zsh`), join(plugin, `awsmfa.plugin.zsh`));
    const socket = `awsmfa-completion-${process.pid}-zsh-plugin`;
    const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
    const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const out = join(sandbox.home, `typed`);
    assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, `zsh -f -i`).status, 0);
    try {
      // As oh-my-zsh loads a plugin: compinit, then the plugin file by its path in the plugin folder.
      tmux(`send-keys`, `autoload -U compinit && compinit -u -D; source '${join(plugin, `awsmfa.plugin.zsh`)}'; awsmfa() { print -r -- "$*" >> '${out}' }`, `Enter`);
      await sleep(1500);
      for (const typed of [`awsmfa statu`, `awsmfa keys imp`]) {
        tmux(`send-keys`, typed, `Tab`);
        await sleep(2000);
        tmux(`send-keys`, `Enter`);
        await sleep(500);
      }
    } finally {
      tmux(`kill-server`);
      await sleep(300);
    }
    assert.deepEqual(readFileSync(out, `utf8`).split(`\n`).map(line => line.trim()), [`status`, `keys import`, ``]);
  });
});

describe(`zsh: completion works whatever the order of the README's rc line and compinit in .zshrc`, () => {
  const orders: Record<string, (line: string) => string> = {
    'the rc line, then compinit': line => `${line}\nautoload -U compinit && compinit -u\n`,
    'compinit, then the rc line': line => `autoload -U compinit && compinit -u\n${line}\n`,
    'compinit, the rc line, compinit again': line => `autoload -U compinit && compinit -u\n${line}\ncompinit -u\n`,
  };
  for (const [order, zshrc] of Object.entries(orders)) {
    test(order, {skip: skipUnlessShell(`zsh`) || skipUnlessShell(`tmux`)}, async () => {
      const onPath = awsmfaOnPath(sandbox);
      const {line, rcFile} = await installInto(realShell(`zsh`), onPath);
      writeFileSync(rcFile, zshrc(line));
      const socket = `awsmfa-completion-${process.pid}-zsh-order`;
      const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env: onPath, encoding: `utf8`});
      const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
      let screen = ``;
      // A login as a person's: zsh reads .zshrc (in HOME), and shows its first prompt.
      assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `30`, `zsh -i`).status, 0);
      try {
        await sleep(1500);
        tmux(`send-keys`, `awsmfa e`, `Tab`);
        for (let waited = 0; waited < 10_000 && !/exec/.test(screen); waited += 500) {
          await sleep(500);
          screen = tmux(`capture-pane`, `-p`).stdout;
        }
      } finally {
        tmux(`kill-server`);
        await sleep(300);
      }
      assert.match(screen, /^env +-- print shell lines/m, screen);
      assert.match(screen, /^exec +-- run a command/m, screen);
    });
  }
});
