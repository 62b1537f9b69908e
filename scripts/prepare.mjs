// `npm run prepare`: npm runs it after `npm ci` or `npm install` in a checkout, before `npm pack`, and when it
// installs a folder globally (`npm install -g <clone>`). In that last case npm links the folder and installs none of
// its dependencies, so esbuild is missing for the build and the SDK for awsmfa itself: install the locked tree
// (npm-shrinkwrap.json) into the folder first, as `npm ci` would, then build.
import {spawnSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL(`..`, import.meta.url));
// npm hands its own settings to scripts as npm_config_*: those that made the outer install global would make this
// one global too. The rest (registry, cache, proxy) are kept.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_(global|location|prefix)$/i.test(name)));
// The npm that runs this script (npm_execpath), under this Node; `npm` from PATH where it was not started by npm.
const npm = (...args) => {
  const [command, first] = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : [`npm`, []];
  const result = spawnSync(command, [...first, ...args], {cwd: root, env, stdio: [`ignore`, 2, 2]});
  if (result.status !== 0)
    process.exit(result.status ?? 1);
};

function installed(name) {
  try {
    createRequire(`${root}/package.json`).resolve(name);
    return true;
  } catch {
    return false;
  }
}

if (!installed(`esbuild`) || !installed(`@aws-sdk/client-sts`)) {
  process.stderr.write(`awsmfa: installing the locked dependencies into ${root} to build it\n`);
  // --ignore-scripts: this very script would run again; --include=dev: the build needs esbuild even where the
  // outer install omits devDependencies.
  npm(`ci`, `--prefix`, root, `--include=dev`, `--ignore-scripts`, `--no-audit`, `--no-fund`);
}
npm(`run`, `build`);
