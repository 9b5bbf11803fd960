/* kubepath.h - Kubernetes pod UID, container id and QoS class from a
 * memory cgroup path, so PromQL can join headroom's series with
 * kube-state-metrics (pod uid) and cAdvisor (container id).
 *
 * The kubelet names cgroups by its cgroup driver (the same on v1 and v2):
 *   cgroupfs: /kubepods/burstable/pod1b2c.../<64-hex container id>
 *             /kubepods/pod1b2c.../<id>                 (Guaranteed: no QoS level)
 *   systemd:  /kubepods.slice/kubepods-besteffort.slice/
 *                 kubepods-besteffort-pod1b2c_..._.slice/cri-containerd-<id>.scope
 *             (the UID's '-' become '_' in a unit name; the scope prefix is the
 *             runtime's: docker-, cri-containerd-, crio-; crio-conmon-<id> is
 *             CRI-O's monitor process, not a container)
 * A "kubepods" component may sit below other levels (kind, a nested
 * kubelet: /kubelet.slice/.../kubepods.slice/...); the first one counts.
 *
 * kubepath_parse() is pure: no I/O, no allocation, no logging; the unit
 * tests and tests/fuzz/fuzz_kubepath.c call it.
 */
#ifndef HR_SNAPSHOT_KUBEPATH_H
#define HR_SNAPSHOT_KUBEPATH_H

#include <stddef.h>

#define KUBEPATH_UID_MAX 64	/* a UID is 36; longer is malformed */
#define KUBEPATH_CID_MAX 128	/* a container id is 64 hex digits */

struct kubepath {
	char qos[16];			/* "guaranteed", "burstable", "besteffort"; "" above a pod */
	char pod_uid[KUBEPATH_UID_MAX + 1];	/* with '-' (systemd '_' undone); "" above a pod */
	char container_id[KUBEPATH_CID_MAX + 1];	/* "" for the pod level, pause-less paths */
};

/* Fills *out from the cgroup path path[0..len) ("/a/b", relative to the
 * hierarchy's mount). Returns 0 for a path at or below a kubepods
 * component (fields it does not reach are ""); -ENOENT for a path outside
 * kubepods; -EINVAL for a pod or container component that is not well
 * formed (wrong characters, too long). *out is zeroed first on every
 * return. */
int kubepath_parse(const char *path, size_t len, struct kubepath *out);

#endif
