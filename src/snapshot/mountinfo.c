/* mountinfo.c - see mountinfo.h. */
#include "snapshot/mountinfo.h"

#include <errno.h>
#include <string.h>

static bool is_oct(char c)
{
	return c >= '0' && c <= '7';
}

long octal_unescape(struct hr_span s, char *dst, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '\\' && i + 3 < s.len && is_oct(s.p[i + 1]) && is_oct(s.p[i + 2]) &&
		    is_oct(s.p[i + 3])) {
			unsigned v = (unsigned)(s.p[i + 1] - '0') * 64 +
				     (unsigned)(s.p[i + 2] - '0') * 8 + (unsigned)(s.p[i + 3] - '0');
			if (v == 0 || v > 0xff)
				return -EINVAL;
			c = (unsigned char)v;
			i += 3;
		} else if (c == '\0') {
			return -EINVAL;
		}
		if (n + 1 >= cap)
			return -ENAMETOOLONG;
		dst[n++] = (char)c;
	}
	dst[n] = '\0';
	return (long)n;
}

static int u32_field(struct hr_span t, uint32_t *out)
{
	uint64_t v;
	int rc = parse_u64_field(t, &v);
	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

static int path_field(struct hr_span t, char *dst, size_t cap)
{
	long n = octal_unescape(t, dst, cap);
	return n < 0 ? (int)n : 0;
}

/*
 * Real input, Linux 6.18.44-fc-v769 x86_64 (2 vCPU VM):
 *   26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
 * and with optional fields (proc(5)):
 *   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 */
int mountinfo_parse_line(const char *buf, size_t len, struct mountinfo_entry *e)
{
	struct hr_span rest = { buf, len }, t;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	if (!span_next_token(&rest, &t) || (rc = parse_u64_field(t, &e->mount_id)))
		return rc ? rc : -EINVAL;
	if (!span_next_token(&rest, &t) || (rc = parse_u64_field(t, &e->parent_id)))
		return rc ? rc : -EINVAL;
	if (!span_next_token(&rest, &t))
		return -EINVAL;
	long colon = span_find(t, ":");
	if (colon <= 0)
		return -EINVAL;
	if ((rc = u32_field((struct hr_span){ t.p, (size_t)colon }, &e->major)) ||
	    (rc = u32_field((struct hr_span){ t.p + colon + 1, t.len - (size_t)colon - 1 }, &e->minor)))
		return rc;
	if (!span_next_token(&rest, &t) || (rc = path_field(t, e->root, sizeof(e->root))))
		return rc ? rc : -EINVAL;
	if (!span_next_token(&rest, &t) ||
	    (rc = path_field(t, e->mount_point, sizeof(e->mount_point))))
		return rc ? rc : -EINVAL;
	if (!span_next_token(&rest, &t))
		return -EINVAL;
	span_copy(t, e->mount_opts, sizeof(e->mount_opts));
	for (;;) {
		if (!span_next_token(&rest, &t))
			return -EINVAL;	/* no " - " separator */
		if (span_eq(t, "-"))
			break;
	}
	if (!span_next_token(&rest, &t) || t.len >= sizeof(e->fstype))
		return -EINVAL;
	span_copy(t, e->fstype, sizeof(e->fstype));
	if (!span_next_token(&rest, &t) || (rc = path_field(t, e->source, sizeof(e->source))))
		return rc ? rc : -EINVAL;
	if (!span_next_token(&rest, &t))
		return -EINVAL;
	span_copy(t, e->super_opts, sizeof(e->super_opts));
	return 0;
}

int mountinfo_parse(const char *buf, size_t len, size_t *n)
{
	struct mountinfo_entry e;
	struct hr_span line;
	size_t pos = 0, k = 0;
	int rc = 0;

	while (span_next_line(buf, len, &pos, &line)) {
		if (!span_trim(line).len)
			continue;
		if ((rc = mountinfo_parse_line(line.p, line.len, &e)))
			return rc;
		k++;
	}
	if (!k)
		return -ENODATA;
	*n = k;
	return 0;
}

long mountinfo_prefix_len(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	if (n == 1 && mp[0] == '/')
		return path[0] == '/' ? 1 : -1;
	if (strncmp(mp, path, n))
		return -1;
	if (path[n] != '\0' && path[n] != '/')
		return -1;
	return (long)n;
}

bool mountinfo_fs_is_network(const char *fstype)
{
	static const char *const net[] = {
		"nfs", "nfs4", "cifs", "smb3", "smb", "ceph", "afs",
		"glusterfs", "lustre", "fuse",
	};

	if (!strncmp(fstype, "fuse.", 5))
		return true;
	for (size_t i = 0; i < sizeof(net) / sizeof(net[0]); i++)
		if (!strcmp(fstype, net[i]))
			return true;
	return false;
}
