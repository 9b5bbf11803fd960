// SPDX-License-Identifier: GPL-2.0
/*
 * hr_atomic_fail - make the guest kernel itself log real atomic allocation
 * failures, for headroom's watermark guard proof (tests/vm/guest-guards.sh).
 * Test code for a disposable qemu guest only: never load it on a real host.
 *
 * A failure is made real, not faked: each "shot" first takes every free block
 * of `order` pages the allocator will hand out to GFP_ATOMIC | __GFP_NOWARN
 * (bounded by max_blocks), so the buddy lists hold no block of that order, then
 * asks once more with plain GFP_ATOMIC. The page allocator then fails on its
 * own and its warn_alloc() prints, e.g.
 *   sh: page allocation failure: order:10, mode:0xa20(GFP_ATOMIC), nodemask=(null),...
 * with the stack and the Mem-Info dump, as for any driver's failed atomic
 * allocation. The blocks are freed right after the shot. If the last request
 * succeeds anyway (memory freed in between), no failure is claimed: the shot
 * logs "hr_atomic_fail: shot N: no failure" and counts nothing.
 *
 * Parameters: order (default 10), shots (on load, default 0), max_blocks
 * (default 4096); writing N to /sys/module/hr_atomic_fail/parameters/fire runs
 * N shots; parameters/failures reads the failures caused so far. warn_alloc is
 * rate-limited by the kernel (6.1: one report per 10 s, nopage_rs), so shots
 * closer than that fail without a report: the test paces its shots.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>

static unsigned int order = 10;
module_param(order, uint, 0644);
MODULE_PARM_DESC(order, "allocation order of the failing GFP_ATOMIC request");
static unsigned int max_blocks = 4096;
module_param(max_blocks, uint, 0644);
MODULE_PARM_DESC(max_blocks, "most free blocks taken before the failing request");
static unsigned int shots;
module_param(shots, uint, 0444);
MODULE_PARM_DESC(shots, "shots fired on load");
static unsigned int failures;
module_param(failures, uint, 0444);
MODULE_PARM_DESC(failures, "GFP_ATOMIC failures caused (read-only)");

static DEFINE_MUTEX(shot_lock);
static unsigned int shot_no;

/* One shot: returns 1 when the final GFP_ATOMIC request failed, 0 if not. */
static int hr_shot(void)
{
	LIST_HEAD(held);
	struct page *p, *tmp;
	unsigned int taken = 0;
	int failed;

	if (order >= MAX_ORDER)
		return -EINVAL;
	while (taken < max_blocks) {
		p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, order);
		if (!p)
			break;
		list_add(&p->lru, &held);
		taken++;
	}
	p = alloc_pages(GFP_ATOMIC, order);	/* no __GFP_NOWARN: the kernel reports */
	failed = !p;
	if (p)
		__free_pages(p, order);
	list_for_each_entry_safe(p, tmp, &held, lru) {
		list_del(&p->lru);
		__free_pages(p, order);
	}
	shot_no++;
	if (failed)
		failures++;
	pr_info("hr_atomic_fail: shot %u: order %u, %u blocks held, %s\n", shot_no, order,
		taken, failed ? "GFP_ATOMIC failed" : "no failure");
	return failed;
}

static int hr_fire_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	int rc = kstrtouint(val, 0, &n);

	if (rc)
		return rc;
	if (n > 100)
		return -ERANGE;
	mutex_lock(&shot_lock);
	for (i = 0; i < n && rc >= 0; i++)
		rc = hr_shot();
	mutex_unlock(&shot_lock);
	return rc < 0 ? rc : 0;
}

static const struct kernel_param_ops hr_fire_ops = {
	.set = hr_fire_set,
	.get = param_get_uint,
};
static unsigned int fire;
module_param_cb(fire, &hr_fire_ops, &fire, 0200);
MODULE_PARM_DESC(fire, "write N: fire N shots");

static int __init hr_init(void)
{
	unsigned int i;
	int rc = 0;

	if (order >= MAX_ORDER)
		return -EINVAL;
	mutex_lock(&shot_lock);
	for (i = 0; i < shots && i < 100 && rc >= 0; i++)
		rc = hr_shot();
	mutex_unlock(&shot_lock);
	return rc < 0 ? rc : 0;
}

static void __exit hr_exit(void)
{
}

module_init(hr_init);
module_exit(hr_exit);
MODULE_DESCRIPTION("headroom test: cause real GFP_ATOMIC allocation failures");
MODULE_LICENSE("GPL");
