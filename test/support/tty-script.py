"""Runs a command with a new pseudo-terminal as its controlling terminal and plays a script against it, as a person
at that terminal would: wait for text on the screen, type, press Ctrl+C, send a signal. stdin is the terminal;
stderr is the terminal too unless the script says "stderr": "pipe" (then it is ours, as a program that captures
it would have it); stdout is left as it is unless the script says "stdout": "tty" (a command typed at a prompt). Writes a JSON report to REPORT: the screen's text, the exit status,
the seconds it ran, the terminal's settings before and after (termios, to show echo and line mode came back), and
the step that failed, if one did. Usage: tty-script.py REPORT SCRIPT_JSON CMD [ARGS...]
SCRIPT_JSON: {"stderr": "tty"|"pipe", "stdout": "pipe"|"tty", "limit": SECONDS, "steps": [{"expect": TEXT} | {"send": TEXT} |
{"signal": NAME} | {"sleep": SECONDS}]}"""
import fcntl, json, os, select, signal, sys, termios, time

report_path, script = sys.argv[1], json.loads(sys.argv[2])
master, slave = os.openpty()
before = termios.tcgetattr(slave)
started = time.time()
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    os.dup2(slave, 0)
    if script.get("stderr", "tty") == "tty":
        os.dup2(slave, 2)
    if script.get("stdout", "pipe") == "tty":
        os.dup2(slave, 1)
    os.close(master)
    os.close(slave)
    os.execvp(sys.argv[3], sys.argv[3:])

screen = b""
status = None
failed = None


def pump(seconds):
    """Reads the screen for up to `seconds`, or until the command ends; True while it runs."""
    global screen, status
    end = time.time() + seconds
    while True:
        ready, _, _ = select.select([master], [], [], 0.02)
        if ready:
            try:
                screen += os.read(master, 65536)
            except OSError:
                pass
        if status is None:
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = code
        if status is not None or time.time() >= end:
            return status is None


deadline = started + script.get("limit", 60)
seen_up_to = 0
for index, step in enumerate(script.get("steps", [])):
    if "expect" in step:
        wanted = step["expect"].encode()
        while wanted not in screen[seen_up_to:] and time.time() < deadline and pump(0.05):
            pass
        found = screen.find(wanted, seen_up_to)
        if found < 0:
            failed = {"step": index, "expect": step["expect"]}
            break
        seen_up_to = found + len(wanted)
    elif "send" in step:
        os.write(master, step["send"].encode())
    elif "signal" in step:
        os.kill(pid, getattr(signal, step["signal"]))
    elif "sleep" in step:
        pump(step["sleep"])
while status is None and time.time() < deadline:
    pump(0.1)
if status is None:
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    failed = failed or {"step": "end", "killed": "still running at the limit"}
seconds = time.time() - started
pump(0.1)  # what it printed just before it ended
after = termios.tcgetattr(slave)
with open(report_path, "w") as report:
    json.dump({
        "screen": screen.decode("utf8", "replace"),
        "exit": os.waitstatus_to_exitcode(status),
        "seconds": seconds,
        # The flags and control characters; the speeds play no part in what a person sees.
        "termiosBefore": [before[0], before[1], before[2], before[3], [list(c) if isinstance(c, bytes) else c for c in before[6]]],
        "termiosAfter": [after[0], after[1], after[2], after[3], [list(c) if isinstance(c, bytes) else c for c in after[6]]],
        "echoAfter": bool(after[3] & termios.ECHO),
        "canonicalAfter": bool(after[3] & termios.ICANON),
        "failed": failed,
    }, report)
