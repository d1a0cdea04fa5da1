#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A client hammering an NTP server past its rate limit: COUNT mode-3 requests back to back
from one socket, then the replies collected for WAIT seconds. Prints one JSON object:
sent, replies (normal mode-4 answers), kod (stratum 0, refid RATE, LI 3, echoing one of our
transmit timestamps), other (anything else), elapsed_s (first send to last reply).
Usage: kod_client.py HOST PORT COUNT WAIT_SECONDS"""
import json
import os
import socket
import struct
import sys
import time


def main():
    host, port, count, wait = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.connect((host, port))
    sent_ts = set()
    t0 = time.monotonic()
    for _ in range(count):
        # A random transmit timestamp per request: a reply must echo one of them.
        ts = os.urandom(8)
        sent_ts.add(ts)
        req = bytes([(0 << 6) | (4 << 3) | 3, 0, 0, 0]) + bytes(36) + ts
        s.send(req)
    replies = kod = other = 0
    last = t0
    s.settimeout(0.2)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            data = s.recv(1024)
        except socket.timeout:
            continue
        last = time.monotonic()
        if len(data) < 48 or data[24:32] not in sent_ts or (data[0] & 7) != 4:
            other += 1
            continue
        li, stratum, refid = data[0] >> 6, data[1], data[12:16]
        if stratum == 0 and refid == b"RATE" and li == 3:
            kod += 1
        elif stratum != 0:
            replies += 1
        else:
            other += 1
    print(json.dumps({"sent": count, "replies": replies, "kod": kod, "other": other,
                      "elapsed_s": round(last - t0, 3)}))


if __name__ == "__main__":
    main()
