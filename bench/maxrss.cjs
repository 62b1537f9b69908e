// Preloaded with --require by bench.ts: writes the process's peak resident set size (KiB) to the named file.
const file = process.env.AWSMFA_BENCH_RSS_FILE;
if (file)
  process.on(`exit`, () => require(`node:fs`).appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
