import {Writable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';

/**
 * The one place where text bound for a terminal is made harmless. Anything awsmfa prints that came from outside
 * (an AWS error's Code and Message, a profile name, a region, an ARN, an environment variable) may hold bytes a
 * terminal obeys: ESC and CSI start sequences that retitle, clear or rewrite the screen, BEL rings, a CR or BS
 * overwrites what was printed, and the C1 controls U+0080-U+009F are read as ESC sequences by many terminals
 * (U+009B is CSI). Bidirectional overrides reorder what is shown. All of them are rendered visibly instead:
 * `\x1b`, `\u009b`, `\u202e`. Shell code is not text for a terminal: it keeps its exact per-dialect quoting.
 */

// C0 (but \n, which ends our own lines, and \t), DEL, C1, the bidirectional marks, embeddings, overrides and isolates
// (U+061C, U+200E/F, U+202A-E, U+2066-9), and the Unicode line and paragraph separators (U+2028/9).
const CONTROLS_KEEPING_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same with \n and \t: a value is one piece of a line.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, `0`)}` : `\\u${code.toString(16).padStart(4, `0`)}`;
}

/** A value from outside, to be shown inside a message: every control character made visible, newlines too. */
export function visible(value: string): string {
  return value.replace(CONTROLS, escape);
}

/**
 * What a validator (typanion) found wrong with data from outside, as a piece of a message: the path and what was
 * expected, without the value it got. The data are tokens and keys (a refresh token one character off, a secret
 * key of the wrong shape), which a message on stderr must not carry; a type's name stays ("got 12345" is not
 * said either: a number could be a secret too).
 */
export function shapeProblem(errors: readonly string[], otherwise: string): string {
  const problem = (errors[0] ?? otherwise).replace(/\s*\(got [\s\S]*\)\s*$/, ``);
  // The path names where: a property's name is data too when the object is a record (keys.age's access key ids) or
  // holds one it should not (`Extraneous property`). typanion writes a name that is no identifier as ["…"], and a
  // long identifier could be a secret key put where a name goes: both are left out, the shape of the path stays.
  return visible(problem.replace(TYPANION_PATH, path => path.replace(/\["(?:[^"\\]|\\.)*"\]/g, `[…]`).replace(/\.[A-Za-z_][A-Za-z0-9_]{31,}/g, `.…`)));
}

/** The path typanion puts before its complaint: `.keys.AKIA…`, `.a[0]`, `.keys["x y"]` (see its computeKey). */
const TYPANION_PATH = /^(?:\.[A-Za-z_][A-Za-z0-9_]*|\.?\[(?:\d+|"(?:[^"\\]|\\.)*")\]|\.)+(?=: )/;

/** A whole message or table: its own line breaks and tabs stay, every other control character is made visible. */
export function terminalText(text: string): string {
  return text.replace(CONTROLS_KEEPING_LINES, escape);
}

/**
 * JSON for a person or a program: JSON.stringify escapes C0 but leaves DEL, C1 and the bidirectional controls raw,
 * which a terminal showing the JSON would obey. They are written as \uXXXX escapes, which every JSON reader
 * decodes to the same value.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, `0`)}`);
}

/**
 * A stream that passes everything written to it through terminalText on its way to `target`: awsmfa's stderr, and
 * the stdout of the commands that print text rather than shell code. Bytes are decoded as a stream, so a
 * character split between two writes stays whole.
 */
export function terminalStream(target: NodeJS.WritableStream): Writable {
  const decoder = new StringDecoder(`utf8`);
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      const text = typeof chunk === `string` ? chunk : decoder.write(chunk);
      if (text !== ``)
        target.write(terminalText(text));
      callback();
    },
    final(callback) {
      const rest = decoder.end();
      if (rest !== ``)
        target.write(terminalText(rest));
      callback();
    },
  });
  targets.set(stream, target);
  return stream;
}

/** The stream under each terminalStream, for awsmfa's own control sequences (see terminalControl). */
const targets = new WeakMap<Writable, NodeJS.WritableStream>();

/**
 * Where awsmfa may write its own control sequences (a line erased with CR and EL): the terminal under a stream
 * (a terminalStream's target, or the stream itself), and only when it is a terminal; else undefined, and a
 * captured stderr gets no escape codes. The text written there is awsmfa's constant text, never a value.
 */
export function terminalControl(stream: NodeJS.WritableStream): NodeJS.WritableStream | undefined {
  const target = stream instanceof Writable ? targets.get(stream) ?? stream : stream;
  return (target as {isTTY?: boolean}).isTTY === true ? target : undefined;
}

/**
 * A value from outside, quoted inside a message (`region is "eu\u009b"`): JSON's quoting, which shows where the
 * value starts and ends and escapes C0, with DEL, C1 and the bidirectional controls escaped too.
 */
export function quoted(value: string): string {
  return jsonText(value);
}
