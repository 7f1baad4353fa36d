#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""trace_pcap_check.py: netdrill's JSON trace against its own capture.

For every .pkt under the given paths (and each address variant, with the
addresses of packetdrill's run_all.py), run netdrill once with
--trace-format=json --trace-file=T --pcap=P, then check that
  - every line of T parses as JSON (one object per line), and
  - the packet records of T, in order, are the packets of P, byte for
    byte (the "ip" field against each pcap record's data).
Prints one line per run that does not hold and a summary; exits 1 if any
run does not hold, 2 on a usage error. The script's own verdict (pass or
fail) does not matter: a failing run's trace must match its capture too.

usage: trace_pcap_check.py [-j N] [-V ipv4,ipv6,ipv4-mapped-ipv6] NETDRILL PATH...
"""
import argparse
import concurrent.futures
import json
import os
import struct
import subprocess
import sys
import tempfile

VARIANTS = {
    "ipv4": "--ip_version=ipv4 --local_ip=192.168.0.1 --gateway_ip=192.168.0.1"
            " --netmask_ip=255.255.0.0 --remote_ip=192.0.2.1"
            " -D TFO_COOKIE=3021b9d889017eeb -D CODE=host_unreachable"
            " -D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR",
    "ipv6": "--ip_version=ipv6 --mtu=1520 --local_ip=fd3d:0a0b:17d6::1"
            " --gateway_ip=fd3d:0a0b:17d6:8888::1 --remote_ip=fd3d:fa7b:d17d::1"
            " -D TFO_COOKIE=c1d1e9742a47a9bc -D CODE=no_route"
            " -D CMSG_LEVEL_IP=SOL_IPV6 -D CMSG_TYPE_RECVERR=IPV6_RECVERR",
    "ipv4-mapped-ipv6": "--ip_version=ipv4-mapped-ipv6 --local_ip=192.168.0.1"
            " --gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0"
            " --remote_ip=192.0.2.1 -D TFO_COOKIE=3021b9d889017eeb"
            " -D CODE=host_unreachable -D CMSG_LEVEL_IP=SOL_IPV6"
            " -D CMSG_TYPE_RECVERR=IPV6_RECVERR",
}


def pcap_packets(path):
    """The data of each record of a classic pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("short pcap file")
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        endian = ">"
    else:
        raise ValueError("not a pcap file")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    # raw IP link types carry the datagram as is; Linux cooked (113) and
    # Ethernet (1) have a header in front
    skip = {228: 0, 229: 0, 101: 0, 12: 0, 14: 0, 1: 14, 113: 16}.get(linktype)
    if skip is None:
        raise ValueError("link type %d" % linktype)
    out, off = [], 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        out.append(data[off + skip:off + incl])
        off += incl
    return out


def check(netdrill, script, variant):
    """None if the run holds, else why not."""
    d, name = os.path.dirname(script), os.path.basename(script)
    with tempfile.TemporaryDirectory(prefix="ndtrace.") as tmp:
        pcap = os.path.join(tmp, "run.pcap")
        trace = os.path.join(tmp, "run.jsonl")
        cmd = [netdrill] + VARIANTS[variant].split() + [
            "--pcap=" + pcap, "--trace-format=json", "--trace-file=" + trace,
            "--timeout=60", name]
        r = subprocess.run(cmd, cwd=d, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if not os.path.exists(trace):
            return "no trace written (exit %d): %s" % (
                r.returncode, r.stdout.decode(errors="replace")[-300:])
        if not os.path.exists(pcap):
            return "no capture written (exit %d)" % r.returncode
        traced = []
        with open(trace, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    return "line %d of the trace is not JSON: %s" % (i, e)
                if not isinstance(rec, dict):
                    return "line %d of the trace is not an object" % i
                if rec.get("type") == "packet":
                    traced.append(bytes.fromhex(rec["ip"]))
        try:
            captured = pcap_packets(pcap)
        except ValueError as e:
            return "bad capture: %s" % e
        if len(traced) != len(captured):
            return "%d packets traced, %d captured" % (len(traced),
                                                      len(captured))
        for i, (a, b) in enumerate(zip(traced, captured)):
            if a != b:
                return "packet %d differs (%d vs %d bytes)" % (i + 1, len(a),
                                                              len(b))
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-V", default="ipv4")
    ap.add_argument("netdrill")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    variants = a.V.split(",")
    for v in variants:
        if v not in VARIANTS:
            print("unknown variant %s" % v, file=sys.stderr)
            return 2
    scripts = []
    for p in a.paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                scripts += [os.path.join(root, f) for f in files
                            if f.endswith(".pkt")]
        else:
            scripts.append(p)
    runs = []
    for s in sorted(os.path.abspath(s) for s in scripts):
        for v in variants:
            # as run_all.py: *v6.pkt only over IPv6, *v4.pkt only over IPv4
            if (v != "ipv6" and s.endswith("v6.pkt")) or \
               (v == "ipv6" and s.endswith("v4.pkt")):
                continue
            runs.append((s, v))
    netdrill = os.path.abspath(a.netdrill)
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(a.j) as ex:
        futs = [(s, v, ex.submit(check, netdrill, s, v)) for s, v in runs]
        for s, v, fut in futs:
            why = fut.result()
            if why:
                bad += 1
                print("MISMATCH %s %s: %s" % (v, s, why))
    print("%d runs: %d traces are JSON lines whose packets equal the "
          "capture, %d do not" % (len(runs), len(runs) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
