#!/usr/bin/env python3
"""net_table.py - the table of the network proof from guest-net.sh's rows.

Reads the guest output on stdin, keeps the "row: k=v ..." lines and prints,
per kernel, the medians over the rounds of each variant: memory drops in % of
the datagrams sent (MemErrors, or InErrors - RcvbufErrors where the kernel
has no MemErrors, i.e. 5.10), all losses (sent - received), TCP p99 RTT and
its ratio to the no-filler baseline, filler MB/s and its ratio to no agent,
memory.events max/high, and the reclaimer's CPU per GiB reclaimed (sum over
rounds). Then one "summary: kernel=K variant=V key=value ..." line per
variant for the tests to parse.
"""
import statistics
import sys


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def main():
    rows = []
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("row: "):
            continue
        d = {}
        for kv in line[5:].split():
            k, _, v = kv.partition("=")
            d[k] = v
        rows.append(d)
    kernels = []
    for d in rows:
        if d["kernel"] not in kernels:
            kernels.append(d["kernel"])
    for k in kernels:
        table(k, [d for d in rows if d["kernel"] == k])


def num(d, key):
    v = d.get(key, "")
    try:
        return float(v)
    except ValueError:
        return None


def drops(d):
    me = num(d, "memerrors")
    if me is not None and me >= 0:
        return me
    ie, rb = num(d, "inerrors"), num(d, "rcvbuferrors")
    return None if ie is None or rb is None else ie - rb


def pct(a, b):
    return None if a is None or not b else 100.0 * a / b


def table(kernel, rows):
    summ = {}
    order = []
    for d in rows:
        if d["variant"] not in order:
            order.append(d["variant"])
    by = {v: [d for d in rows if d["variant"] == v] for v in order}
    base_p99 = med([num(d, "p99_us") for d in by.get("nofill", [])])
    none_fill = med([num(d, "fill_mbps") for d in by.get("none", [])])
    dnone_fill = med([num(d, "fill_mbps") for d in by.get("dnone", [])])
    rounds = max(len(v) for v in by.values())
    print(f"kernel {kernel}: medians of {rounds} interleaved rounds")
    net = [v for v in order if not v.startswith("d")]
    dirty = [v for v in order if v.startswith("d")]
    if net:
        print(f"  {'variant':<10} {'drop %':>7} {'lost %':>7} {'p50 ms':>7} {'p99 ms':>7} {'p99/base':>8} "
              f"{'>10ms':>6} {'fill MB/s':>9} {'fill/none':>9} {'ev max':>7} {'ev high':>7} {'cpu ms/GiB':>10}")
    for v in net + dirty:
        rs = by[v]
        drop = med([pct(drops(d), num(d, "sent")) for d in rs])
        lost = med([pct((num(d, "sent") or 0) - (num(d, "received") or 0), num(d, "sent")) for d in rs])
        p50 = med([num(d, "p50_us") for d in rs])
        p99 = med([num(d, "p99_us") for d in rs])
        over = med([num(d, "over10ms") for d in rs])
        fill = med([num(d, "fill_mbps") for d in rs])
        emax = med([num(d, "events_max") for d in rs])
        ehigh = med([num(d, "events_high") for d in rs])
        cpu = sum(num(d, "agent_cpu_ns") or 0 for d in rs)
        recl = sum(num(d, "reclaimed") or 0 for d in rs)
        cpu_gib = cpu / 1e6 / (recl / 2**30) if recl > 0 else None
        fill_base = dnone_fill if v.startswith("d") else none_fill
        ratio_fill = fill / fill_base if fill is not None and fill_base else None
        ratio_p99 = p99 / base_p99 if p99 is not None and base_p99 else None
        if v == dirty[0] if dirty else False:
            print(f"  {'dirty':<10} {'':>7} {'':>7} {'':>7} {'':>7} {'':>8} {'':>6} {'write MB/s':>9} {'w/dnone':>9}")
        if v.startswith("d"):
            print(f"  {v:<10} {'':>7} {'':>7} {'':>7} {'':>7} {'':>8} {'':>6} {fmt(fill, '9.1f')} "
                  f"{fmt(ratio_fill, '9.2f')} {fmt(emax, '7.0f')} {fmt(ehigh, '7.0f')} {fmt(cpu_gib, '10.0f')}")
        else:
            print(f"  {v:<10} {fmt(drop, '7.2f')} {fmt(lost, '7.2f')} {fmt(p50 and p50 / 1000, '7.2f')} "
                  f"{fmt(p99 and p99 / 1000, '7.2f')} {fmt(ratio_p99, '8.2f')} {fmt(over, '6.0f')} "
                  f"{fmt(fill, '9.1f')} {fmt(ratio_fill, '9.2f')} {fmt(emax, '7.0f')} {fmt(ehigh, '7.0f')} "
                  f"{fmt(cpu_gib, '10.0f')}")
        summ[(kernel, v)] = dict(drop_pct=drop, lost_pct=lost, p99_ms=p99 and p99 / 1000, p99_ratio=ratio_p99,
                                 fill_mbps=fill, fill_ratio=ratio_fill, events_max=emax, events_high=ehigh,
                                 cpu_ms_per_gib=cpu_gib, rounds=len(rs),
                                 drop_rounds_max=max((pct(drops(d), num(d, "sent")) or 0) for d in rs),
                                 events_max_max=max((num(d, "events_max") or 0) for d in rs))
    for (_, v), s in summ.items():
        print(f"summary: kernel={kernel} variant={v} " +
              " ".join(f"{a}={'-' if b is None else (f'{b:.4g}' if isinstance(b, float) else b)}"
                       for a, b in s.items()))


if __name__ == "__main__":
    main()
