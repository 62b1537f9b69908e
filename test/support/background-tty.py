"""Runs a command in a BACKGROUND process group of a new pseudo-terminal: the terminal is its controlling terminal,
but its foreground group is another (as for `cmd &` in an interactive shell, or a job after Ctrl+Z and bg). stdout
is left as it is; stdin and stderr are on the terminal, whose text is copied to our stderr. A command that stops
(SIGTTIN or SIGTTOU: it touched the terminal from the background) is reported as `STOPPED` on our stderr and killed.
Exit status: the command's, 125 when it stopped or ran past 30 s. Usage: background-tty.py CMD [ARGS...]"""
import fcntl, os, select, sys, termios, time

master, slave = os.openpty()
leader = os.fork()
if leader == 0:
    # The terminal's session leader, in the foreground group; the command goes into a group of its own.
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    os.dup2(slave, 0)
    os.dup2(slave, 2)
    os.close(master)
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        os.execvp(sys.argv[1], sys.argv[1:])
    status = 125
    deadline = time.time() + 30
    while time.time() < deadline:
        done, raw = os.waitpid(pid, os.WUNTRACED | os.WNOHANG)
        if done and os.WIFSTOPPED(raw):
            os.write(2, b"\nSTOPPED\n")
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            break
        if done:
            status = os.waitstatus_to_exitcode(raw)
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
    os._exit(status if status >= 0 else 128 - status)
os.close(slave)
seen = b""
while True:
    ready, _, _ = select.select([master], [], [], 0.1)
    if ready:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    done, raw = os.waitpid(leader, os.WNOHANG)
    if done:
        break
sys.stderr.write(seen.decode("utf8", "replace"))
if not done:
    done, raw = os.waitpid(leader, 0)
sys.exit(os.waitstatus_to_exitcode(raw))
