/**
 * The AWS shared files exactly as botocore reads them: Python's RawConfigParser (strict, `=` and `:` delimiters,
 * `#` and `;` comment lines, no inline comments, keys lower-cased, continuation lines indented deeper than their
 * key, blank lines inside values, a `[DEFAULT]` section whose keys every section inherits), then botocore's own
 * rule that a value starting with a line break holds `key = value` lines. A file either of them refuses is an
 * error here too, with its line. Positions are kept so that a profile can be rewritten in place with every other
 * byte of the file left alone.
 * https://github.com/python/cpython/blob/3.11/Lib/configparser.py (`_read`), botocore/configloader.py
 */

export interface IniEntry {
  readonly key: string;
  readonly value: string;
  /** Index of the `key = value` line. */
  readonly line: number;
  /** Index of its last non-blank continuation line (`line` when there is none). */
  readonly lastLine: number;
}

export interface IniSection {
  /** The name between the brackets, as written (botocore does not trim it). */
  readonly name: string;
  /** Index of the `[name]` line. */
  readonly line: number;
  readonly entries: readonly IniEntry[];
}

export interface IniFile {
  /** The lines, without their line breaks. */
  readonly lines: readonly string[];
  /** The line break that ended each line (`\n`, `\r\n` or `\r`; `` for a last line without one). */
  readonly ends: readonly string[];
  /** The line break for new lines: the file's first one, else `\n`. */
  readonly eol: string;
  /** Every section but `[DEFAULT]`, in the order of the file. */
  readonly sections: readonly IniSection[];
  /** The keys of `[DEFAULT]`, which every section inherits unless it has them itself. */
  readonly defaults: readonly IniEntry[];
}

/** A file botocore (and so the AWS CLI) cannot read: `line` is 1-based. */
export class IniSyntaxError extends Error {
  constructor(readonly line: number, readonly what: string) {
    super(`line ${line}: ${what}`);
    this.name = `IniSyntaxError`;
  }
}

/**
 * Splits at every line break Python's universal newlines know (`\n`, `\r\n`, `\r`: botocore reads the files in
 * text mode), keeping each line's own break, so a file of mixed endings is written back byte for byte.
 */
export function splitLines(text: string): {lines: string[], ends: string[]} {
  if (!text.includes(`\r`)) {
    // The common case, done by the engine: only \n.
    const lines = text === `` ? [] : text.split(`\n`);
    const ends = lines.map(() => `\n`);
    if (text.endsWith(`\n`)) {
      lines.pop();
      ends.pop();
    } else if (lines.length > 0) {
      ends[ends.length - 1] = ``;
    }
    return {lines, ends};
  }
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

/** Python's whitespace (str.isspace), which differs from JavaScript's: U+001C..U+001F and U+0085 are, U+FEFF is not. */
function isPySpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f) || code === 0x85 || code === 0xa0
    || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f
    || code === 0x205f || code === 0x3000;
}

/** Python's str.strip(): by hand, as this runs for every line of files that reach 10,000 profiles. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start)))
    start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1)))
    end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1)))
    end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Where the first non-space character is (the line's indent), or -1 for a blank line. */
function indentOf(line: string): number {
  for (let index = 0; index < line.length; index++) {
    if (!isPySpace(line.charCodeAt(index)))
      return index;
  }
  return -1;
}

