"""Runs a command with a new pseudo-terminal as its controlling terminal (stdin and stderr on it, stdout left as
it is), answers each line in ANSWERS when the terminal shows a prompt ending in ': ', and copies what the
terminal showed to our stderr. Exit status: the command's. Usage: with-tty.py ANSWERS_JSON CMD [ARGS...]"""
import fcntl, json, os, select, sys, termios, time

answers = json.loads(sys.argv[1])
master, slave = os.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    os.dup2(slave, 0)
    os.dup2(slave, 2)
    os.close(master)
    os.execvp(sys.argv[2], sys.argv[2:])
os.close(slave)
seen = b""
done, status = 0, 0
deadline = time.time() + 30
while time.time() < deadline:
    ready, _, _ = select.select([master], [], [], 0.1)
    if ready:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
        if answers and seen.rstrip(b"\r\n").endswith(b": "):
            os.write(master, (answers.pop(0) + "\n").encode())
            seen += b"<answered>"
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
else:
    os.kill(pid, 9)
while True:  # what the command printed just before it ended
    ready, _, _ = select.select([master], [], [], 0.05)
    try:
        data = os.read(master, 4096) if ready else b""
    except OSError:
        data = b""
    if not data:
        break
    seen += data
if not done:
    _, status = os.waitpid(pid, 0)
sys.stderr.write(seen.decode("utf8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
