/** The AWS files: parsing as botocore does, and edits that leave every other byte alone (golden strings). */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseIni, sectionValues} from '../src/aws/ini.js';
import {removeSection, setSectionValues} from '../src/aws/ini-edit.js';

const SESSION = [[`aws_access_key_id`, `ASIANEW`], [`aws_secret_access_key`, `newsecret`], [`aws_session_token`, `newtoken`], [`aws_expiration`, `2026-11-24T06:15:00Z`]] as const;

describe(`parsing`, () => {
  test(`keys, both delimiters, case, comments, continuation lines, repeated sections`, () => {
    const file = parseIni([
      `# comment`,
      `[default]`,
      `AWS_Access_Key_ID=AKIA1`,
      `; another comment`,
      `region: eu-west-1`,
      `s3 =`,
      `  max_concurrent_requests = 10`,
      `mfa_serial = arn:aws:iam::1:mfa/a # not a comment`,
      `[profile x]`,
      `a = 1`,
      `[default]`,
      `region = us-east-1`,
    ].join(`\n`));
    assert.deepEqual(sectionValues(file, `default`), {
      aws_access_key_id: `AKIA1`,
      region: `us-east-1`,
      s3: `\nmax_concurrent_requests = 10`,
      mfa_serial: `arn:aws:iam::1:mfa/a # not a comment`,
    });
    assert.equal(sectionValues(file, `nosuch`), undefined);
    assert.equal(file.ends.at(-1), ``, `no line break after the last line`);
  });

  test(`CRLF files`, () => {
    const file = parseIni(`[a]\r\nk = v\r\n`);
    assert.equal(file.eol, `\r\n`);
    assert.deepEqual(sectionValues(file, `a`), {k: `v`});
  });

  test(`CR-only and mixed line endings are lines too, as Python's universal newlines read them`, () => {
    assert.deepEqual(sectionValues(parseIni(`[a]\rk = v\rx = y\r`), `a`), {k: `v`, x: `y`});
    assert.deepEqual(sectionValues(parseIni(`[a]\nk = v\r\nx = y\r`), `a`), {k: `v`, x: `y`});
  });
});

