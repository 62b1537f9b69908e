import {CACHE_FOLDER, DEFAULT_PROFILE, HIDDEN_FILE, MARGIN_SECONDS, PROFILE_PRECEDENCE, QUICK_PROFILE, QUIET, REGION_MARK, SERVED_FORMAT, SERVER, SESSION_VARIABLES, SET_ASIDE, SET_ASIDE_NOTE, SHELL_FILES} from '../contract.js';
import {completion, type CliFacts, type ShellParts} from './parts.js';
import {configHome, lineDialect} from './types.js';

/**
 * elvish: a single-quoted string is literal, newlines included; the only escape is `''` for one quote.
 * https://elv.sh/ref/language.html#single-quoted-string
 */
export function quoteElvish(value: string): string {
  return `'${value.replaceAll(`'`, `''`)}'`;
}

/** On failure: `fail`, an exception, which ends a script and, at the prompt, only the line it is on. */
export const elvish = lineDialect({
  snippet: {
    file: `awsmfa.elv`,
    byName: `e:awsmfa`,
    byPath: (node, script) => `(external ${quoteElvish(node)}) ${quoteElvish(script)}`,
    // elvish 0.19 reads ~/.elvish/rc.elv while it is there, else the XDG one.
    rc: {line: copy => `eval (slurp < ${quoteElvish(copy)})`, file: (home, env, exists) => exists(`${home}/.elvish/rc.elv`) ? `${home}/.elvish/rc.elv` : `${configHome(home, env, `XDG_CONFIG_HOME`, `.config`)}/elvish/rc.elv`},
    gone: (paths, message) => `if (not (and ${paths.map(path => `(path:is-regular &follow-symlink=$true ${quoteElvish(path)})`).join(` `)})) { echo >&2 ${quoteElvish(message)} }`,
  },
  name: `elvish`,
  description: `elvish: set-env / unset-env`,
  set: (name, value) => `set-env ${name} ${quoteElvish(value)}`,
  unset: name => `unset-env ${name}`,
  failure: `fail 'awsmfa failed; nothing was changed'`,
});

/**
 * elvish's arg-completer: commands (a command of two words: its first word, then its second words), then the
 * command's options, fixed values, profile names and dialects, each a literal word; a map's entries a line each.
 */
function elvishCompletion(cli: CliFacts): string[] {
  const key = (name: string) => /^[\w-]+$/.test(name) ? name : quoteElvish(name);
  const map = (name: string, pairs: Array<[string, string[]]>) => [`var ${name} = [`, ...pairs.flatMap(([entry, value]) => value.length === 1 ? [`  &${key(entry)}=${value[0]}`] : [`  &${key(entry)}=${value[0]}`, ...value.slice(1).map(line => `  ${line}`)]), `]`];
  const inner = (pairs: Array<[string, string]>) => [`[`, ...pairs.map(([name, value]) => `  &${key(name)}=${value}`), `]`];
  const list = (words: readonly string[]) => `[${words.join(` `)}]`;
  /** A list, on lines of up to 100 characters when it is long (elvish takes line ends in a list as spaces). */
  const listLines = (words: readonly string[]) => {
    if (list(words).length <= 100)
      return [list(words)];
    const lines: string[] = [];
    for (const word of words) {
      if (lines.length > 0 && `${lines.at(-1)} ${word}`.length <= 98)
        lines[lines.length - 1] += ` ${word}`;
      else
        lines.push(word);
    }
    return [`[`, ...lines.map(line => `  ${line}`), `]`];
  };
  const commands = cli.commands.filter(command => command.name !== `help`);
  return [
    ...map(`commands`, cli.words.map(word => [word.word, [quoteElvish(word.description)]])),
    ...map(`groups`, completion.groups(cli).map(word => [word.word, inner(word.group.map(command => [completion.second(command), quoteElvish(command.description)]))])),
    ...map(`options`, commands.map(command => [command.name, listLines(command.name === `init` ? [...cli.snippetShells, ...completion.longs(command)] : completion.longs(command))])),
    ...map(`values`, commands.filter(command => command.valued.length > 0).map(command => [command.name, inner(command.valued.flatMap(({names, values}) => names.map(name => [name, list(values)] as [string, string])))])),
    ...listLines(completion.mfaOptions(cli).flatMap(option => option.longs)).map((line, index) => index === 0 ? `var mfa-options = ${line}` : line),
    `var dialects = ${list(cli.dialects)}`,
    `var profile-options = ${list(completion.profileOptions)}`,
  ];
}

/** Words for a script's double-quoted string (the completer is called inside the eval that defines it). */
const inDoubleQuotes = (text: string) => text.replaceAll(`\\`, `\\\\`).replaceAll(`"`, `\\"`);

/** A double-quoted elvish string (which substitutes nothing): `\\`, `"` and a newline escaped. */
const doubleQuoted = (text: string) => `"${text.replaceAll(`\\`, `\\\\`).replaceAll(`"`, `\\"`).replaceAll(`\n`, `\\n`)}"`;

/** The regions of elvish's quick path (-awsmfa-quick in shell/awsmfa.elv). */
const quickRegions = {
  'profile-precedence': () => [
    `for name [${PROFILE_PRECEDENCE.join(` `)}] {`,
    `  if (and (eq $profile '') (has-env $name)) { set profile = (get-env $name) }`,
    `}`,
    `if (eq $profile '') { set profile = ${DEFAULT_PROFILE} }`,
  ],
  'profile-pattern': () => [`if (not (re:match '^[${QUICK_PROFILE.characters}]{1,${QUICK_PROFILE.maxLength}}$' $profile)) { put $false; return }`],
  'cache-folder': () => [
    `var dir = (if (not-eq $E:${CACHE_FOLDER.override} '') {`,
    `  put $E:${CACHE_FOLDER.override}/${SHELL_FILES.folder}`,
    `} elif (path:is-regular &follow-symlink=$true ${CACHE_FOLDER.macosMarker}) {`,
    `  put $E:HOME/${CACHE_FOLDER.macos.join(`/`)}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}`,
    `} elif (not-eq $E:${CACHE_FOLDER.xdg} '') {`,
    `  put $E:${CACHE_FOLDER.xdg}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}`,
    `} else {`,
    `  put $E:HOME/${CACHE_FOLDER.xdgDefault}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}`,
    `})`,
    `var file = $dir/$profile'${SHELL_FILES.extension}'`,
  ],
  'session-names': () => [`} elif (has-value [${SESSION_VARIABLES.join(` `)}] $parts[0]) {`],
  // The profile variables a session takes the place of: each kept aside (when not empty), then removed.
  'set-aside': () => [
    `var aside = []`,
    `for pair [${SET_ASIDE.map(pair => `[${pair.join(` `)}]`).join(` `)}] {`,
    `  var name keep = $@pair`,
    `  if (has-env $name) {`,
    `    set aside = [$@aside $name]`,
    `    if (not-eq (get-env $name) '') { set-env $keep (get-env $name) }`,
    `    unset-env $name`,
    `  }`,
    `}`,
    `var note = (if (> (count $aside) 0) { put ${quoteElvish(SET_ASIDE_NOTE.before)}(str:join ${quoteElvish(SET_ASIDE_NOTE.join)} $aside)${quoteElvish(SET_ASIDE_NOTE.after)} } else { put '' })`,
  ],
  'margin': () => [`var margin count = ${MARGIN_SECONDS} ${SESSION_VARIABLES.length}`],
  'served-line': () => [
    `# Said once, on stderr, with builtins only; ${QUIET.variable}=${QUIET.value} keeps it quiet.`,
    `if (not-eq $E:${QUIET.variable} ${QUIET.value}) {`,
    `  printf ${doubleQuoted(SERVED_FORMAT)} $profile (/ (- $left (% $left 3600)) 3600) (/ (- (% $left 3600) (% $left 60)) 60) $note >&2`,
    `}`,
  ],
};

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa.elv': {
        ...quickRegions,
        'variables': () => [
          `if (has-env ${SERVER.pid}) { each {|name| unset-env $name } [${[...SERVER.variables, SERVER.pid].join(` `)}] }`,
          ...HIDDEN_FILE.variables.map(name => `if (and (has-env ${name}) (eq (get-env ${name}) '${HIDDEN_FILE.value}')) { unset-env ${name} }`),
          `each {|name| unset-env $name } [${[...SESSION_VARIABLES, REGION_MARK].join(` `)}]`,
        ],
        // Each one set aside put back (unless set again since), and where it was kept removed.
        'set-aside-restore': () => [
          `for pair [${SET_ASIDE.map(pair => `[${pair.join(` `)}]`).join(` `)}] {`,
          `  var name keep = $@pair`,
          `  if (has-env $keep) {`,
          `    if (and (not-eq (get-env $keep) '') (not (has-env $name))) { set-env $name (get-env $keep) }`,
          `    unset-env $keep`,
          `  }`,
          `}`,
        ],
        'completion': elvishCompletion,
      },
    },
    profile: {
      runs: [{binary: `elvish`, args: [], interactive: [`-norc`]}],
      apply: file => `eval (slurp < '${file}')`,
      applyOutput: command => `eval (${command} | slurp)`,
      // Any failure raises an exception, which ends the script.
      strict: ``,
      failureStops: true,
      status: command => `try { ${command}; echo status=0 } catch e { echo status=$e[reason][exit-status] }`,
      stopOnFailure: ``,
      quote: quoteElvish,
      // Definitions made inside `eval` stay there: the rc line gives mfa to an interactive elvish only.
      rc: {
        printed: `eval (awsmfa init elvish | slurp)`,
        interactive: {file: `.config/elvish/rc.elv`, typed: (line, out, err, done) => `{ ${line} } >> ${out} 2>> ${err}; echo done >> ${done}`, quietFailure: true},
      },
      // In a script the file is the top of the script itself, for the same reason.
      quick: {modes: true, record: true},
      load: (_file, text) => text,
      lint: [[`elvish`, `-compileonly`]],
      fences: [`elvish`],
      complete: (file, words) => {
        const sub = words[0] === `mfa` ? `mfa` : words.length <= 2 ? `''` : quoteElvish(words[1]!);
        return `eval (slurp < '${file}')"\n${inDoubleQuotes(`-awsmfa-complete ${sub} ${words.map(quoteElvish).join(` `)} | each {|w| echo $w }`)}\n"\n`;
      },
    },
  };
}
