import {parseIni, type IniFile, type IniSection} from './ini.js';

/**
 * Minimal edits of an AWS shared file: only the lines of the keys that change (or of the section removed) are
 * touched; comments, blank lines, key order, other sections, unknown keys and line endings stay as they were.
 */

/** `key = value` in the file's own style when the key exists already: its indentation, spelling and delimiter. */
function rewriteLine(line: string, value: string): string {
  const match = /^(\s*[^=:]*?\s*[=:][ \t]*)/.exec(line);
  return `${match ? match[1] : ``}${value}`;
}

function sectionsNamed(file: IniFile, name: string): IniSection[] {
  return file.sections.filter(section => section.name === name);
}

/** Joins the lines with the file's line ending, ending with one where the file did. */
function render(file: Pick<IniFile, `eol` | `finalEol`>, lines: string[]): string {
  return lines.length === 0 ? `` : lines.join(file.eol) + (file.finalEol ? file.eol : ``);
}

/**
 * Sets `values` in section `name`: every existing occurrence of a key is rewritten in place (a file may repeat a
 * section; whichever a reader takes then holds the new value), missing keys go after the last key of the last such
 * section, and a missing section is appended. Keys not named are left alone.
 */
export function setSectionValues(text: string, name: string, values: ReadonlyArray<readonly [string, string]>): string {
  const file = parseIni(text);
  const lines = [...file.lines];
  const sections = sectionsNamed(file, name);

  if (sections.length === 0) {
    const block = [`[${name}]`, ...values.map(([key, value]) => `${key} = ${value}`)];
    const last = lines.at(-1);
    if (last !== undefined && last.trim() !== ``)
      block.unshift(``);
    return render({...file, finalEol: true}, [...lines, ...block]);
  }

  // Later edits first, so the line numbers of earlier ones stay right.
  const edits: Array<{at: number, remove: number, insert: string[]}> = [];
  const missing: string[] = [];
  for (const [key, value] of values) {
    const entries = sections.flatMap(section => section.entries.filter(entry => entry.key === key));
    if (entries.length === 0)
      missing.push(`${key} = ${value}`);
    for (const entry of entries)
      edits.push({at: entry.line, remove: entry.lastLine - entry.line + 1, insert: [rewriteLine(lines[entry.line]!, value)]});
  }
  if (missing.length > 0) {
    const last = sections.at(-1)!;
    const after = last.entries.length > 0 ? Math.max(...last.entries.map(entry => entry.lastLine)) : last.line;
    edits.push({at: after + 1, remove: 0, insert: missing});
  }
  edits.sort((a, b) => b.at - a.at);
  for (const edit of edits)
    lines.splice(edit.at, edit.remove, ...edit.insert);
  return render(file, lines);
}

/**
 * Removes every section `name`: its header and its keys, and the blank line that separated it from what came
 * before; comments after its last key stay (they may introduce the next section).
 */
export function removeSection(text: string, name: string): string {
  const file = parseIni(text);
  const lines = [...file.lines];
  const sections = sectionsNamed(file, name).reverse();
  for (const section of sections) {
    let start = section.line;
    const end = section.entries.length > 0 ? Math.max(...section.entries.map(entry => entry.lastLine)) : section.line;
    let stop = end;
    const blankAfter = end + 1 < lines.length && lines[end + 1]!.trim() === ``;
    if (start > 0 && lines[start - 1]!.trim() === `` && (end + 1 >= lines.length || blankAfter || /^\s*\[/.test(lines[end + 1]!)))
      start--;
    else if (start === 0 && blankAfter)
      stop++;
    lines.splice(start, stop - start + 1);
  }
  return render(file, lines);
}
