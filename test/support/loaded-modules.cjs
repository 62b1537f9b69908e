// Preloaded with --require by the tests: writes the files Node loaded with require() to the named file at exit,
// so a test can check that the cached path never loads the AWS SDK.
const file = process.env.AWSMFA_TEST_MODULES_FILE;
if (file)
  process.on(`exit`, () => require(`node:fs`).writeFileSync(file, Object.keys(require.cache).join(`\n`)));
