"""Runs a command as the foreground of a new pseudo-terminal (stdin, stdout and stderr all on it), waits until the
terminal shows the line 'ready', then types each key of KEYS (a JSON list such as ["\\u0003", "\\u001c"]: Ctrl+C, Ctrl+\\),
one at a time, each once the terminal has shown a new line or after half a second. The terminal's driver turns a
key into a signal to the foreground process group, as a person's keystroke does. Prints what the terminal showed
(carriage returns dropped) on stdout; exit status: the command's (128 + N for signal N). Usage: ctrl-c.py KEYS_JSON CMD [ARGS...]"""
import fcntl, json, os, select, sys, termios, time

keys = json.loads(sys.argv[1])
master, slave = os.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    # No echo: the terminal shows what the command printed, not the keys typed ("^C"); no flush of what it
    # printed when a key signals.
    attrs = termios.tcgetattr(0)
    attrs[3] = (attrs[3] & ~(termios.ECHO | termios.ECHOCTL)) | termios.NOFLSH
    termios.tcsetattr(0, termios.TCSANOW, attrs)
    os.close(master)
    os.execvp(sys.argv[2], sys.argv[2:])
os.close(slave)
seen = b""
deadline = time.time() + 30
status = None


def read(timeout):
    global seen
    ready, _, _ = select.select([master], [], [], timeout)
    if not ready:
        return False
    try:
        data = os.read(master, 4096)
    except OSError:
        return False
    seen += data
    return bool(data)


def ready():
    return b"ready" in seen.replace(b"\r", b"").split(b"\n")[:-1]  # a whole line


while not ready() and time.time() < deadline:
    read(0.1)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    status = None
for key in keys:
    if status is not None:
        break
    lines = seen.count(b"\n")
    os.write(master, key.encode())
    until = time.time() + 0.5
    while time.time() < until and seen.count(b"\n") == lines:
        read(0.05)
    # A second signal (the failure looked for) would show within this time too.
    until = time.time() + 0.3
    while time.time() < until:
        read(0.05)
while status is None and time.time() < deadline:
    read(0.05)
    done, status = os.waitpid(pid, os.WNOHANG)
    if not done:
        status = None
if status is None:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
while read(0.05):
    pass
sys.stdout.write(seen.replace(b"\r", b"").decode("utf8", "replace"))
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)  # as a shell reports a signal
