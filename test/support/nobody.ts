/**
 * What runs as another user (uid 65534, `nobody`) must be where that user can reach it: a checkout in a private
 * folder (a `mktemp -d`, a home of mode 0700 or 0750) is not. So the built CLI, the packages it loads at run time
 * and, when need be, node itself are copied once per test process into a 0755 folder under the system's temporary
 * folder, and removed at exit. Only what awsmfa needs at run time is copied (no compiler, no bundler).
 */
import {spawnSync} from 'node:child_process';
import {chmodSync, copyFileSync, cpSync, existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ROOT} from './run.js';

export const NOBODY = 65534;

/** The packages dist/ loads at run time (the AWS SDK is left out of the bundle), and what they load. */
const RUNTIME_PACKAGES = [`@aws-sdk`, `@aws`, `@smithy`, `@aws-crypto`, `bowser`, `tslib`, `fast-xml-parser`, `strnum`, `uuid`];

let copied: {node: string, bin: string} | undefined;

/** Whether `nobody` can run this file (every folder above it searchable, the file executable). */
function nobodyCanRun(file: string): boolean {
  return spawnSync(`setpriv`, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--clear-groups`, `test`, `-x`, file]).status === 0;
}

/** node and dist/awsmfa.cjs as `nobody` can run them: the checkout's own when it can, else copies. */
export function forNobody(): {node: string, bin: string} {
  if (copied !== undefined)
    return copied;
  const bin = join(ROOT, `dist`, `awsmfa.cjs`);
  if (nobodyCanRun(bin) && nobodyCanRun(process.execPath)) {
    copied = {node: process.execPath, bin};
    return copied;
  }
  const folder = mkdtempSync(join(tmpdir(), `awsmfa-nobody-`));
  process.on(`exit`, () => rmSync(folder, {recursive: true, force: true}));
  chmodSync(folder, 0o755);
  cpSync(join(ROOT, `dist`), join(folder, `dist`), {recursive: true, dereference: true});
  for (const name of RUNTIME_PACKAGES) {
    const from = join(ROOT, `node_modules`, name);
    if (existsSync(from))
      cpSync(from, join(folder, `node_modules`, name), {recursive: true, dereference: true});
  }
  let node = process.execPath;
  if (!nobodyCanRun(node)) {
    node = join(folder, `node`);
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
  }
  copied = {node, bin: join(folder, `dist`, `awsmfa.cjs`)};
  return copied;
}
