"""Runs a shell interactively on a new pseudo-terminal (so it loads its rc file and its line editor) and types the
lines of LINES_JSON one by one. Each line must append a line to MARKER_FILE when it is done; the next one is typed
only then (up to 30 s each), so a slow machine cannot make typing outrun the shell. What the lines print should go
to files: the screen is full of redraws. Usage: interactive.py LINES_JSON MARKER_FILE SHELL [ARGS...]"""
import json, os, pty, select, sys, time

lines = json.loads(sys.argv[1])
marker = sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])

def drain(seconds):
    """Reads the screen for a while, so the shell never blocks on a full terminal."""
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return

def done_count():
    try:
        with open(marker) as f:
            return len(f.read().splitlines())
    except FileNotFoundError:
        return 0

for index, line in enumerate(lines, start=1):
    os.write(fd, (line + "\r").encode())
    deadline = time.time() + 30
    while done_count() < index and time.time() < deadline:
        drain(0.05)
os.write(fd, b"exit\r")
drain(0.5)
try:
    os.waitpid(pid, 0)
except ChildProcessError:
    pass
