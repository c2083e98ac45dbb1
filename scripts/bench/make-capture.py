#!/usr/bin/env python3
"""Writes a classic pcap (nanosecond) of N frames, mostly unrelated TCP/UDP traffic, with a healthy host<->container
exchange (ARP flux, echo both ways) every 10,000 frames: the input of the analyze-vs-tshark benchmark.
Usage: make-capture.py FILE [N]"""
import random
import struct
import sys

def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))

def ip(s):
    return bytes(int(x) for x in s.split("."))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

SHIM, CTR, PEER = mac("9e:63:b4:5c:c8:93"), mac("02:42:c0:a8:88:f0"), mac("52:54:00:12:34:56")
BCAST = b"\xff" * 6
HOST, CIP, OTHER = ip("192.168.136.130"), ip("192.168.136.240"), ip("10.1.2.3")

def arp(op, eth_dst, sha, spa, tha, tpa):
    return eth_dst + sha + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa

def echo(src_mac, dst_mac, src, dst, typ, ident, seq):
    payload = bytes(range(56))
    icmp = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + payload
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0x4000, 64, 1, 0, src, dst)
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    return dst_mac + src_mac + b"\x08\x00" + iph + icmp

def noise(rnd):
    proto = rnd.choice((6, 17))
    body = bytes(rnd.getrandbits(8) for _ in range(rnd.choice((20, 40, 200))))
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, proto, 0, OTHER,
                      bytes(rnd.getrandbits(8) for _ in range(4)))
    return PEER + CTR + b"\x08\x00" + iph + body

def main():
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rnd = random.Random(1)
    pool = [noise(rnd) for _ in range(512)]
    healthy = [
        arp(1, BCAST, CTR, CIP, BCAST, HOST),
        arp(2, CTR, SHIM, HOST, CTR, CIP),
        echo(SHIM, CTR, HOST, CIP, 8, 77, 1),
        echo(CTR, SHIM, CIP, HOST, 0, 77, 1),
        echo(CTR, SHIM, CIP, HOST, 8, 77, 2),
        echo(SHIM, CTR, HOST, CIP, 0, 77, 2),
    ]
    t = 1_764_300_000 * 10**9
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 262144, 1))
        i = 0
        while i < n:
            frames = healthy if i % 10_000 == 0 else (pool[i % len(pool)],)
            for fr in frames:
                t += 1500
                f.write(struct.pack("<IIII", t // 10**9, t % 10**9, len(fr), len(fr)))
                f.write(fr)
                i += 1

main()
