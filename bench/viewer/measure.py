#!/usr/bin/env python3
"""Runs one process for the viewer benchmark and measures it (Python 3, standard library only).

    measure.py --out RUN.json [--window S] [--stdout FILE] [--stderr FILE] -- COMMAND...

start_mono_ns is CLOCK_MONOTONIC (time.monotonic_ns()) read right before the process is
spawned: the same clock as the viewer report's mono_ns, so "time from start to the first
frame" is a subtraction. realtime_minus_mono_ns maps it to the system clock, which is the
server's clock (streamsync-server answers NTP from std::chrono::system_clock) on one machine.

With --window S the process is sampled every 0.25 s and, S seconds after the spawn, its CPU time
(utime + stime of all its threads, /proc/PID/stat) and peak RSS (VmHWM, /proc/PID/status) are
read: `at_window`. It is then sent SIGTERM (SIGKILL 5 s later). Without --window it is waited
for. Either way `exit` holds wait4()'s rusage (CPU time up to the exit, ru_maxrss).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def proc_sample(pid):
    """(utime_s, stime_s, vmhwm_kb, vmrss_kb) of a running process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # fields from 3 (state) on
    if fields[0] == "Z":
        return None
    utime, stime = int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK
    kb = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            kb[key] = int(value.split()[0])
    return utime, stime, kb.get("VmHWM", 0), kb.get("VmRSS", 0)


def realtime_minus_mono_ns():
    """CLOCK_REALTIME − CLOCK_MONOTONIC, from the tightest of a few bracketed readings."""
    best = None
    for _ in range(5):
        a = time.monotonic_ns()
        r = time.clock_gettime_ns(time.CLOCK_REALTIME)
        b = time.monotonic_ns()
        if best is None or b - a < best[0]:
            best = (b - a, r - (a + b) // 2)
    return best[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--window", type=float)
    parser.add_argument("--stdout", default=os.devnull)
    parser.add_argument("--stderr", default=os.devnull)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    offset_before = realtime_minus_mono_ns()
    with open("/proc/loadavg") as f:
        loadavg = " ".join(f.read().split()[:3])
    out = open(args.stdout, "wb")
    err = open(args.stderr, "wb")
    start = time.monotonic_ns()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    pid = proc.pid

    def stop(signum, _frame):  # the benchmark is being stopped: take the child along
        print(f"measure.py: stopped by signal {signum} after "
              f"{(time.monotonic_ns() - start) / 1e9:.1f} s; stopping {command[0]}", file=sys.stderr)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        sys.exit(128 + signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    samples = []  # [seconds since start, cpu_s, vmrss_mb]
    at_window = None
    exited = None  # (status, rusage)
    deadline = start + int(args.window * 1e9) if args.window else None
    kill_at = None  # set when SIGTERM has been sent
    next_sample = start
    while exited is None:
        now = time.monotonic_ns()
        if now >= next_sample:
            s = proc_sample(pid)
            if s:
                samples.append([round((now - start) / 1e9, 3), round(s[0] + s[1], 3),
                                round(s[3] / 1024, 1)])
            next_sample += 250_000_000
        if deadline is not None and kill_at is None and now >= deadline:
            s = proc_sample(pid)
            if s:
                at_window = {"t_s": round((now - start) / 1e9, 3), "utime_s": s[0],
                             "stime_s": s[1], "cpu_s": round(s[0] + s[1], 3),
                             "vmhwm_kb": s[2], "vmrss_kb": s[3]}
            os.kill(pid, signal.SIGTERM)
            kill_at = now + 5_000_000_000
        if kill_at is not None and time.monotonic_ns() >= kill_at:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        wpid, status, rusage = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            exited = (status, rusage)
            break
        wake = next_sample if deadline is None or kill_at is not None else min(next_sample, deadline)
        time.sleep(max(0.0, min(0.05, (wake - time.monotonic_ns()) / 1e9)))
    end = time.monotonic_ns()
    proc.returncode = 0  # reaped by wait4 above; keep Popen from waiting again
    status, rusage = exited

    result = {
        "command": command,
        "start_mono_ns": start,
        "realtime_minus_mono_ns": offset_before,
        "realtime_minus_mono_ns_after": realtime_minus_mono_ns(),
        "loadavg_at_start": loadavg,
        "window_s": args.window,
        "wall_s": round((end - start) / 1e9, 3),
        "at_window": at_window,
        "exit": {
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "cpu_s": round(rusage.ru_utime + rusage.ru_stime, 3),
            "utime_s": round(rusage.ru_utime, 3),
            "stime_s": round(rusage.ru_stime, 3),
            "maxrss_kb": rusage.ru_maxrss,
        },
        "samples": samples,
    }
    with open(args.out, "w") as f:
        json.dump(result, f)
    early = args.window is not None and at_window is None
    if early:
        print(f"measure.py: {command[0]} exited after {result['wall_s']} s, before its "
              f"{args.window} s window", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
