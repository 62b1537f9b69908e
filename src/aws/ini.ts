/**
 * The AWS shared files as botocore reads them (Python's RawConfigParser): `[section]` headers, `key = value` or
 * `key: value` split at the first delimiter, keys lower-cased, `#` and `;` comment lines, indented continuation
 * lines, no inline comments. Positions are kept so that a profile can later be rewritten in place with every
 * other byte of the file left alone.
 */

export interface IniEntry {
  readonly key: string;
  readonly value: string;
  /** Index of the `key = value` line. */
  readonly line: number;
  /** Index of its last continuation line (`line` when there is none). */
  readonly lastLine: number;
}

export interface IniSection {
  readonly name: string;
  /** Index of the `[name]` line. */
  readonly line: number;
  /** Index of the last line before the next section header (or the end of the file). */
  readonly lastLine: number;
  readonly entries: readonly IniEntry[];
}

export interface IniFile {
  readonly lines: readonly string[];
  /** `\r\n` when the file's first line ends so, else `\n`. */
  readonly eol: string;
  /** Whether the text ended with a line break. */
  readonly finalEol: boolean;
  readonly sections: readonly IniSection[];
}

const HEADER = /^\s*\[([^\]]*)\]/;
const COMMENT = /^\s*[#;]/;

export function parseIni(text: string): IniFile {
  const firstBreak = text.indexOf(`\n`);
  const eol = firstBreak > 0 && text[firstBreak - 1] === `\r` ? `\r\n` : `\n`;
  const finalEol = text.endsWith(`\n`);
  const lines = text === `` ? [] : text.split(/\r?\n/);
  if (finalEol)
    lines.pop();

  const sections: IniSection[] = [];
  let current: {name: string, line: number, entries: IniEntry[]} | undefined;
  let entry: {key: string, value: string, line: number, lastLine: number, indent: number} | undefined;

  const closeEntry = () => {
    if (entry && current)
      current.entries.push({key: entry.key, value: entry.value, line: entry.line, lastLine: entry.lastLine});
    entry = undefined;
  };
  const closeSection = (lastLine: number) => {
    closeEntry();
    if (current)
      sections.push({name: current.name, line: current.line, lastLine, entries: current.entries});
    current = undefined;
  };

  lines.forEach((line, index) => {
    if (line.trim() === `` || COMMENT.test(line)) {
      // A blank line ends a value in botocore's parser; a comment line does not, but neither adds to it.
      if (line.trim() === ``)
        closeEntry();
      return;
    }
    const indent = line.length - line.trimStart().length;
    if (entry && indent > entry.indent) {
      entry.value += `\n${line.trim()}`;
      entry.lastLine = index;
      return;
    }
    const header = HEADER.exec(line);
    if (header) {
      closeSection(index - 1);
      current = {name: header[1]!.trim(), line: index, entries: []};
      return;
    }
    closeEntry();
    const delimiter = line.search(/[=:]/);
    if (delimiter < 0 || !current)
      return; // botocore would fail on these lines; a reader skips them, an editor keeps them untouched
    entry = {
      key: line.slice(0, delimiter).trim().toLowerCase(),
      value: line.slice(delimiter + 1).trim(),
      line: index,
      lastLine: index,
      indent,
    };
  });
  closeSection(lines.length - 1);
  return {lines, eol, finalEol, sections};
}

/**
 * The keys of every section with this name, later ones winning (a file may repeat a section; the AWS SDKs merge
 * the repeats), or undefined when there is no such section.
 */
export function sectionValues(file: IniFile | undefined, name: string): Record<string, string> | undefined {
  let values: Record<string, string> | undefined;
  for (const section of file?.sections ?? []) {
    if (section.name !== name)
      continue;
    values ??= {};
    for (const entry of section.entries)
      values[entry.key] = entry.value;
  }
  return values;
}
