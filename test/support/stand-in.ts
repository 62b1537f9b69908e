/**
 * The set-up most test files share: one STS stand-in for the file, reset before each test, and a fresh sandbox
 * (HOME, ~/.aws, cache) pointed at it. `sts` and `sandbox` are live bindings: node:test runs each file in its
 * own process, and the hooks below assign them.
 */
import {after, afterEach, before, beforeEach} from 'node:test';
import {makeSandbox, type Sandbox} from './sandbox.js';
import {runAwsmfa, type RunOptions, type RunResult} from './run.js';
import {ALICE, StsServer, type StsServerOptions} from './sts-server.js';

export let sts: StsServer;
export let sandbox: Sandbox;

/** What a test file does with its stand-in. */
export interface StandIn {
  /** Runs the built CLI in this test's sandbox, with `env` added to the sandbox's environment. */
  run: (args: string[], env?: Record<string, string>, options?: RunOptions) => Promise<RunResult>;
  /** The secrets no output may show: the sandbox's long-term secret key and every secret the stand-in issued so far. */
  secrets: () => string[];
}

/**
 * Registers the hooks. Without `allowReuse`, each test gets a random code (the stand-in refuses a used one).
 * `runDefaults` apply to every `run` (e.g. a shorter time limit).
 */
export function useStandIn(options: StsServerOptions = {}, runDefaults: RunOptions = {}): StandIn {
  before(async () => {
    sts = await new StsServer(options).start();
  });
  after(() => sts.close());
  beforeEach(() => {
    sts.reset();
    if (!options.allowReuse)
      sts.code = String(100000 + Math.floor(Math.random() * 900000));
    sandbox = makeSandbox({endpoint: sts.url});
  });
  afterEach(() => sandbox.cleanup());
  return {
    run: (args, env = {}, runOptions = {}) => runAwsmfa(args, {...sandbox.env, ...env}, {...runDefaults, ...runOptions}),
    secrets: () => [ALICE.secretAccessKey, ...sts.issued.flatMap(issued => [issued.secretAccessKey, issued.sessionToken])],
  };
}
