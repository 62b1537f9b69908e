import {accessSync, constants, readFileSync, realpathSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';
import {Command, Option} from 'clipanion';
import {envValue, type Env} from '../env.js';
import {detectShell} from '../dialects/detect.js';
import {DIALECTS, findDialect, type Snippet} from '../dialects/index.js';
import {ConfigError} from '../errors.js';
import {AwsmfaCommand} from './base-command.js';
import {recordInit} from '../cache/init-record.js';

/** The snippet of each shell that has one, from its dialect (src/dialects/). */
export const SNIPPETS: Readonly<Record<string, Snippet>> = Object.fromEntries(DIALECTS.flatMap(dialect => dialect.snippet === undefined ? [] : [[dialect.name, dialect.snippet]]));

const SUPPORTED = Object.keys(SNIPPETS).join(`, `);

/** Whether an executable named awsmfa is on PATH. */
function onPath(env: Env, platform: NodeJS.Platform): boolean {
  const names = platform === `win32` ? [`awsmfa.cmd`, `awsmfa.exe`, `awsmfa.ps1`] : [`awsmfa`];
  for (const dir of (envValue(env, `PATH`) ?? ``).split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {}
    }
  }
  return false;
}

export class InitCommand extends AwsmfaCommand {
  static override paths = [[`init`]];

  static override usage = Command.Usage({
    description: `print the shell functions mfa and mfa-unset, for your shell's rc file`,
    details: `
      Prints the integration for a shell: \`mfa [CODE] [options]\` starts a session (or takes the cached one) and applies it to the shell only if awsmfa succeeded; \`mfa-unset\` removes it. Shells: ${SUPPORTED}. Without a shell, the calling shell is detected as for \`awsmfa env\`.
    `,
    examples: [
      [`bash (~/.bashrc) or zsh (~/.zshrc)`, `eval "$(awsmfa init bash)"`],
      [`fish (~/.config/fish/config.fish)`, `awsmfa init fish | source`],
      [`tcsh (~/.tcshrc)`, 'eval "`awsmfa init tcsh`"'],
      [`elvish (~/.config/elvish/rc.elv)`, `eval (awsmfa init elvish | slurp)`],
      [`PowerShell ($PROFILE)`, `awsmfa init pwsh | Out-String | Invoke-Expression`],
      [`cmd.exe: write mfa.cmd into a folder on PATH`, `awsmfa init cmd > %USERPROFILE%\\bin\\mfa.cmd`],
      [`Where the file is, to source it in ~/.bashrc without starting node`, `awsmfa init --path bash`],
      [`fish: as a conf.d file`, `ln -s (awsmfa init --path fish) ~/.config/fish/conf.d/awsmfa.fish`],
      [`zsh: as an oh-my-zsh custom plugin`, `mkdir -p $ZSH_CUSTOM/plugins/awsmfa && ln -s $(awsmfa init --path zsh) $ZSH_CUSTOM/plugins/awsmfa/awsmfa.plugin.zsh`],
    ],
  });

  shell = Option.String({required: false, name: `shell`});
  printPath = Option.Boolean(`--path`, false, {description: `Print where the shell's file is, to source it (or link it) directly: no node at each start`});

  async run() {
    const name = this.shell ?? (await detectShell(this.context.env, this.context.ppid, this.context.platform)).shell;
    const dialect = findDialect(name);
    const snippet = dialect && SNIPPETS[dialect.name];
    if (!snippet)
      throw new ConfigError(`no shell integration for '${name}'; there is one for ${SUPPORTED} (in any other shell: eval "$(awsmfa env)")`);
    const script = realpathSync(this.context.scriptPath);
    const file = join(dirname(script), `..`, `shell`, snippet.file);
    if (this.printPath) {
      recordInit(this.context.env, dialect.name, {file});
      this.context.out.write(`${file}\n`);
      return;
    }
    // The completion of its own file, which the file reads from beside itself at the first TAB, comes after it.
    const text = readFileSync(file, `utf8`) + (snippet.completion === undefined ? `` : readFileSync(join(dirname(file), snippet.completion), `utf8`));
    const byName = onPath(this.context.env, this.context.platform);
    const command = byName ? snippet.byName : snippet.byPath(process.execPath, script);
    // By name it survives a move of awsmfa or a new Node; by path `status` says when the paths are gone.
    recordInit(this.context.env, dialect.name, byName ? {node: undefined, script: undefined} : {node: process.execPath, script});
    this.log(`${dialect.name} integration from ${file}, running awsmfa as: ${command}`);
    const filled = text.replaceAll(snippet.byName, command);
    // tcsh's eval "`...`" joins all lines into one, where a comment would swallow the rest: print commands only.
    this.context.out.write(snippet.oneLine ? `${filled.split(/\r?\n/).filter(line => line.trim() !== `` && !line.trimStart().startsWith(`#`)).join(`\n`)}\n` : filled);
  }
}
