import {ConfigError} from '../errors.js';
import {parseIni, type IniFile, type IniSection} from './ini.js';
import {CONTROL} from '../rules.js';
import {quoted} from '../terminal.js';

/**
 * Minimal edits of an AWS shared file: only the lines of the keys that change (or of the section removed) are
 * touched; comments, blank lines, key order, other sections, unknown keys and every line's own line break stay as
 * they were.
 */

/** A line and the break that ends it (`` for a last line without one). */
interface Line {
  text: string;
  end: string;
}

/**
 * A line break or any control character in a name or value would start a new line of the file: a token could
 * then add a section or a key of its own (`tok\n[default]\naws_access_key_id = …`). Never written.
 */
function checkWritable(what: string, text: string): void {
  if (CONTROL.test(text))
    throw new ConfigError(`${what} holds a line break or another control character; awsmfa never writes one into an AWS file`);
}

/** `key = value` in the file's own style when the key exists already: its indentation, spelling and delimiter. */
function rewriteLine(line: string, value: string): string {
  const match = /^(\s*[^=:]*?\s*[=:][ \t]*)/.exec(line);
  return `${match ? match[1] : ``}${value}`;
}

function sectionsNamed(file: IniFile, name: string): IniSection[] {
  return file.sections.filter(section => section.name === name);
}

function linesOf(file: IniFile): Line[] {
  return file.lines.map((text, index) => ({text, end: file.ends[index]!}));
}

function render(lines: readonly Line[]): string {
  return lines.map(line => line.text + line.end).join(``);
}

/**
 * Inserts new lines after index `after` (-1: at the start), each ended with the file's line break. After a last
 * line without a break, that line gets one and the new last line goes without, as the file did.
 */
function insertAfter(lines: Line[], after: number, texts: readonly string[], eol: string): void {
  const previous = lines[after];
  const atUnterminatedEnd = previous !== undefined && previous.end === `` && after === lines.length - 1;
  const inserted = texts.map(text => ({text, end: eol}));
  if (atUnterminatedEnd) {
    previous.end = eol;
    inserted.at(-1)!.end = ``;
  }
  lines.splice(after + 1, 0, ...inserted);
}

/**
 * Sets `values` in section `name`: every existing occurrence of a key is rewritten in place (a file may repeat a
 * section; whichever a reader takes then holds the new value), missing keys go after the last key of the last such
 * section, and a missing section is appended. Keys not named are left alone.
 */
export function setSectionValues(text: string, name: string, values: ReadonlyArray<readonly [string, string]>): string {
  checkWritable(`the section name ${quoted(name)}`, name);
  if (/[[\]]/.test(name))
    throw new ConfigError(`the section name ${quoted(name)} holds a bracket; awsmfa never writes one`);
  for (const [key, value] of values) {
    checkWritable(`the key ${key}`, key);
    checkWritable(`the value of ${key}`, value);
  }
  const file = parseIni(text);
  const lines = linesOf(file);
  const sections = sectionsNamed(file, name);

  if (sections.length === 0) {
    const block = [`[${name}]`, ...values.map(([key, value]) => `${key} = ${value}`)];
    const last = lines.at(-1);
    if (last !== undefined && last.text.trim() !== ``)
      block.unshift(``);
    if (last !== undefined && last.end === ``)
      last.end = file.eol;
    lines.push(...block.map(line => ({text: line, end: file.eol})));
    return render(lines);
  }

  // Later edits first, so the line numbers of earlier ones stay right.
  const edits: Array<{at: number, apply: () => void}> = [];
  const missing: string[] = [];
  for (const [key, value] of values) {
    const entries = sections.flatMap(section => section.entries.filter(entry => entry.key === key));
    if (entries.length === 0)
      missing.push(`${key} = ${value}`);
    for (const entry of entries) {
      edits.push({at: entry.line, apply: () => {
        // The value's continuation lines go; the line keeps the break that ended the last of them.
        const end = lines[entry.lastLine]!.end;
        lines.splice(entry.line, entry.lastLine - entry.line + 1, {text: rewriteLine(lines[entry.line]!.text, value), end});
      }});
    }
  }
  if (missing.length > 0) {
    const last = sections.at(-1)!;
    const after = last.entries.length > 0 ? Math.max(...last.entries.map(entry => entry.lastLine)) : last.line;
    edits.push({at: after + 1, apply: () => insertAfter(lines, after, missing, file.eol)});
  }
  edits.sort((a, b) => b.at - a.at);
  for (const edit of edits)
    edit.apply();
  return render(lines);
}

/**
 * Removes every section `name`: its header and its keys, and the blank line that separated it from what came
 * before; comments after its last key stay (they may introduce the next section).
 */
export function removeSection(text: string, name: string): string {
  const file = parseIni(text);
  const lines = linesOf(file);
  const sections = sectionsNamed(file, name).reverse();
  for (const section of sections) {
    let start = section.line;
    const end = section.entries.length > 0 ? Math.max(...section.entries.map(entry => entry.lastLine)) : section.line;
    let stop = end;
    const blankAfter = end + 1 < lines.length && lines[end + 1]!.text.trim() === ``;
    if (start > 0 && lines[start - 1]!.text.trim() === `` && (end + 1 >= lines.length || blankAfter || /^\s*\[/.test(lines[end + 1]!.text)))
      start--;
    else if (start === 0 && blankAfter)
      stop++;
    const removedLastLine = stop === lines.length - 1;
    const lastEnd = lines[stop]!.end;
    lines.splice(start, stop - start + 1);
    // A file that ended without a line break still does.
    if (removedLastLine && lastEnd === `` && lines.length > 0)
      lines.at(-1)!.end = ``;
  }
  return render(lines);
}

/**
 * Removes the lines of `keys` from section `name` (continuation lines included); a section left without keys goes
 * too, as removeSection removes it. Nothing else changes.
 */
export function removeKeys(text: string, name: string, keys: readonly string[]): string {
  const file = parseIni(text);
  const section = sectionsNamed(file, name)[0];
  if (section === undefined)
    return text;
  const lines = linesOf(file);
  const going = section.entries.filter(entry => keys.includes(entry.key)).sort((a, b) => b.line - a.line);
  for (const entry of going) {
    const removedLast = entry.lastLine === lines.length - 1;
    const lastEnd = lines[entry.lastLine]!.end;
    lines.splice(entry.line, entry.lastLine - entry.line + 1);
    if (removedLast && lastEnd === `` && lines.length > 0)
      lines.at(-1)!.end = ``;
  }
  const after = render(lines);
  return going.length === section.entries.length ? removeSection(after, name) : after;
}
