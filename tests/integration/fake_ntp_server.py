#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A minimal NTP server for tests: answers every client request on 127.0.0.1:PORT as a
stratum-1 server whose clock is CLOCK_REALTIME + OFFSET seconds (a falseticker when OFFSET
is large). Usage: fake_ntp_server.py PORT OFFSET_SECONDS"""
import socket
import struct
import sys
import time

NTP_UNIX = 2208988800


def ntp_ts(t):
    sec = int(t)
    frac = int((t - sec) * 2**32) & 0xFFFFFFFF
    return struct.pack("!II", (sec + NTP_UNIX) & 0xFFFFFFFF, frac)


def main():
    port, offset = int(sys.argv[1]), float(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while True:
        data, peer = s.recvfrom(1024)
        rx = time.time() + offset
        if len(data) < 48 or (data[0] & 7) != 3:
            continue
        version = (data[0] >> 3) & 7
        head = bytes([(0 << 6) | (version << 3) | 4, 1, data[2], 0xEC])  # LI 0, server, stratum 1, precision 2^-20
        root = struct.pack("!II", 0, 16)  # root delay 0, root dispersion ~0.25 ms
        refid = b"FAKE"
        tx = time.time() + offset
        reply = head + root + refid + ntp_ts(rx - 1) + data[40:48] + ntp_ts(rx) + ntp_ts(tx)
        s.sendto(reply, peer)


if __name__ == "__main__":
    main()
