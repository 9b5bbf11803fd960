#!/usr/bin/env python3
"""check_manifests.py - dist/kubernetes/ holds what issue 10 asks of the
node DaemonSet, checked on its structure (python3-yaml; no cluster):
hostPID and hostNetwork; hostPath /proc, /sys, /dev/kmsg mounted under /host
with --root=/host; capabilities: drop ALL, add only SYSLOG, SYS_PTRACE,
IPC_LOCK; no privileged, no privilege escalation, a read-only root fs;
requests equal to limits; liveness and readiness probes on /metrics at the
metrics port; a toleration for every taint; scrape annotations naming that
port; a PodMonitor selecting the pods by the same labels and port name; a
Dockerfile FROM scratch copying the static binary.
Prints one line per problem and a summary; exit 1 on any.
"""
import sys

import yaml

ALLOWED_CAPS = {"SYSLOG", "SYS_PTRACE", "IPC_LOCK"}


def main():
    problems = []

    def need(cond, what):
        if not cond:
            problems.append(what)

    docs = [d for d in yaml.safe_load_all(open("dist/kubernetes/daemonset.yaml")) if d]
    kinds = {d["kind"]: d for d in docs}
    for k in ("Namespace", "ServiceAccount", "DaemonSet"):
        need(k in kinds, f"daemonset.yaml: no {k}")
    ds = kinds["DaemonSet"]
    pod = ds["spec"]["template"]["spec"]
    labels = ds["spec"]["template"]["metadata"]["labels"]
    need(ds["spec"]["selector"]["matchLabels"].items() <= labels.items(),
         "selector does not match the pod labels")
    need(pod.get("hostPID") is True, "hostPID must be true")
    need(pod.get("hostNetwork") is True, "hostNetwork must be true (/proc/net is the reader's netns)")
    need({"operator": "Exists"} in pod.get("tolerations", []), "no toleration for every taint")
    (c,) = pod["containers"]
    need("--root=/host" in c["args"], "--root=/host missing from args")
    vols = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["name"]: m for m in c["volumeMounts"]}
    for host, where, typ in (("/proc", "/host/proc", "Directory"), ("/sys", "/host/sys", "Directory"),
                             ("/dev/kmsg", "/host/dev/kmsg", "CharDevice")):
        v = [n for n, x in vols.items() if x.get("hostPath", {}).get("path") == host]
        need(len(v) == 1, f"no hostPath volume of {host}")
        if v:
            need(vols[v[0]]["hostPath"].get("type") == typ, f"{host}: type {typ} expected")
            m = mounts.get(v[0], {})
            need(m.get("mountPath") == where, f"{host} must be mounted at {where}")
            if typ == "Directory":
                need(m.get("mountPropagation") == "HostToContainer",
                     f"{host}: mountPropagation HostToContainer (submounts) expected")
    sc = c["securityContext"]
    need(not sc.get("privileged", False), "must not be privileged")
    need(sc.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation must be false")
    need(sc.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem must be true")
    need(sc["capabilities"].get("drop") == ["ALL"], "capabilities must drop ALL")
    extra = set(sc["capabilities"].get("add", [])) - ALLOWED_CAPS
    need(not extra, f"capabilities beyond what is needed: {sorted(extra)}")
    res = c["resources"]
    need(res.get("requests") and res.get("requests") == res.get("limits"),
         "requests must equal limits (Guaranteed QoS)")
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    need("metrics" in ports, "no port named metrics")
    for probe in ("livenessProbe", "readinessProbe"):
        g = c.get(probe, {}).get("httpGet", {})
        need(g.get("path") == "/metrics" and g.get("port") in ("metrics", ports.get("metrics")),
             f"{probe} must GET /metrics on the metrics port")
    ann = ds["spec"]["template"]["metadata"].get("annotations", {})
    need(ann.get("prometheus.io/scrape") == "true", "prometheus.io/scrape annotation missing")
    need(ann.get("prometheus.io/port") == str(ports.get("metrics")), "prometheus.io/port differs from the port")
    need(any(str(ports.get("metrics")) in a for a in c["args"]), "args do not listen on the metrics port")
    pm = yaml.safe_load(open("dist/kubernetes/podmonitor.yaml"))
    need(pm["kind"] == "PodMonitor" and pm["apiVersion"] == "monitoring.coreos.com/v1", "PodMonitor kind/apiVersion")
    need(pm["spec"]["selector"]["matchLabels"].items() <= labels.items(), "PodMonitor selector does not match the pods")
    need(pm["metadata"]["namespace"] == ds["metadata"]["namespace"], "PodMonitor in another namespace")
    need(any(e.get("port") == "metrics" and e.get("path") == "/metrics" for e in pm["spec"]["podMetricsEndpoints"]),
         "PodMonitor does not scrape port metrics at /metrics")
    df = [ln.split() for ln in open("dist/kubernetes/Dockerfile") if ln.strip() and not ln.startswith("#")]
    need(["FROM", "scratch"] in df, "Dockerfile must be FROM scratch")
    need(any(x[:2] == ["COPY", "headroom-static"] for x in df), "Dockerfile must COPY headroom-static")
    for p in problems:
        print(p)
    print(f"kubernetes manifests: {len(docs) + 1} objects and the Dockerfile, {len(problems)} problems")
    return 1 if problems else 0


sys.exit(main())
