#!/usr/bin/env python3
"""CPU seconds of one JVM's threads, grouped by role, polled from /proc until the JVM exits.

    thread_cpu.py MARKER OUT   waits for the process whose command line contains MARKER, then writes to OUT
                               one line: writer=..;details=..;main=..;gc=..;jit=..;other=..

The JVM names its threads (the connector's writer and details threads, the compiler threads, the VM thread
that runs the serial collector); DuckDB's own threads inherit the name of the thread that created them.
A thread's last half-second before the process ends is not seen (polling), a few tenths of a second at most.
"""
import os
import sys
import time

ROLES = [("clari-batch-wri", "writer"), ("clari-details", "details"), ("C1 CompilerThre", "jit"),
         ("C2 CompilerThre", "jit"), ("VM Thread", "gc"), ("GC Thread", "gc"), ("java", "main")]


def find(marker, timeout=30):
    end = time.time() + timeout
    me = str(os.getpid())
    while time.time() < end:
        for p in os.listdir("/proc"):
            if not p.isdigit() or p == me:
                continue
            try:
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    cmd = f.read().split(b"\0")
            except OSError:
                continue
            if cmd and cmd[0].endswith(b"java") and any(marker.encode() in a for a in cmd):
                return p
        time.sleep(0.05)
    return None


def main():
    marker, out = sys.argv[1], sys.argv[2]
    pid = find(marker)
    if pid is None:
        return
    tick = os.sysconf("SC_CLK_TCK")
    last = {}
    while os.path.exists(f"/proc/{pid}"):
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            break
        for t in tasks:
            try:
                with open(f"/proc/{pid}/task/{t}/stat") as f:
                    s = f.read()
            except OSError:
                continue
            name = s[s.index("(") + 1:s.rindex(")")]
            fields = s[s.rindex(")") + 2:].split()
            last[t] = (name, (int(fields[11]) + int(fields[12])) / tick)
        time.sleep(0.5)
    sums = {"writer": 0.0, "details": 0.0, "main": 0.0, "gc": 0.0, "jit": 0.0, "other": 0.0}
    for name, cpu in last.values():
        role = next((r for prefix, r in ROLES if name.startswith(prefix)), "other")
        sums[role] += cpu
    with open(out, "w") as f:
        f.write(";".join(f"{k}={v:.1f}" for k, v in sums.items()) + "\n")


if __name__ == "__main__":
    main()
