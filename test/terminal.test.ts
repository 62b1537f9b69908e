/**
 * Text bound for a terminal (issue #18, item 4): whatever comes from outside (an STS or IAM error, an ARN, a
 * profile name, a region, an environment variable, a word of the command line) must never reach the terminal as
 * a control character it would obey. Each case plants a hostile value, runs the built CLI, and asserts that no raw
 * C0 (but \n and \t), ESC, DEL or C1 byte is on stdout or stderr, that the value is still shown (as `\x1b`,
 * `\u009b`, ...), and for JSON that it parses back to the exact value. Shell code (env) keeps its bytes exactly.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {jsonText, quoted, terminalStream, terminalText, visible} from '../src/terminal.js';
import {runAwsmfa, type RunResult} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';

useStandIn();

/** What a terminal obeys: C0 but line feed and tab, DEL, C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const ESC_TITLE = `\u001b]0;PWNED\u0007`;
const CSI_C1 = `\u009b2J`;

function assertNoRawControl(result: RunResult): void {
  for (const stream of [`stdout`, `stderr`] as const) {
    const found = RAW_CONTROL.exec(result[stream]);
    assert.equal(found, null, `a raw U+${found?.[0].charCodeAt(0).toString(16).padStart(4, `0`)} on ${stream}: ${JSON.stringify(result[stream])}`);
  }
}

/** The escapes a person may see for a value's control characters: ours (`\x1b`) or JSON's (`\u001b`). */
function shows(text: string, char: string): boolean {
  const code = char.charCodeAt(0);
  return text.includes(`\\u${code.toString(16).padStart(4, `0`)}`) || (code < 0x80 && text.includes(`\\x${code.toString(16).padStart(2, `0`)}`));
}

/** An STS/IAM error document as it comes over the wire, the message written as it is (entities included). */
const errorXml = (code: string, message: string) => `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>1</RequestId></ErrorResponse>`;

const ROLE_CONFIG = (roleArn: string) => `[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile admin]\nrole_arn = ${roleArn}\nsource_profile = default\n`;

interface Case {
  name: string;
  /** Plants the hostile value; returns extra environment. */
  setup: () => Record<string, string> | void;
  args: string[];
  /** The control characters that must be shown (escaped) on stderr or stdout. */
  shown: string[];
  /** For JSON output: where the hostile value is in the parsed document, and what it must be exactly. */
  json?: {pick: (document: any) => unknown, value: string};
  /** The first line only: a second line of an AWS message must not be printed. */
  notShown?: string;
}

