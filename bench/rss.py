#!/usr/bin/env python3
"""Peak resident memory of running processes while a command runs.

  rss.py --pid PID [--pid PID ...] [--interval 0.1] -- COMMAND ...

Resets each process's high-water mark first (writing 5 to /proc/PID/clear_refs, when permitted),
samples the summed VmRSS every interval while COMMAND runs, and prints one line to stdout:

  peak_mib=… baseline_mib=… hwm_mib=… samples=… rc=…

peak_mib is the larger of the highest sampled sum and the summed VmHWM (which also catches spikes
between samples when the reset worked; without the reset VmHWM is ignored, since it could predate
the command). The exit status is COMMAND's.
"""
import argparse
import subprocess
import sys
import time


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_hwm(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, action="append", required=True)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    reset = all([reset_hwm(pid) for pid in args.pid])
    baseline = sum(status_kib(pid, "VmRSS") for pid in args.pid)
    peak, samples = baseline, 0
    child = subprocess.Popen(command)
    while True:
        done = child.poll() is not None
        peak = max(peak, sum(status_kib(pid, "VmRSS") for pid in args.pid))
        samples += 1
        if done:
            break
        time.sleep(args.interval)
    hwm = sum(status_kib(pid, "VmHWM") for pid in args.pid)
    if reset:
        peak = max(peak, hwm)
    print(
        f"peak_mib={peak / 1024:.1f} baseline_mib={baseline / 1024:.1f} "
        f"hwm_mib={hwm / 1024 if reset else float('nan'):.1f} samples={samples} rc={child.returncode}"
    )
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
