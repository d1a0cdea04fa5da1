#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# What the loopback tests assume of this machine: nobody slews CLOCK_REALTIME while they run.
# Their chronyd serves CLOCK_REALTIME and ffclockd stamps with the raw counter, so a system
# time daemon correcting the kernel clock (chrony slews at up to 83 ms/s) moves the reference
# against the counter, and ffclockd rightly publishes UNRELIABLE. When a test fails, this says
# whether that was happening.
#   kernel_clock.py mark FILE     note CLOCK_REALTIME and CLOCK_MONOTONIC_RAW in FILE
#   kernel_clock.py report FILE   their relative rate since the mark, adjtimex, time daemons;
#                                 exits 3 when something was adjusting the kernel clock
#   kernel_clock.py report        the same over one second
#   kernel_clock.py stop          SIGTERM to the time daemons that may set the clock (CI)
import ctypes
import os
import signal
import sys
import time


class Timex(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
                ("constant", ctypes.c_long), ("precision", ctypes.c_long), ("tolerance", ctypes.c_long),
                ("sec", ctypes.c_long), ("usec", ctypes.c_long), ("tick", ctypes.c_long),
                ("ppsfreq", ctypes.c_long), ("jitter", ctypes.c_long), ("shift", ctypes.c_int),
                ("stabil", ctypes.c_long), ("jitcnt", ctypes.c_long), ("calcnt", ctypes.c_long),
                ("errcnt", ctypes.c_long), ("stbcnt", ctypes.c_long), ("tai", ctypes.c_int),
                ("pad", ctypes.c_int * 11)]


STA_UNSYNC, STA_NANO = 0x0040, 0x2000
ADJ_OFFSET_SS_READ = 0xa001  # reads the adjtime() slew still to run, in µs


def clocks():
    return time.clock_gettime_ns(time.CLOCK_REALTIME), time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW)


# Beyond this, CLOCK_REALTIME's rate against CLOCK_MONOTONIC_RAW is a slew or a step, not the
# constant frequency correction a time daemon may have left behind (tens of ppm).
SLEWED_PPM = 100


def adjtimex_state():
    """(text, whether a correction is still running)"""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        t = Timex()
        if libc.adjtimex(ctypes.byref(t)) < 0:
            return "adjtimex: unavailable", False
        pll_offset_us = t.offset / 1000 if t.status & STA_NANO else t.offset
        slew = Timex(modes=ADJ_OFFSET_SS_READ)
        remaining = slew.offset if libc.adjtimex(ctypes.byref(slew)) >= 0 else 0
        text = (f"adjtimex: freq {t.freq / 65536:+.3f} ppm, tick {t.tick}, PLL offset {pll_offset_us:+.0f} us, "
                f"adjtime slew left {remaining} us, {'unsynchronized' if t.status & STA_UNSYNC else 'synchronized'}")
        return text, abs(pll_offset_us) >= 1 or remaining != 0
    except OSError as e:
        return f"adjtimex: {e}", False


def time_daemons():
    """[(name, pid)] of the daemons that may set the clock (chronyd -x never does)"""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        name = os.path.basename(argv[0]).decode(errors="replace")
        if name in ("chronyd", "ntpd", "systemd-timesyncd", "openntpd", "ptp4l", "phc2sys") and b"-x" not in argv:
            found.append((name, int(pid)))
    return found


def time_daemons_text():
    found = time_daemons()
    return "time daemons that may set the clock: " + (", ".join(f"{n}[{p}]" for n, p in found) or "none")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "mark":
        with open(sys.argv[2], "w") as f:
            f.write("%d %d\n" % clocks())
        return 0
    if sys.argv[1:] == ["stop"]:
        for name, pid in time_daemons():
            try:
                os.kill(pid, signal.SIGTERM)
                print(f"stopped {name}[{pid}]")
            except OSError as e:
                print(f"{name}[{pid}]: {e}")
        return 0
    if sys.argv[1:2] != ["report"]:
        print("usage: kernel_clock.py mark FILE | report [FILE] | stop", file=sys.stderr)
        return 2
    if len(sys.argv) == 3:
        with open(sys.argv[2]) as f:
            real0, raw0 = map(int, f.read().split())
    else:
        real0, raw0 = clocks()
        time.sleep(1)
    real1, raw1 = clocks()
    span = raw1 - raw0
    rate = ((real1 - real0) - span) / span * 1e6 if span > 0 else float("nan")
    print(f"CLOCK_REALTIME ran {rate:+.1f} ppm against CLOCK_MONOTONIC_RAW over {span / 1e9:.1f} s "
          f"(a free-running kernel clock: a few ppm; a slewing time daemon: hundreds to 83333)")
    text, correcting = adjtimex_state()
    print(text)
    print(time_daemons_text())
    if abs(rate) > SLEWED_PPM or correcting:
        print("the kernel clock was being adjusted: a reference serving it moved against the counter")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