describe(`setSectionValues`, () => {
  test(`appends a new section after a blank line, touching nothing else`, () => {
    const before = `# my keys\n[default]\naws_access_key_id = AKIA\n; keep me\n`;
    assert.equal(setSectionValues(before, `session-alice`, SESSION), `${before}\n[session-alice]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\naws_expiration = 2026-11-24T06:15:00Z\n`);
  });

  test(`an empty or absent file gets just the section`, () => {
    assert.equal(setSectionValues(``, `s`, [[`k`, `v`]]), `[s]\nk = v\n`);
  });

  test(`replaces values in place, keeping spacing, key order, comments and unknown keys`, () => {
    const before = [
      `[default]`,
      `aws_access_key_id = AKIA`,
      ``,
      `[session-alice]`,
      `# written by awsmfa`,
      `aws_session_token=oldtoken`,
      `region = eu-west-1`,
      `aws_access_key_id   :   ASIAOLD`,
      `aws_secret_access_key = oldsecret`,
      `aws_expiration = 2026-01-01T00:00:00Z`,
      ``,
      `; next`,
      `[other]`,
      `x = y`,
      ``,
    ].join(`\n`);
    assert.equal(setSectionValues(before, `session-alice`, SESSION), [
      `[default]`,
      `aws_access_key_id = AKIA`,
      ``,
      `[session-alice]`,
      `# written by awsmfa`,
      `aws_session_token=newtoken`,
      `region = eu-west-1`,
      `aws_access_key_id   :   ASIANEW`,
      `aws_secret_access_key = newsecret`,
      `aws_expiration = 2026-11-24T06:15:00Z`,
      ``,
      `; next`,
      `[other]`,
      `x = y`,
      ``,
    ].join(`\n`));
  });

  test(`adds missing keys after the section's last key, before the blank line and comments that follow`, () => {
    const before = `[s]\naws_access_key_id = old\n\n# about t\n[t]\n`;
    assert.equal(setSectionValues(before, `s`, SESSION), `[s]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\naws_expiration = 2026-11-24T06:15:00Z\n\n# about t\n[t]\n`);
  });

  test(`a value with continuation lines becomes one line`, () => {
    assert.equal(setSectionValues(`[s]\naws_session_token = a\n  b\nx = 1\n`, `s`, [[`aws_session_token`, `new`]]), `[s]\naws_session_token = new\nx = 1\n`);
  });

  test(`CRLF stays CRLF`, () => {
    assert.equal(setSectionValues(`[a]\r\nk = v\r\n`, `a`, [[`k`, `w`], [`n`, `m`]]), `[a]\r\nk = w\r\nn = m\r\n`);
    assert.equal(setSectionValues(`[a]\r\nk = v\r\n`, `b`, [[`k`, `w`]]), `[a]\r\nk = v\r\n\r\n[b]\r\nk = w\r\n`);
  });

  test(`no trailing newline: an edit in place adds none; a new section ends with one`, () => {
    assert.equal(setSectionValues(`[a]\nk = v`, `a`, [[`k`, `w`]]), `[a]\nk = w`);
    assert.equal(setSectionValues(`[a]\nk = v`, `b`, [[`k`, `w`]]), `[a]\nk = v\n\n[b]\nk = w\n`);
  });

  test(`a repeated section: every occurrence of a key is updated, no new section is added`, () => {
    const before = `[s]\naws_access_key_id = one\n[x]\nk = v\n[s]\naws_access_key_id = two\nregion = r\n`;
    assert.equal(setSectionValues(before, `s`, [[`aws_access_key_id`, `new`], [`aws_session_token`, `t`]]), `[s]\naws_access_key_id = new\n[x]\nk = v\n[s]\naws_access_key_id = new\nregion = r\naws_session_token = t\n`);
  });

  test(`mixed line endings stay as they were, line by line; new lines take the file's first ending`, () => {
    const before = `# first\n[a]\r\nk = v\r\n\r\n[b]\rx = y\r`;
    assert.equal(setSectionValues(before, `a`, [[`k`, `w`], [`n`, `m`]]), `# first\n[a]\r\nk = w\r\nn = m\n\r\n[b]\rx = y\r`);
    assert.equal(setSectionValues(before, `b`, [[`x`, `z`]]), `# first\n[a]\r\nk = v\r\n\r\n[b]\rx = z\r`);
  });

  test(`a value or a name with a line break (or any control character) is never written`, () => {
    for (const value of [`tok\n[default]\naws_access_key_id = AKIAEVIL`, `a\rb`, `nul\u0000`, `esc\u001b[31m`])
      assert.throws(() => setSectionValues(`[s]\n`, `s`, [[`aws_session_token`, value]]), /the value of aws_session_token holds a line break or another control character; awsmfa never writes one/);
    assert.throws(() => setSectionValues(``, `x]\n[default`, [[`k`, `v`]]), /section name .* holds a line break/);
    assert.throws(() => setSectionValues(``, `x][y`, [[`k`, `v`]]), /holds a bracket/);
  });

  test(`the section name must match exactly: [profile s] of the config file is another section`, () => {
    assert.equal(setSectionValues(`[profile s]\nk = v\n`, `s`, [[`k`, `w`]]), `[profile s]\nk = v\n\n[s]\nk = w\n`);
  });
});

describe(`removeSection`, () => {
  test(`removes the section and the blank line before it, nothing else`, () => {
    const before = `# top\n[default]\naws_access_key_id = AKIA\n\n[session-alice]\naws_access_key_id = ASIA\naws_session_token = t\n\n; about other\n[other]\nx = y\n`;
    assert.equal(removeSection(before, `session-alice`), `# top\n[default]\naws_access_key_id = AKIA\n\n; about other\n[other]\nx = y\n`);
  });

  test(`the last section, the first section, a repeated section, CRLF, no trailing newline`, () => {
    assert.equal(removeSection(`[a]\nk = v\n\n[s]\nk = v\n`, `s`), `[a]\nk = v\n`);
    assert.equal(removeSection(`[s]\nk = v\n\n[a]\nk = v\n`, `s`), `[a]\nk = v\n`);
    assert.equal(removeSection(`[s]\nk = 1\n[a]\nk = v\n[s]\nk = 2\n`, `s`), `[a]\nk = v\n`);
    assert.equal(removeSection(`[a]\r\nk = v\r\n\r\n[s]\r\nk = v\r\n`, `s`), `[a]\r\nk = v\r\n`);
    assert.equal(removeSection(`[a]\nk = v\n\n[s]\nk = v`, `s`), `[a]\nk = v`);
  });

  test(`a missing section changes nothing`, () => {
    const before = `[a]\r\nk = v`;
    assert.equal(removeSection(before, `s`), before);
  });
});
