// `npm pack` and `npm publish` run this twice around the package file they make: `prepack` (strip) and `postpack`
// (restore). The package file holds the built CLI and installs with no build, so its package.json names no script
// that npm runs at install: npm 11 warns at every install about each one not covered by allowScripts, `prepare`
// included, though npm runs no `prepare` from a package file. A clone keeps its `prepare` (scripts/prepare.mjs),
// which builds it for `npm ci` and `npm install -g <clone>`.
//
// npm reads package.json again after prepack, so the file on disk is what goes into the package; it is put back
// byte for byte from a copy beside it (package.json.packing), which also mends a pack that failed before postpack.
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL(`..`, import.meta.url));
const manifest = `${root}package.json`;
const kept = `${manifest}.packing`;
/** The scripts npm runs when it installs a package (npm's own list: arborist's rebuild). */
const INSTALL_SCRIPTS = [`preinstall`, `install`, `postinstall`, `prepare`];

function restore() {
  if (existsSync(kept))
    renameSync(kept, manifest);
}

const step = process.argv[2];
if (step === `strip`) {
  // A copy left by a pack that failed is the true file: start from it.
  restore();
  const text = readFileSync(manifest, `utf8`);
  const json = JSON.parse(text);
  for (const name of INSTALL_SCRIPTS)
    delete json.scripts?.[name];
  writeFileSync(kept, text);
  writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
} else if (step === `restore`) {
  restore();
} else {
  process.stderr.write(`usage: node scripts/pack-manifest.mjs strip|restore\n`);
  process.exit(2);
}
