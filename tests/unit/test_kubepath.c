/* test_kubepath.c - kubepath_parse(): both kubelet cgroup drivers, every
 * QoS class, runtimes' scope prefixes, paths outside kubepods, malformed
 * names. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/kubepath.h"

#define UID "6f0a4c2e-1b7d-4e8a-9c3f-2d5e6f7a8b9c"
#define UIDU "6f0a4c2e_1b7d_4e8a_9c3f_2d5e6f7a8b9c"
#define CID "3f1e2d3c4b5a69788796a5b4c3d2e1f03f1e2d3c4b5a69788796a5b4c3d2e1f0"

static const struct {
	const char *path;
	int rc;
	const char *qos, *uid, *cid;
} cases[] = {
	/* cgroupfs driver (v1 under the memory mount, v2 alike) */
	{ "/kubepods/burstable/pod" UID "/" CID, 0, "burstable", UID, CID },
	{ "/kubepods/besteffort/pod" UID "/" CID, 0, "besteffort", UID, CID },
	{ "/kubepods/pod" UID "/" CID, 0, "guaranteed", UID, CID },
	{ "/kubepods/pod" UID, 0, "guaranteed", UID, "" },
	{ "/kubepods/burstable", 0, "burstable", "", "" },
	{ "/kubepods", 0, "", "", "" },
	{ "//kubepods//burstable//pod" UID "//" CID "/", 0, "burstable", UID, CID },
	/* systemd driver */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UIDU
	  ".slice/cri-containerd-" CID ".scope", 0, "burstable", UID, CID },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UIDU
	  ".slice/docker-" CID ".scope", 0, "besteffort", UID, CID },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/crio-" CID ".scope", 0, "guaranteed", UID, CID },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/crio-conmon-" CID ".scope", 0, "guaranteed", UID, "" },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice", 0, "guaranteed", UID, "" },
	/* nested below another level (kind, a kubelet in a slice) */
	{ "/kubelet.slice/kubelet-kubepods.slice/x/kubepods.slice/kubepods-pod" UIDU ".slice",
	  0, "guaranteed", UID, "" },
	{ "/docker/abc/kubepods/pod" UID, 0, "guaranteed", UID, "" },
	/* outside kubepods */
	{ "/", -ENOENT, "", "", "" },
	{ "", -ENOENT, "", "", "" },
	{ "/system.slice/docker-" CID ".scope", -ENOENT, "", "", "" },
	{ "/kubepodsx/pod" UID, -ENOENT, "", "", "" },
	/* malformed */
	{ "/kubepods/burstable/pod", -EINVAL, "", "", "" },
	{ "/kubepods/burstable/podzz", -EINVAL, "", "", "" },
	{ "/kubepods/burstable/xyz", -EINVAL, "", "", "" },
	{ "/kubepods/pod" UID "/not-hex", -EINVAL, "", "", "" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-pod" UIDU ".slice", -EINVAL, "", "", "" },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/" CID, -EINVAL, "", "", "" },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/.scope", -EINVAL, "", "", "" },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/docker-.scope", -EINVAL, "", "", "" },
	{ "/kubepods.slice/kubepods-pod.slice", -EINVAL, "", "", "" },
	{ "/kubepods/pod" UID UID UID, -EINVAL, "", "", "" },
	{ "/kubepods/pod" UID "/" CID CID CID, -EINVAL, "", "", "" },
	{ "/kubepods/pod\"\n\\", -EINVAL, "", "", "" },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kubepath k;
		memset(&k, 'x', sizeof(k));
		int rc = kubepath_parse(cases[i].path, strlen(cases[i].path), &k);
		if (rc != cases[i].rc)
			fail_msg("case %zu %s: rc %d, want %d", i, cases[i].path, rc, cases[i].rc);
		assert_string_equal(k.qos, cases[i].qos);
		assert_string_equal(k.pod_uid, cases[i].uid);
		assert_string_equal(k.container_id, cases[i].cid);
	}
}

/* The length bounds the parse: a valid path cut short is read as cut. */
static void test_len(void **state)
{
	(void)state;
	const char p[] = "/kubepods/pod" UID "/" CID;
	struct kubepath k;
	assert_int_equal(kubepath_parse(p, strlen("/kubepods/pod" UID), &k), 0);
	assert_string_equal(k.pod_uid, UID);
	assert_string_equal(k.container_id, "");
	assert_int_equal(kubepath_parse(p, 5, &k), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
