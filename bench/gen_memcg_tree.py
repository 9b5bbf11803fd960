#!/usr/bin/env python3
"""gen_memcg_tree.py OUT N [--systemd|--cgroupfs] - a SYNTHETIC cgroup v2 root
with N kubepods containers (N/2 pods x 2 containers), for the Prometheus
renderer's golden (N small) and bench/bench_prom.sh (N = 1000).

Imitates Linux 6.18 file formats (memory.events with sock_throttled,
cgroup.stat with nr_dying_subsys_memory). Every container has a memory.max;
its usage is 50..99 % of it (deterministic: no random numbers) and one in
seven has memory.events max hits, one in 23 an OOM kill.
"""
import os
import sys

UID = "%08x-1b7d-4e8a-9c3f-%012x"
CID = "%064x"


def write(d, name, text):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


def cgroup(d, usage, limit, hits=0, ooms=0, sock=0, dying=0, descendants=0):
    write(d, "cgroup.controllers", "cpu io memory pids\n")
    write(d, "cgroup.procs", "")
    write(d, "cgroup.stat", "nr_descendants %d\nnr_subsys_memory 1\nnr_dying_descendants %d\n"
          "nr_dying_subsys_memory %d\n" % (descendants, dying, dying))
    write(d, "memory.current", "%d\n" % usage)
    write(d, "memory.max", "%s\n" % (limit if limit else "max"))
    write(d, "memory.high", "max\n")
    ev = ("low 0\nhigh 0\nmax %d\noom %d\noom_kill %d\noom_group_kill 0\nsock_throttled %d\n"
          % (hits, ooms, ooms, 1 if sock else 0))
    write(d, "memory.events", ev)
    write(d, "memory.events.local", ev)
    file_b = usage * 6 // 10
    write(d, "memory.stat", "anon %d\nfile %d\nkernel 8388608\nsock %d\nshmem 0\nfile_mapped 0\n"
          "file_dirty 0\nfile_writeback 0\ninactive_anon %d\nactive_anon 0\ninactive_file %d\n"
          "active_file %d\nunevictable 0\n"
          % (usage - file_b, file_b, sock, usage - file_b, file_b * 3 // 4, file_b - file_b * 3 // 4))


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    systemd = "--cgroupfs" not in sys.argv
    write(os.path.join(out, "proc/self"), "mounts",
          "proc /proc proc rw 0 0\ncgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n")
    write(os.path.join(out, "proc"), "meminfo", "MemTotal:       67108864 kB\nMemFree:         1048576 kB\n"
          "MemAvailable:    4194304 kB\n")
    write(os.path.join(out, "proc/sys/kernel"), "osrelease", "6.18.44-synthetic\n")
    root = os.path.join(out, "sys/fs/cgroup")
    pods = (n + 1) // 2
    cgroup(root, 1 << 34, 0, dying=3, descendants=pods * 3 + 2)
    kp = os.path.join(root, "kubepods.slice" if systemd else "kubepods")
    cgroup(kp, 1 << 33, 0, descendants=pods * 3 + 1)
    qd = os.path.join(kp, "kubepods-burstable.slice" if systemd else "burstable")
    cgroup(qd, 1 << 33, 0, descendants=pods * 3)
    made = 0
    for p in range(pods):
        uid = UID % (p, p)
        pd = os.path.join(qd, ("kubepods-burstable-pod%s.slice" % uid.replace("-", "_"))
                          if systemd else "pod" + uid)
        cgroup(pd, 0, 0, descendants=2)
        for c in range(2):
            if made == n:
                break
            k = p * 2 + c
            limit = (256 + (k % 16) * 64) << 20
            usage = limit * (50 + (k * 37) % 50) // 100
            cid = CID % (k + 1)
            cd = os.path.join(pd, ("cri-containerd-%s.scope" % cid) if systemd else cid)
            cgroup(cd, usage, limit, hits=(k * 11 if k % 7 == 0 else 0),
                   ooms=(1 if k % 23 == 0 else 0), sock=(4096 if k % 5 == 0 else 0))
            made += 1
    with open(os.path.join(out, "SOURCE"), "w") as f:
        f.write("SYNTHETIC (hand-made by bench/gen_memcg_tree.py %d%s, not a capture). Imitates a\n"
                "cgroup v2 Kubernetes node (Linux 6.18 formats), kubelet %s driver: %d containers\n"
                "in %d burstable pods, each with memory.max, usage 50-99 %% of it, every 7th with\n"
                "memory.events max hits, every 23rd with an OOM kill.\n"
                % (n, "" if systemd else " --cgroupfs", "systemd" if systemd else "cgroupfs", n, pods))


main()
