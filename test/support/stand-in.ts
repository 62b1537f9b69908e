/**
 * The set-up most test files share: one STS stand-in for the file, reset before each test, and a fresh sandbox
 * (HOME, ~/.aws, cache) pointed at it. `sts` and `sandbox` are live bindings: node:test runs each file in its
 * own process, and the hooks below assign them.
 */
import {after, afterEach, before, beforeEach} from 'node:test';
import {makeSandbox, type Sandbox} from './sandbox.js';
import {StsServer, type StsServerOptions} from './sts-server.js';

export let sts: StsServer;
export let sandbox: Sandbox;

/** Registers the hooks. Without `allowReuse`, each test gets a random code (the stand-in refuses a used one). */
export function useStandIn(options: StsServerOptions = {}): void {
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
}
