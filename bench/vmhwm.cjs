// Preloaded with --require by bench.ts: at exit, appends this process's peak resident set (VmHWM, KiB) to the named
// file. VmHWM is of this program alone (maxRSS would also count the image of the process that forked it).
const file = process.env.AWSMFA_BENCH_HWM_FILE;
if (file)
  process.on(`exit`, () => {
    const fs = require(`node:fs`);
    const line = /^VmHWM:\s*(\d+)/m.exec(fs.readFileSync(`/proc/self/status`, `utf8`));
    if (line)
      fs.appendFileSync(file, `${line[1]}\n`);
  });
