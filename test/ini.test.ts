/** The AWS files: parsing as botocore does, and edits that leave every other byte alone (golden strings). */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseIni, sectionValues, shlexSplit} from '../src/aws-files/ini.js';
import {removeSection, setSectionValues} from '../src/aws-files/ini-edit.js';

const SESSION = [[`aws_access_key_id`, `ASIANEW`], [`aws_secret_access_key`, `newsecret`], [`aws_session_token`, `newtoken`], [`aws_expiration`, `2026-11-24T06:15:00Z`]] as const;

describe(`parsing`, () => {
  test(`keys, both delimiters, case, comments, continuation lines`, () => {
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
    ].join(`\n`));
    assert.deepEqual(sectionValues(file, `default`), {
      aws_access_key_id: `AKIA1`,
      region: `eu-west-1`,
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

describe(`what botocore refuses, with the line`, () => {
  const cases: Array<[string, string, RegExp]> = [
    [`a duplicate section`, `[a]\nk = 1\n\n[a]\nj = 2\n`, /^line 4: \[a\] appears a second time \(first on line 1\)$/],
    [`a duplicate key in a section`, `[a]\nk = 1\nK : 2\n`, /^line 3: k appears a second time in \[a\] \(first on line 2\)$/],
    [`a byte-order mark`, `\ufeff[default]\nk = v\n`, /^line 1: the file starts with a byte-order mark \(BOM\)/],
    [`a key before the first section`, `k = v\n[a]\n`, /^line 1: a line before the first \[section\]$/],
    [`a line without = or :`, `[a]\nk = v\njust words\n`, /^line 3: neither a \[section\], a key = value, nor a comment/],
    [`a line = x`, `[a]\n= x\n`, /^line 2: a value without a key$/],
    [`a nested value with a line without =`, `[a]\ns3 =\n  max = 1\n  oops\n`, /^line 2: the lines indented under s3 must each be key = value$/],
    [`the same key twice in [DEFAULT], across two of them`, `[DEFAULT]\nk = 1\n[a]\n[DEFAULT]\nk = 2\n`, /^line 5: k appears a second time in \[DEFAULT\]/],
  ];
  for (const [name, text, message] of cases)
    test(name, () => assert.throws(() => parseIni(text), (error: Error) => message.test(error.message)));

  test(`what botocore accepts: spaces kept in names, [a]b] headers, a blank line inside a value, [DEFAULT] keys`, () => {
    const file = parseIni(`[ default ]\nk = v\n[profile a]b]\nx = 1\n[DEFAULT]\nregion = eu-west-1\n[c]\nlong = first\n\n  second\nregion = us-east-1\n`);
    assert.deepEqual(file.sections.map(section => section.name), [` default `, `profile a]b`, `c`]);
    assert.deepEqual(sectionValues(file, `c`), {region: `us-east-1`, long: `first\n\nsecond`});
    assert.deepEqual(sectionValues(file, `profile a]b`), {region: `eu-west-1`, x: `1`});
    assert.equal(sectionValues(file, `default`), undefined);
  });

  test(`shlex splits [profile NAME] headers as botocore does`, () => {
    assert.deepEqual(shlexSplit(`profile "quoted name"`), [`profile`, `quoted name`]);
    assert.deepEqual(shlexSplit(`profile a b`), [`profile`, `a`, `b`]);
    assert.deepEqual(shlexSplit(`profile it\\'s`), [`profile`, `it's`]);
    assert.equal(shlexSplit(`profile "open`), undefined);
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

  test(`a file botocore cannot read is never written into`, () => {
    assert.throws(() => setSectionValues(`[s]\naws_access_key_id = one\n[x]\nk = v\n[s]\nregion = r\n`, `s`, [[`k`, `v`]]), /line 5: \[s\] appears a second time \(first on line 1\)/);
    assert.throws(() => removeSection(`[a]\nk = v\nno delimiter here\n`, `a`), /line 3: neither a \[section\], a key = value, nor a comment/);
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

  test(`the last section, the first section, CRLF, no trailing newline`, () => {
    assert.equal(removeSection(`[a]\nk = v\n\n[s]\nk = v\n`, `s`), `[a]\nk = v\n`);
    assert.equal(removeSection(`[s]\nk = v\n\n[a]\nk = v\n`, `s`), `[a]\nk = v\n`);
    assert.equal(removeSection(`[a]\r\nk = v\r\n\r\n[s]\r\nk = v\r\n`, `s`), `[a]\r\nk = v\r\n`);
    assert.equal(removeSection(`[a]\nk = v\n\n[s]\nk = v`, `s`), `[a]\nk = v`);
  });

  test(`a missing section changes nothing`, () => {
    const before = `[a]\r\nk = v`;
    assert.equal(removeSection(before, `s`), before);
  });
});
