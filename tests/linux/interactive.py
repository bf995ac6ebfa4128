#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Drive Debian's arm64 kernel's busybox shell on Chimera through a
pseudo-terminal, as a user at a terminal would: wait for the prompt, type
`echo hi-$((6*7))` and see `hi-42`, check that the idle shell leaves the host
CPU idle (the guest waits in WFI), then quit with Ctrl-A x and check that
Chimera exits with status 0 and gives the terminal back as it found it.

    tests/linux/interactive.py          (fetches and builds as tests/linux/boot.sh)
"""
import os
import pty
import select
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHIMERA = os.path.join(ROOT, "target", "release", "chimera")


def fail(why):
    sys.exit(f"tests/linux/interactive.py: FAILED: {why}")


def read_until(fd, needle, timeout, seen):
    """Read from the pty master until `needle` appears; returns everything read."""
    end = time.monotonic() + timeout
    while needle not in seen:
        left = end - time.monotonic()
        if left <= 0:
            fail(f"no {needle!r} after {timeout} s; the terminal showed:\n{seen.decode(errors='replace')[-2000:]}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                fail(f"the terminal closed before {needle!r}:\n{seen.decode(errors='replace')[-2000:]}")
            seen += chunk
    return seen


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc (clock ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    work = tempfile.mkdtemp()
    subprocess.run([os.path.join(ROOT, "tests/linux/boot.sh"), "--prepare", work,
                    "--init", os.path.join(ROOT, "tests/linux/init-shell.sh")], check=True)
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    child = subprocess.Popen([CHIMERA, "run", "-M", "virt", "-m", "512M", "--kernel", f"{work}/Image",
                              "--initrd", f"{work}/initrd.gz", "--append", "console=ttyAMA0", "--no-reboot"],
                             stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    seen = read_until(master, b"init: shell", 300, b"")
    seen = read_until(master, b"/ # ", 60, seen)
    # busybox asks the terminal for the cursor position (ESC [ 6 n) and
    # waits briefly for an answer; answer it as a terminal would.
    os.write(master, b"\x1b[24;5R")
    time.sleep(0.5)
    os.write(master, b"echo hi-$((6*7))\r")
    seen = read_until(master, b"hi-42", 60, seen)
    seen = read_until(master, b"/ # ", 60, seen)
    # An idle shell: the kernel waits in WFI, so Chimera sleeps.
    time.sleep(1)
    t0, c0 = time.monotonic(), cpu_seconds(child.pid)
    time.sleep(3)
    t1, c1 = time.monotonic(), cpu_seconds(child.pid)
    idle = (c1 - c0) / (t1 - t0)
    print(f"idle shell: Chimera used {100 * idle:.1f}% of one host CPU over {t1 - t0:.1f} s")
    if idle > 0.25:
        fail(f"an idle guest keeps the host busy ({100 * idle:.0f}% of a CPU)")
    # Ctrl-A x: quit.
    os.write(master, b"\x01x")
    try:
        status = child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        fail("Ctrl-A x did not end the run")
    if status != 0:
        fail(f"Chimera exited with status {status} after Ctrl-A x")
    after = termios.tcgetattr(slave)
    if before != after:
        fail(f"the terminal was not restored: {before} -> {after}")
    print("tests/linux/interactive.py: typed a command, saw its output, quit with Ctrl-A x; terminal restored")


if __name__ == "__main__":
    main()
