import {join} from 'node:path';
import {Command, Option} from 'clipanion';
import {detectShell} from '../dialects/detect.js';
import {findDialect} from '../dialects/index.js';
import {ConfigError} from '../errors.js';
import {AwsmfaCommand} from './base-command.js';
import {recordInit} from '../cache/init-record.js';
import {install, printedText, SNIPPETS, thisAwsmfa} from './shell-copy.js';

export {SNIPPETS} from './shell-copy.js';

const SUPPORTED = Object.keys(SNIPPETS).join(`, `);
const INSTALLABLE = Object.entries(SNIPPETS).filter(([, snippet]) => snippet.rc?.file !== undefined).map(([name]) => name).join(`, `);

export class InitCommand extends AwsmfaCommand {
  static override paths = [[`init`]];

  static override usage = Command.Usage({
    description: `print the shell functions mfa and mfa-unset, for your shell's rc file`,
    details: `
      Gives a shell \`mfa [CODE] [options]\`, which starts a session (or takes the cached one) and applies it to the shell only if awsmfa succeeded, and \`mfa-unset\`, which removes it. Shells: ${SUPPORTED}. Without a shell, the calling shell is detected as for \`awsmfa env\`.

      \`--install\` (${INSTALLABLE}) copies the shell's file into awsmfa's data folder and adds the line that loads it to the shell's rc file (once: it says what it did, and which other lines load awsmfa). A new shell then starts no node, and \`mfa\` takes a cached session without it. The awsmfa the copy runs keeps it current: each run of awsmfa by \`mfa\` (a new session, \`mfa-unset --forget\`) rewrites it when awsmfa has changed, and says so, as \`--install\` again does; a copy whose awsmfa was moved away says so when a shell starts. For PowerShell it shows the line to add to $PROFILE.

      Without \`--install\`, it prints the functions, for a line of the rc file that evaluates them at each start (which starts node each time).
    `,
    examples: [
      [`bash, zsh, fish, tcsh, elvish: load mfa from the rc file, starting no node`, `awsmfa init --install bash`],
      [`PowerShell: the copy, and the line to add to $PROFILE`, `awsmfa init --install pwsh`],
      [`cmd.exe: write mfa.cmd into a folder on PATH`, `awsmfa init cmd > %USERPROFILE%\\bin\\mfa.cmd`],
      [`bash (~/.bashrc) or zsh (~/.zshrc), evaluated at each start`, `eval "$(awsmfa init bash)"`],
      [`fish (~/.config/fish/config.fish), evaluated at each start`, `awsmfa init fish | source`],
      [`Where the file is in awsmfa's package`, `awsmfa init --path bash`],
    ],
  });

  shell = Option.String({required: false, name: `shell`});
  printPath = Option.Boolean(`--path`, false, {description: `Print where the shell's file is in awsmfa's package, to source it (or link it) directly`});
  install = Option.Boolean(`--install`, false, {description: `Copy the shell's file into awsmfa's data folder and add the line that loads it to the shell's rc file (once): no node at each start`});

  async run() {
    if (this.install && this.printPath)
      throw new ConfigError(`--install and --path do not go together: --install writes the rc line itself`);
    const name = this.shell ?? (await detectShell(this.context.env, this.context.ppid, this.context.platform)).shell;
    const dialect = findDialect(name);
    const snippet = dialect && SNIPPETS[dialect.name];
    if (!snippet)
      throw new ConfigError(`no shell integration for '${name}'; there is one for ${SUPPORTED} (in any other shell: eval "$(awsmfa env)")`);
    if (this.install) {
      if (snippet.rc === undefined)
        throw new ConfigError(`${dialect.name} has no rc file for awsmfa to write to: awsmfa init ${dialect.name} > %USERPROFILE%\\bin\\mfa.cmd puts mfa in a folder on PATH`);
      install(dialect, this.context);
      return;
    }
    if (this.printPath) {
      const file = join(thisAwsmfa(snippet, this.context).folder, snippet.file);
      recordInit(this.context.env, dialect.name, {file});
      this.context.out.write(`${file}\n`);
      return;
    }
    const {text, file, command} = printedText(snippet, this.context);
    // By name it survives a move of awsmfa or a new Node; by path `status` says when the paths are gone.
    const [node, script] = thisAwsmfa(snippet, this.context).paths;
    recordInit(this.context.env, dialect.name, {node, script});
    this.log(`${dialect.name} integration from ${file}, running awsmfa as: ${command}`);
    this.context.out.write(text);
  }
}
