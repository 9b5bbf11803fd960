/* kubepath.c - pod UID / container id / QoS from kubelet cgroup names
 * (contract in kubepath.h). Example paths, from kubelet's cgroup_manager
 * naming (cgroupfs and systemd drivers):
 *   /kubepods/burstable/pod6f0a4c2e-1b7d-4e8a-9c3f-2d5e6f7a8b9c/3f1e...
 *   /kubepods.slice/kubepods-burstable.slice/
 *       kubepods-burstable-pod6f0a4c2e_1b7d_4e8a_9c3f_2d5e6f7a8b9c.slice/
 *       cri-containerd-3f1e....scope
 */
#include "snapshot/kubepath.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct comp {
	const char *s;
	size_t n;
};

static bool comp_eq(struct comp c, const char *lit)
{
	return c.n == strlen(lit) && !memcmp(c.s, lit, c.n);
}

static bool comp_starts(struct comp c, const char *lit)
{
	size_t l = strlen(lit);
	return c.n >= l && !memcmp(c.s, lit, l);
}

static bool comp_ends(struct comp c, const char *lit)
{
	size_t l = strlen(lit);
	return c.n >= l && !memcmp(c.s + c.n - l, lit, l);
}

/* Next '/'-separated non-empty component at *pos. */
static bool next_comp(const char *p, size_t len, size_t *pos, struct comp *c)
{
	while (*pos < len && p[*pos] == '/')
		(*pos)++;
	if (*pos >= len)
		return false;
	size_t b = *pos;
	while (*pos < len && p[*pos] != '/')
		(*pos)++;
	c->s = p + b;
	c->n = *pos - b;
	return true;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A UID: hex digits and '-' ('_' in systemd names becomes '-'). */
static int take_uid(const char *s, size_t n, char *out)
{
	if (n == 0 || n > KUBEPATH_UID_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '_')
			ch = '-';
		if (!is_hex(ch) && ch != '-')
			return -EINVAL;
		out[i] = ch;
	}
	out[n] = '\0';
	return 0;
}

/* A container id: hex digits (docker, containerd, CRI-O all use 64). */
static int take_cid(const char *s, size_t n, char *out)
{
	if (n == 0 || n > KUBEPATH_CID_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!is_hex(s[i]))
			return -EINVAL;
		out[i] = s[i];
	}
	out[n] = '\0';
	return 0;
}

static const char *const qos_names[] = { "burstable", "besteffort" };

/* The QoS component: cgroupfs "burstable", systemd "kubepods-burstable.slice".
 * Returns its name or NULL. */
static const char *qos_of(struct comp c, bool systemd)
{
	for (size_t i = 0; i < sizeof(qos_names) / sizeof(qos_names[0]); i++) {
		if (!systemd && comp_eq(c, qos_names[i]))
			return qos_names[i];
		if (systemd && c.n == strlen("kubepods-") + strlen(qos_names[i]) + strlen(".slice") &&
		    comp_starts(c, "kubepods-") && comp_ends(c, ".slice") &&
		    !memcmp(c.s + strlen("kubepods-"), qos_names[i], strlen(qos_names[i])))
			return qos_names[i];
	}
	return NULL;
}

/* The pod component: cgroupfs "pod<uid>", systemd "kubepods[-qos]-pod<uid>.slice". */
static int pod_of(struct comp c, bool systemd, const char *qos, char *uid)
{
	if (!systemd) {
		if (!comp_starts(c, "pod"))
			return -EINVAL;
		return take_uid(c.s + 3, c.n - 3, uid);
	}
	char pre[64];
	size_t pl = (size_t)(qos ? snprintf(pre, sizeof(pre), "kubepods-%s-pod", qos)
			     : snprintf(pre, sizeof(pre), "kubepods-pod"));
	if (!comp_starts(c, pre) || !comp_ends(c, ".slice") || c.n < pl + strlen(".slice"))
		return -EINVAL;
	return take_uid(c.s + pl, c.n - pl - strlen(".slice"), uid);
}

/* The container component: cgroupfs the bare id; systemd "<runtime>-<id>.scope".
 * Returns 0 with cid set, 1 for a scope that is no container (crio-conmon-),
 * -EINVAL when malformed. */
static int container_of(struct comp c, bool systemd, char *cid)
{
	if (!systemd)
		return take_cid(c.s, c.n, cid);
	if (!comp_ends(c, ".scope"))
		return -EINVAL;
	if (comp_starts(c, "crio-conmon-"))
		return 1;
	size_t end = c.n - strlen(".scope"), dash = end;
	while (dash > 0 && c.s[dash - 1] != '-')
		dash--;
	if (dash == 0)
		return -EINVAL;
	return take_cid(c.s + dash, end - dash, cid);
}

int kubepath_parse(const char *path, size_t len, struct kubepath *out)
{
	struct comp c;
	size_t pos = 0;
	bool systemd = false, found = false;
	int rc;

	memset(out, 0, sizeof(*out));
	while (next_comp(path, len, &pos, &c)) {
		if (comp_eq(c, "kubepods")) {
			found = true;
			break;
		}
		if (comp_eq(c, "kubepods.slice")) {
			found = systemd = true;
			break;
		}
	}
	if (!found)
		return -ENOENT;
	if (!next_comp(path, len, &pos, &c))
		return 0;
	const char *qos = qos_of(c, systemd);
	if (qos) {
		memcpy(out->qos, qos, strlen(qos) + 1);
		if (!next_comp(path, len, &pos, &c))
			return 0;
	} else {
		memcpy(out->qos, "guaranteed", sizeof("guaranteed"));
	}
	rc = pod_of(c, systemd, qos, out->pod_uid);
	if (rc)
		goto bad;
	if (!next_comp(path, len, &pos, &c))
		return 0;
	rc = container_of(c, systemd, out->container_id);
	if (rc < 0)
		goto bad;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}