const CASES: Case[] = [
  {
    name: `an STS error Code with ESC`,
    setup: () => void (sts.fault = {status: 403, code: `Evil${ESC_TITLE}`, message: `no`}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `an STS error Message with a raw ESC`,
    setup: () => void (sts.fault = {status: 403, code: `AccessDenied`, message: `denied ${ESC_TITLE} by policy`}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `an STS error Message with &#27; and &#7; (decoded by the SDK)`,
    setup: () => void (sts.broken = {status: 400, contentType: `text/xml`, body: errorXml(`ValidationError`, `bad &#27;]0;PWNED&#7; value&#10;second line`)}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u001b`, `\u0007`],
    notShown: `second line`,
  },
  {
    name: `an STS error Message with a C1 CSI`,
    setup: () => void (sts.fault = {status: 403, code: `AccessDenied`, message: `denied ${CSI_C1} by policy`}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u009b`],
  },
  {
    // A raw CR is a line break to XML (the message is cut there); &#13; is a CR that stays, to overwrite the line.
    name: `an STS error Message with &#155; and &#13; (C1 CSI, carriage return)`,
    setup: () => void (sts.broken = {status: 403, contentType: `text/xml`, body: errorXml(`AccessDenied`, `denied &#155;2J&#13;all is fine`)}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u009b`, `\r`],
  },
  {
    name: `an IAM error Message (devices)`,
    setup: () => void (sts.fault = {status: 403, code: `AccessDenied`, message: `nope ${ESC_TITLE}`}),
    args: [`devices`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `an IAM error with &#27; and a second line (devices)`,
    setup: () => void (sts.broken = {status: 400, contentType: `text/xml`, body: errorXml(`Throttling&#27;[2J`, `slow &#155;2J down&#10;second line`)}),
    args: [`devices`],
    shown: [`\u001b`, `\u009b`],
    notShown: `second line`,
  },
  {
    // IAM's device ARNs are checked (an invalid one is left out), the user name is not: it is printed as it came.
    name: `a user name with C1 from IAM (devices --json)`,
    setup: () => void sts.users.splice(0, 1, {...ALICE, arn: `arn:aws:iam::123456789012:user/al${CSI_C1}ice`}),
    args: [`devices`, `--json`],
    shown: [`\u009b`],
    json: {pick: document => document[0].userName, value: `al${CSI_C1}ice`},
  },
  {
    name: `an STS error Code with a line break and ESC (&#10; &#27;)`,
    setup: () => void (sts.broken = {status: 400, contentType: `text/xml`, body: errorXml(`Odd&#27;[2J&#10;second line`, `first`)}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u001b`],
    notShown: `\nsecond line`,
  },
  {
    name: `a C1 in the whoami ARN`,
    setup: () => void sts.users.splice(0, 1, {...ALICE, arn: `arn:aws:iam::123456789012:user/al${CSI_C1}ice`}),
    args: [`whoami`],
    shown: [`\u009b`],
  },
  {
    name: `a C1 in the whoami ARN (--json)`,
    setup: () => void sts.users.splice(0, 1, {...ALICE, arn: `arn:aws:iam::123456789012:user/al${CSI_C1}ice`}),
    args: [`whoami`, `--json`],
    shown: [`\u009b`],
    json: {pick: document => document.arn, value: `arn:aws:iam::123456789012:user/al${CSI_C1}ice`},
  },
  {
    name: `a profile name with ESC (profiles)`,
    setup: () => sandbox.writeConfig(`[default]\nregion = eu-west-1\n[profile ev${ESC_TITLE}il]\nregion = eu-west-1\n`),
    args: [`profiles`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `a region with BEL and ESC (profiles)`,
    setup: () => sandbox.writeConfig(`[default]\nregion = eu-west-1\u0007\u001b[2J\nmfa_serial = ${ALICE.serialNumber}\n`),
    args: [`profiles`],
    shown: [`\u0007`, `\u001b`],
  },
  {
    name: `an mfa_serial with C1 (profiles)`,
    setup: () => sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/a${CSI_C1}\n`),
    args: [`profiles`],
    shown: [`\u009b`],
  },
  {
    name: `a role_arn with ESC (profiles)`,
    setup: () => sandbox.writeConfig(ROLE_CONFIG(`arn:aws:iam::123456789012:role/A${ESC_TITLE}`)),
    args: [`profiles`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `a profile name with C1 (profiles --json)`,
    setup: () => sandbox.writeConfig(`[default]\nregion = eu-west-1\n[profile ev${CSI_C1}il]\nregion = eu${ESC_TITLE}\n`),
    args: [`profiles`, `--json`],
    shown: [`\u009b`, `\u001b`],
    json: {pick: document => document.find((profile: {name: string}) => profile.name !== `default`)?.name, value: `ev${CSI_C1}il`},
  },
  {
    name: `status --profile with ESC`,
    setup: () => {},
    args: [`status`, `--profile`, `ev${ESC_TITLE}il`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `AWSMFA_PROFILE with ESC (status)`,
    setup: () => ({AWSMFA_PROFILE: `ev${ESC_TITLE}il`}),
    args: [`status`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `AWS_ACCESS_KEY_ID with ESC and C1 (status)`,
    setup: () => ({AWS_ACCESS_KEY_ID: `ASIA${ESC_TITLE}${CSI_C1}`, AWS_SECRET_ACCESS_KEY: `x`, AWS_SESSION_TOKEN: `y`}),
    args: [`status`],
    shown: [`\u001b`, `\u009b`],
  },
  {
    name: `AWS_ACCESS_KEY_ID with C1 (status --json)`,
    setup: () => ({AWS_ACCESS_KEY_ID: `ASIA${CSI_C1}\u007f`, AWS_SECRET_ACCESS_KEY: `x`, AWS_SESSION_TOKEN: `y`}),
    args: [`status`, `--json`],
    shown: [`\u009b`, `\u007f`],
    json: {pick: document => document.environment.accessKeyId, value: `ASIA${CSI_C1}\u007f`},
  },
  {
    name: `a refused option value with C1 (--region)`,
    setup: () => {},
    args: [`env`, `--shell`, `bash`, `--region`, `eu${CSI_C1}`],
    shown: [`\u009b`],
  },
  {
    name: `a refused region of the config with C1`,
    setup: () => sandbox.writeConfig(`[default]\nregion = eu${CSI_C1}\nmfa_serial = ${ALICE.serialNumber}\n`),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u009b`],
  },
  {
    name: `a refused AWSMFA_TIMEOUT with C1`,
    setup: () => ({AWSMFA_TIMEOUT: `3${CSI_C1}`}),
    args: [`env`, `--shell`, `bash`, `--code`, `123456`],
    shown: [`\u009b`],
  },
  {
    name: `a refused AWSMFA_MFA_PROCESS_TIMEOUT with C1`,
    setup: () => {
      sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nmfa_process = echo 123456\n`);
      return {AWSMFA_MFA_PROCESS_TIMEOUT: `3${CSI_C1}`};
    },
    args: [`env`, `--shell`, `bash`],
    shown: [`\u009b`],
  },
  {
    name: `a login profile name with C1`,
    setup: () => {},
    args: [`login`, `--code`, `123456`, `--update-profile`, `s${CSI_C1}`],
    shown: [`\u009b`],
  },
  {
    name: `an unknown command with ESC (clipanion's parse error)`,
    setup: () => {},
    args: [`st${ESC_TITLE}atus`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `an unknown option with C1 (clipanion's parse error)`,
    setup: () => {},
    args: [`status`, `--x${CSI_C1}`],
    shown: [`\u009b`],
  },
  {
    name: `an invalid option value with ESC (typanion's message)`,
    setup: () => {},
    args: [`whoami`, `--profile`, `a${ESC_TITLE}`],
    shown: [`\u001b`, `\u0007`],
  },
  {
    name: `exec's messages (its stdout stays the command's own)`,
    setup: () => {},
    args: [`exec`, `--profile`, `n${ESC_TITLE}`, `--`, `true`],
    shown: [`\u001b`, `\u0007`],
  },
];

describe(`no control character from outside reaches the terminal`, () => {
  for (const item of CASES) {
    test(item.name, async () => {
      const extra = item.setup() ?? {};
      const result = await runAwsmfa(item.args, {...sandbox.env, ...extra});
      assertNoRawControl(result);
      const both = result.stdout + result.stderr;
      for (const char of item.shown)
        assert.ok(shows(both, char), `U+${char.charCodeAt(0).toString(16).padStart(4, `0`)} is shown escaped: ${JSON.stringify(both)}`);
      if (item.notShown !== undefined)
        assert.ok(!both.includes(item.notShown), `only the first line of the message: ${both}`);
      if (item.json !== undefined) {
        assert.equal(result.exitCode, item.args[0] === `status` ? 1 : 0, result.stderr);
        assert.equal(item.json.pick(JSON.parse(result.stdout)), item.json.value);
      }
    });
  }
});

describe(`shell code keeps its bytes`, () => {
  test(`env prints exactly the quoted values, non-ASCII and bidi controls of a profile name untouched`, async () => {
    // A profile name the dialects accept (no control character) but that the terminal sanitizer would rewrite
    // (U+202E is a bidi override): in shell code it must stay the exact bytes, or the variable would not match.
    const profile = `w\u00f6rk\u202e`;
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile ${profile}]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
    sandbox.writeCredentials(`[${profile}]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
    sts.nextCredentials = {accessKeyId: `ASIAEXAMPLE0000000001`, secretAccessKey: `se/cr+et`, sessionToken: `to+ken/=`, expiration};
    const result = await runAwsmfa([`env`, `--shell`, `bash`, `--profile`, profile, `--code`, sts.code], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(result.stdout.includes(`export AWS_ACCESS_KEY_ID='ASIAEXAMPLE0000000001'\n`), result.stdout);
    assert.ok(result.stdout.includes(`export AWS_SECRET_ACCESS_KEY='se/cr+et'\n`), result.stdout);
    assert.ok(result.stdout.includes(`export AWS_SESSION_TOKEN='to+ken/='\n`), result.stdout);
    assert.ok(result.stdout.includes(`'${profile}'`), `the profile name, byte for byte: ${JSON.stringify(result.stdout)}`);
    assert.ok(!result.stdout.includes(`\\u`), result.stdout);
  });

  test(`the profiles table stays aligned around an escaped value`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\n[profile ev${ESC_TITLE}il]\nregion = eu${CSI_C1}\n`);
    const result = await runAwsmfa([`profiles`], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trimEnd().split(`\n`);
    assert.equal(lines.length, 3, result.stdout);
    for (const column of [`KIND`, `REGION`, `MFA DEVICE`]) {
      const at = lines[0]!.indexOf(column);
      assert.ok(lines.every(line => line[at - 1] === ` ` && line[at] !== ` `), `column ${column} aligned:\n${result.stdout}`);
    }
  });

  test(`nothing is lost at exit: a long table and a long JSON arrive whole through a pipe`, async () => {
    const names = Array.from({length: 3000}, (_, index) => `p${index}-\u009b`);
    sandbox.writeConfig(names.map(name => `[profile ${name}]\nregion = eu-west-1\n`).join(``));
    const table = await runAwsmfa([`profiles`], sandbox.env);
    assert.equal(table.exitCode, 0, table.stderr);
    assert.equal(table.stdout.trimEnd().split(`\n`).length, 3002, `the header, default (of the credentials file) and 3000 more`);
    assert.match(table.stdout, /^p2999-\\u009b +settings +eu-west-1 /m);
    const json = await runAwsmfa([`profiles`, `--json`], sandbox.env);
    assert.deepEqual(JSON.parse(json.stdout).map((profile: {name: string}) => profile.name).filter((name: string) => name !== `default`), names);
  });

  test(`help and --version are still whole, on stdout`, async () => {
    const help = await runAwsmfa([`help`, `env`], sandbox.env);
    assert.equal(help.exitCode, 0, help.stderr);
    assert.match(help.stdout, /awsmfa env /);
    assert.match(help.stdout, /--code\S* CODE/);
    const version = await runAwsmfa([`--version`], sandbox.env);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

describe(`terminal.ts`, () => {
  test(`visible renders every control, newlines and tabs included`, () => {
    assert.equal(visible(`a\u0000b\u0007c\td\ne\u001b[2Jf\u007fg\u0085h\u009bi\u202ej\u2066k`), `a\\x00b\\x07c\\x09d\\x0ae\\x1b[2Jf\\x7fg\\u0085h\\u009bi\\u202ej\\u2066k`);
    assert.equal(visible(`plain é ✓ 日本`), `plain é ✓ 日本`);
    // The bidirectional marks and the Unicode line separators reorder or break what is shown, too.
    assert.equal(visible(`a\u200fb\u200ec\u061cd\u2028e\u2029f`), `a\\u200fb\\u200ec\\u061cd\\u2028e\\u2029f`);
    assert.equal(jsonText(`\u2028\u200f`), `"\\u2028\\u200f"`);
  });

  test(`terminalText keeps a message's line breaks and tabs, and nothing else`, () => {
    assert.equal(terminalText(`one\ttwo\nthree\r\u001b]0;x\u0007\u009d\u00a0`), `one\ttwo\nthree\\x0d\\x1b]0;x\\x07\\u009d\u00a0`);
  });

  test(`jsonText escapes DEL, C1 and bidi controls and parses back to the same value`, () => {
    const value = {name: `a\u001b\u007f\u0080\u009f\u202e\u2069z`, list: [`\u0085`]};
    const text = jsonText(value, 2);
    assert.ok(!RAW_CONTROL.test(text), text);
    assert.ok(text.includes(`"a\\u001b\\u007f\\u0080\\u009f\\u202e\\u2069z"`), text);
    assert.deepEqual(JSON.parse(text), value);
    assert.equal(jsonText(`x`), `"x"`);
  });

  test(`quoted is a value in a message: JSON-quoted, C1 escaped`, () => {
    assert.equal(quoted(`eu\u009b2J`), `"eu\\u009b2J"`);
    assert.equal(quoted(`a"b\\c\n`), `"a\\"b\\\\c\\n"`);
  });

  test(`terminalStream renders controls, keeps a character split between writes whole`, async () => {
    let out = ``;
    const {Writable} = await import('node:stream');
    const target = new Writable({write(chunk, _encoding, callback) {
      out += chunk.toString();
      callback();
    }});
    const stream = terminalStream(target);
    const bytes = Buffer.from(`é\u009b2J\u001b\n`);
    stream.write(bytes.subarray(0, 1));
    stream.write(bytes.subarray(1, 4));
    stream.write(bytes.subarray(4));
    stream.write(`str\u0007\n`);
    // Written at once, not at the end: awsmfa may exit right after.
    assert.equal(out, `é\\u009b2J\\x1b\nstr\\x07\n`);
  });
});
