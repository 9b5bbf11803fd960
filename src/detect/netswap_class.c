/* netswap_class.c - where a swap area's pages go (netswap_class.h). */
#include "detect/netswap_class.h"

#include <stdio.h>
#include <string.h>

#include "snapshot/mountinfo.h"
#include "util/parse.h"

/* s[n] is a digit (s is at least n bytes long: checked by the caller). */
static bool digits_after(const char *s, size_t n)
{
	return s[n] >= '0' && s[n] <= '9';
}

void netswap_classify_dev(const struct netswap_dev *d, struct netswap_class *out)
{
	memset(out, 0, sizeof(*out));
	out->transport = "local";
	out->device = "";
	if (!d->name[0]) {
		out->transport = "unknown";
		return;
	}
	out->device = d->name;
	if (!strncmp(d->name, "nbd", 3) && digits_after(d->name, 3)) {
		out->network = out->memalloc = true;	/* nbd: sk_set_memalloc at setup */
		out->transport = "nbd";
	} else if (!strncmp(d->name, "rbd", 3) && digits_after(d->name, 3)) {
		out->network = true;			/* libceph: no sk_set_memalloc */
		out->transport = "rbd";
	} else if (strstr(d->syspath, "/session")) {
		out->network = out->memalloc = true;	/* iscsi_tcp sets memalloc */
		out->transport = "iscsi";
	} else if (!strcmp(d->transport, "tcp")) {
		out->network = out->memalloc = true;
		out->transport = "nvme-tcp";
	} else if (!strcmp(d->transport, "rdma")) {
		out->network = true;
		out->transport = "nvme-rdma";
	} else if (!strcmp(d->transport, "fc")) {
		out->network = true;
		out->transport = "nvme-fc";
	} else if (strstr(d->syspath, "nvme-fabrics")) {
		out->network = true;
		out->transport = "nvme-fabrics";
	} else {
		out->device = "";
	}
}

void netswap_classify_fs(const char *fstype, struct netswap_class *out)
{
	memset(out, 0, sizeof(*out));
	out->transport = "local";
	out->device = "";
	if (!mountinfo_fs_is_network(fstype))
		return;
	out->network = true;
	out->device = fstype;
	if (!strcmp(fstype, "nfs") || !strcmp(fstype, "nfs4")) {
		out->memalloc = true;	/* sunrpc xs_set_memalloc */
		out->transport = "nfs";
	} else if (!strcmp(fstype, "cifs") || !strcmp(fstype, "smb3") || !strcmp(fstype, "smb")) {
		out->transport = "cifs";
	} else {
		out->transport = fstype;
	}
}

void netswap_classify(const struct netswap_swap *sw, struct netswap_class *out)
{
	if (sw->have_mount) {
		netswap_classify_fs(sw->fstype, out);
		if (out->network)
			return;
	}
	memset(out, 0, sizeof(*out));
	out->transport = sw->ndevs ? "local" : "unknown";
	out->device = "";
	for (size_t i = 0; i < sw->ndevs; i++) {
		struct netswap_class c;
		netswap_classify_dev(&sw->devs[i], &c);
		/* One leg without memalloc is enough to deadlock. */
		if (c.network && (!out->network || !c.memalloc)) {
			bool had = out->network, mem = out->memalloc;
			*out = c;
			out->memalloc = c.memalloc && (!had || mem);
		}
	}
}

bool netswap_opt_u64(const char *opts, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);

	for (const char *p = opts; p && *p;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		if (n > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return parse_u64_field((struct hr_span){ p + kl + 1, n - kl - 1 }, out) == 0;
		p = c ? c + 1 : NULL;
	}
	return false;
}
