"""Runs a shell interactively on a new pseudo-terminal (so it loads its rc file and its line editor), types each
line of LINES_JSON once the screen has been quiet for a moment, then waits for it to exit. What the lines print
should go to files: the screen is full of redraws. Usage: interactive.py LINES_JSON SHELL [ARGS...]"""
import json, os, pty, select, sys, time

lines = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

def settle(quiet=0.5, limit=30.0):
    """Reads until nothing arrives for `quiet` seconds; False when the shell has gone."""
    last = time.time()
    end = last + limit
    while time.time() < end and time.time() - last < quiet:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return False
            except OSError:
                return False
            last = time.time()
    return True

settle(1.0)
for line in lines:
    os.write(fd, (line + "\r").encode())
    settle()
os.write(fd, b"exit\r")
settle(0.5, 10)
try:
    _, status = os.waitpid(pid, 0)
except ChildProcessError:
    status = 0
sys.exit(0)
