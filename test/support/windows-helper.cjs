// Runs under the Windows build of Node, in Wine, for test/windows.test.ts (never on Linux). Windows Node under Wine
// cannot write to a pipe (EBADF), so everything goes to files in the lane's work folder.
//   run JOBS.json RESULTS.json   runs the jobs (each: {name, args, stdout, stderr, file?, stdin?, env?, unset?, group?,
//                                removeOnExit?}) with this node.exe (or `file`), the jobs of one group at once, groups
//                                in turn; writes {name: {status, ms}}.
//                                Ctrl+C and Ctrl+Break reach it too (one console): it ignores them, to report.
//   argv OUT.json ARGS...        writes its argv and the credential variables it was given.
//   until-signal OUT.txt STATUS  waits; on SIGINT, SIGBREAK or SIGHUP writes the signal to OUT.txt and exits STATUS.
//   sdk PROFILE OUT.json         the JS SDK's credential_process provider for PROFILE (it runs the line with cmd.exe).
//   sdk-sts PROFILE ENDPOINT OUT.json  GetCallerIdentity signed with that provider's credentials.
const {spawn} = require(`node:child_process`);
const {appendFileSync, openSync, readFileSync, rmSync, writeFileSync} = require(`node:fs`);

const [command, ...rest] = process.argv.slice(2);

const CREDENTIAL_NAMES = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE`, `AWS_ACCESS_KEY`, `AWS_SECRET_KEY`, `AWSMFA_PROFILE`];

async function run(jobsFile, resultsFile) {
  for (const signal of [`SIGINT`, `SIGBREAK`])
    process.on(signal, () => appendFileSync(`${resultsFile}.signals`, `${signal}\n`));
  const jobs = JSON.parse(readFileSync(jobsFile, `utf8`));
  const results = {};
  const groups = [...new Set(jobs.map(job => job.group ?? job.name))];
  for (const group of groups) {
    await Promise.all(jobs.filter(job => (job.group ?? job.name) === group).map(job => new Promise(resolve => {
      const started = Date.now();
      const stdio = [job.stdin ? openSync(job.stdin, `r`) : `ignore`, openSync(job.stdout, `w`), openSync(job.stderr, `w`)];
      const env = {...process.env, ...job.env};
      for (const name of job.unset ?? [])
        delete env[Object.keys(env).find(key => key.toUpperCase() === name.toUpperCase()) ?? name];
      const child = spawn(job.file ?? process.execPath, job.args, {stdio, env, cwd: job.cwd});
      child.on(`error`, error => {
        results[job.name] = {error: error.code ?? error.message, ms: Date.now() - started};
        resolve();
      });
      child.on(`exit`, (status, signal) => {
        results[job.name] = {status, signal, ms: Date.now() - started};
        // A job that others wait on (a holder of a file) is told to end by removing its flag file.
        if (job.removeOnExit)
          rmSync(job.removeOnExit, {force: true});
        resolve();
      });
    })));
    // After each group: a test may act on one group's results while the next runs.
    writeFileSync(resultsFile, JSON.stringify(results, null, 1));
  }
}

async function sdk(profile, endpoint) {
  const {fromProcess} = require(process.env.AWSMFA_SDK_PROVIDERS);
  const credentials = await fromProcess({profile})();
  if (endpoint === undefined)
    return {accessKeyId: credentials.accessKeyId, expiration: credentials.expiration?.toISOString()};
  const {STSClient, GetCallerIdentityCommand} = require(process.env.AWSMFA_SDK_STS);
  const client = new STSClient({region: `us-east-1`, endpoint, credentials});
  const answer = await client.send(new GetCallerIdentityCommand({}));
  return {accessKeyId: credentials.accessKeyId, account: answer.Account, arn: answer.Arn};
}

async function main() {
  switch (command) {
    case `run`:
      // A Windows console always has a title (the program's path); the console Wine opens on a terminal starts with
      // none, and libuv's process-title read then fails an assertion (uv/src/win/util.c) in the first node that
      // asks. Setting one gives the jobs the console Windows would.
      process.title = `awsmfa lane`;
      return run(rest[0], rest[1]);
    case `argv`:
      writeFileSync(rest[0], JSON.stringify({argv: rest.slice(1), env: Object.fromEntries(CREDENTIAL_NAMES.map(name => [name, process.env[name] ?? null]))}));
      return;
    case `until-signal`: {
      for (const signal of [`SIGINT`, `SIGBREAK`, `SIGHUP`]) {
        process.on(signal, () => {
          appendFileSync(rest[0], `${signal}\n`);
          // A moment's work after the key, as a command that cleans up would take: awsmfa must wait for it.
          setTimeout(() => process.exit(Number(rest[1])), 1500);
        });
      }
      writeFileSync(`${rest[0]}.started`, String(process.pid));
      setInterval(() => writeFileSync(`${rest[0]}.alive`, String(Date.now())), 500);
      return;
    }
    case `sdk`:
    case `sdk-sts`: {
      const out = command === `sdk` ? rest[1] : rest[2];
      try {
        writeFileSync(out, JSON.stringify(await sdk(rest[0], command === `sdk` ? undefined : rest[1])));
      } catch (error) {
        writeFileSync(out, JSON.stringify({error: `${error.name}: ${error.message}`}));
      }
      return;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch(error => {
  writeFileSync(`windows-helper-error.txt`, String(error && error.stack || error));
  process.exitCode = 99;
});
