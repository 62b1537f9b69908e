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
  /** The lines, without their line breaks. */
  readonly lines: readonly string[];
  /** The line break that ended each line (`\n`, `\r\n` or `\r`; `` for a last line without one). */
  readonly ends: readonly string[];
  /** The line break for new lines: the file's first one, else `\n`. */
  readonly eol: string;
  readonly sections: readonly IniSection[];
}

/**
 * Splits at every line break Python's universal newlines know (`\n`, `\r\n`, `\r`: botocore reads the files in
 * text mode), keeping each line's own break, so a file of mixed endings is written back byte for byte.
 */
export function splitLines(text: string): {lines: string[], ends: string[]} {
  const lines: string[] = [];
  const ends: string[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    lines.push(text.slice(start, match.index));
    ends.push(match[0]);
    start = match.index + match[0].length;
  }
  if (start < text.length) {
    lines.push(text.slice(start));
    ends.push(``);
  }
  return {lines, ends};
}

const HEADER = /^\s*\[([^\]]*)\]/;
const COMMENT = /^\s*[#;]/;

export function parseIni(text: string): IniFile {
  const {lines, ends} = splitLines(text);
  const eol = ends.find(end => end !== ``) ?? `\n`;

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
  return {lines, ends, eol, sections};
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
