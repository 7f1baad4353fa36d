#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small stand-in for packetdrill's run_all.py, written for netdrill's
tests: it drives a packetdrill-compatible binary the way run_all.py does,
so that netdrill can be checked as a drop-in for the packetdrill binary.

Every *.pkt below PATH runs once per IP version, in its own folder, with
the address flags and -D definitions run_all.py passes (*v4.pkt scripts
skip IPv6, *v6.pkt scripts skip IPv4). A run passes if the binary exits
0. The last line is "Ran N tests: P passing, F failing, T timed out
(S sec): PATH"; the exit status is 1 if any run failed or timed out.

The binary is --binary, else $PACKETDRILL, else ./packetdrill/packetdrill
(where run_all.py looks for it)."""

import argparse
import os
import subprocess
import sys
import time

FLAGS = {
    'ipv4': ['--ip_version=ipv4', '--local_ip=192.168.0.1',
             '--gateway_ip=192.168.0.1', '--netmask_ip=255.255.0.0',
             '--remote_ip=192.0.2.1', '-D', 'TFO_COOKIE=3021b9d889017eeb',
             '-D', 'CMSG_LEVEL_IP=SOL_IP',
             '-D', 'CMSG_TYPE_RECVERR=IP_RECVERR'],
    'ipv6': ['--ip_version=ipv6', '--mtu=1520',
             '--local_ip=fd3d:0a0b:17d6::1',
             '--gateway_ip=fd3d:0a0b:17d6:8888::1',
             '--remote_ip=fd3d:fa7b:d17d::1',
             '-D', 'TFO_COOKIE=c1d1e9742a47a9bc',
             '-D', 'CMSG_LEVEL_IP=SOL_IPV6',
             '-D', 'CMSG_TYPE_RECVERR=IPV6_RECVERR'],
    'ipv4-mapped-v6': ['--ip_version=ipv4-mapped-ipv6',
                       '--local_ip=192.168.0.1', '--gateway_ip=192.168.0.1',
                       '--netmask_ip=255.255.0.0', '--remote_ip=192.0.2.1',
                       '-D', 'TFO_COOKIE=3021b9d889017eeb',
                       '-D', 'CMSG_LEVEL_IP=SOL_IPV6',
                       '-D', 'CMSG_TYPE_RECVERR=IPV6_RECVERR'],
}


def scripts_under(path):
    if os.path.isfile(path):
        return [path]
    found = []
    for folder, _, names in os.walk(path):
        found += [os.path.join(folder, n) for n in names if n.endswith('.pkt')]
    return sorted(found)


def variants_of(script):
    names = []
    if not script.endswith('v6.pkt'):
        names += ['ipv4', 'ipv4-mapped-v6']
    if not script.endswith('v4.pkt'):
        names.append('ipv6')
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('path', nargs='?', default='.')
    parser.add_argument('-v', '--verbose', action='store_true')
    parser.add_argument('-l', '--log_on_error', action='store_true')
    parser.add_argument('-S', '--serialized', action='store_true')
    parser.add_argument('--binary', default=os.environ.get(
        'PACKETDRILL', os.path.abspath('./packetdrill/packetdrill')))
    parser.add_argument('--max_runtime', type=float, default=180)
    args = parser.parse_args()

    binary = args.binary.split()
    start = time.time()
    running = []
    for script in scripts_under(args.path):
        script = os.path.abspath(script)
        folder, name = os.path.split(script)
        for variant in variants_of(script):
            cmd = binary + ['--send_omit_free'] + FLAGS[variant] + [name]
            proc = subprocess.Popen(cmd, cwd=folder, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
            running.append((proc, script, variant))
            if args.serialized:
                proc.wait()

    passing = failing = timed_out = 0
    for proc, script, variant in running:
        left = max(0.0, args.max_runtime - (time.time() - start))
        try:
            out, _ = proc.communicate(timeout=left)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            timed_out += 1
            if args.verbose:
                print('KILL [%s (%s)]' % (script, variant))
            continue
        if proc.returncode == 0:
            passing += 1
            if args.verbose:
                print('OK   [%s (%s)]' % (script, variant))
        else:
            failing += 1
            if args.verbose:
                print('FAIL [%s (%s)]' % (script, variant))
                if args.log_on_error:
                    sys.stdout.write(out.decode(errors='replace'))
    print('Ran %4d tests: %4d passing, %4d failing, %4d timed out '
          '(%.2f sec): %s' % (passing + failing + timed_out, passing,
                              failing, timed_out, time.time() - start,
                              args.path))
    sys.exit(1 if failing + timed_out else 0)


if __name__ == '__main__':
    main()
