// Preloaded with --require by the tests: counts the files the process asked to open (fs.openSync, which every
// read of awsmfa's goes through) and how many of those opens failed, and writes `opened failed` to the file named
// in AWSMFA_TEST_OPENS_FILE at exit, so a test can check that work grows with what is there, not with what is not.
const fs = require(`node:fs`);
const file = process.env.AWSMFA_TEST_OPENS_FILE;
if (file) {
  let opened = 0;
  let failed = 0;
  const openSync = fs.openSync;
  fs.openSync = function (...args) {
    opened++;
    try {
      return openSync.apply(this, args);
    } catch (error) {
      failed++;
      throw error;
    }
  };
  process.on(`exit`, () => fs.writeFileSync(file, `${opened} ${failed}`));
}