/** Parses a file as botocore does; throws {@link IniSyntaxError} where botocore would fail on the whole file. */
export function parseIni(text: string): IniFile {
  const {lines, ends} = splitLines(text);
  const eol = ends.find(end => end !== ``) ?? `\n`;

  // `blanks`: blank lines read since the value's last line, which join it only if a continuation line follows.
  interface OpenEntry {key: string, value: string, parts: string[] | undefined, blanks: number, line: number, lastLine: number}
  interface OpenSection {name: string, line: number, entries: OpenEntry[]}
  const sections: OpenSection[] = [];
  const seenSections = new Map<string, number>();
  const defaults: OpenSection = {name: `DEFAULT`, line: -1, entries: []};
  let current: OpenSection | undefined;
  let entry: OpenEntry | undefined;
  let indentLevel = 0;
  // RawConfigParser raises these only once the whole file is read; the others at once.
  let deferred: IniSyntaxError | undefined;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNo = index + 1;
    const indent = indentOf(line);
    if (indent < 0) {
      // A blank line belongs to the value being read (a later, deeper line continues it); trailing ones are dropped
      // (counted, not kept: every section but the last ends in one).
      if (entry !== undefined)
        entry.blanks++;
      continue;
    }
    const stripped = pyStrip(line);
    const first = stripped.charCodeAt(0);
    if (first === 0x23 || first === 0x3b)
      continue; // a comment line (# or ;): neither part of a value nor the end of one
    if (current !== undefined && entry !== undefined && indent > indentLevel) {
      const parts = entry.parts ??= [entry.value];
      for (; entry.blanks > 0; entry.blanks--)
        parts.push(``);
      parts.push(stripped);
      entry.lastLine = index;
      continue;
    }
    indentLevel = indent;
    // `\[(.+)\]` matched at the start, greedy, nothing required after it: `[a]b]` is section `a]b`.
    const close = first === 0x5b ? stripped.lastIndexOf(`]`) : -1;
    if (close >= 2) {
      const name = stripped.slice(1, close);
      entry = undefined;
      if (name === `DEFAULT`) {
        current = defaults;
        continue;
      }
      const firstLine = seenSections.get(name);
      if (firstLine !== undefined)
        throw new IniSyntaxError(lineNo, `[${name}] appears a second time (first on line ${firstLine})`);
      seenSections.set(name, lineNo);
      current = {name, line: index, entries: []};
      sections.push(current);
      continue;
    }
    if (current === undefined) {
      throw new IniSyntaxError(lineNo, index === 0 && line.startsWith(`\ufeff`)
        ? `the file starts with a byte-order mark (BOM); save it as UTF-8 without one`
        : `a line before the first [section]`);
    }
    // RawConfigParser's OPTCRE: the shortest key before the first `=` or `:`.
    const equals = stripped.indexOf(`=`);
    const colon = stripped.indexOf(`:`);
    const at = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
    const key = at < 0 ? `` : pyRstrip(stripped.slice(0, at)).toLowerCase();
    if (key === ``) {
      deferred ??= new IniSyntaxError(lineNo, at < 0 ? `neither a [section], a key = value, nor a comment (the AWS files have no other lines)` : `a value without a key`);
      entry = undefined;
      continue;
    }
    // Sections hold a few keys each: a scan is cheaper than a map per section.
    let earlier: OpenEntry | undefined;
    for (const candidate of current.entries) {
      if (candidate.key === key)
        earlier = candidate;
    }
    if (earlier !== undefined)
      throw new IniSyntaxError(lineNo, `${key} appears a second time in [${current.name}] (first on line ${earlier.line + 1})`);
    entry = {key, value: pyStrip(stripped.slice(at + 1)), parts: undefined, blanks: 0, line: index, lastLine: index};
    current.entries.push(entry);
  }
  if (deferred)
    throw deferred;

  // Values of several lines are joined once the file is read, as RawConfigParser joins them.
  for (const section of [...sections, defaults]) {
    for (const open of section.entries) {
      if (open.parts === undefined)
        continue;
      open.value = pyRstrip(open.parts.join(`\n`));
      open.parts = undefined;
      // botocore reads a value that starts with a line break as nested `key = value` lines, and fails without `=`.
      if (open.value.startsWith(`\n`) && open.value.split(`\n`).slice(1).some(part => part !== `` && !part.includes(`=`)))
        throw new IniSyntaxError(open.line + 1, `the lines indented under ${open.key} must each be key = value`);
    }
  }
  return {lines, ends, eol, sections, defaults: defaults.entries};
}

/** The keys of a section, with the `[DEFAULT]` ones it does not have itself. */
export function valuesOf(file: IniFile, section: IniSection): Record<string, string> {
  const values: Record<string, string> = {};
  for (const entry of file.defaults)
    values[entry.key] = entry.value;
  for (const entry of section.entries)
    values[entry.key] = entry.value;
  return values;
}

/** The keys of the section with this exact name, or undefined when there is none. */
export function sectionValues(file: IniFile | undefined, name: string): Record<string, string> | undefined {
  const section = file?.sections.find(candidate => candidate.name === name);
  return section === undefined ? undefined : valuesOf(file!, section);
}

/** A nested value (`s3 =` followed by indented `key = value` lines) as botocore reads it. */
export function nestedValues(value: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of value.split(`\n`)) {
    const stripped = pyStrip(line);
    if (stripped === ``)
      continue;
    const at = stripped.indexOf(`=`);
    values[pyStrip(stripped.slice(0, at))] = pyStrip(stripped.slice(at + 1));
  }
  return values;
}

/**
 * Python's shlex.split in POSIX mode, which botocore applies to `[profile NAME]` headers: words split at blanks,
 * `'…'` literal, `"…"` with `\"` and `\\`, a backslash outside quotes escaping the next character. Undefined where
 * shlex raises (an open quote, a trailing backslash): botocore then ignores the section.
 */
export function shlexSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (` \t\r\n`.includes(char)) {
      if (word !== undefined)
        words.push(word);
      word = undefined;
    } else if (char === `'`) {
      const close = text.indexOf(`'`, index + 1);
      if (close < 0)
        return undefined;
      word = (word ?? ``) + text.slice(index + 1, close);
      index = close;
    } else if (char === `"`) {
      word ??= ``;
      for (index++; ; index++) {
        if (index >= text.length)
          return undefined;
        const inner = text[index]!;
        if (inner === `"`)
          break;
        if (inner === `\\` && (text[index + 1] === `"` || text[index + 1] === `\\`))
          word += text[++index];
        else
          word += inner;
      }
    } else if (char === `\\`) {
      if (index + 1 >= text.length)
        return undefined;
      word = (word ?? ``) + text[++index];
    } else {
      word = (word ?? ``) + char;
    }
  }
  if (word !== undefined)
    words.push(word);
  return words;
}
