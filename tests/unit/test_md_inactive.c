/* Unit tests of arrays mdadm 4.2 assembles but does not start: the
 * planner's PLAN_INACTIVE (start_array's "assembled ... but not started"
 * under --no-degraded), the kernel calls that leave an array bound and
 * inactive, and the second step that adds the members arrived since and
 * runs it (mdadm --assemble --scan --run merging with the inactive array). */
#include "t.h"

#include "md/kernel.h"
#include "md/plan.h"
#include "md/scan.h"
#include "md/select.h"
#include "sys/record.h"
#include "md_fake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static struct plan P;
static const struct plan_policy nodeg = { .runstop = -1 }, def = { .partial_ok = 1 },
				run = { .runstop = 1, .partial_ok = 1 };

/* A RAID5 of 4 with the members of slots in "have" present. */
static unsigned raid5_of_4(const char *have, int clean, struct md_member *m,
			   struct plan_member *pm)
{
	unsigned n = 0;

	for (; *have; have++, n++) {
		m[n] = mk((uint16_t)(*have - '0'), 20, clean, "0123");
		m[n].raid_disks = 4;
	}
	members(pm, m, n);
	return n;
}

TEST(no_degraded_leaves_members_missing_inactive)
{
	struct md_member m[4];
	struct plan_member pm[4];
	unsigned n = raid5_of_4("012", 1, m, pm);

	plan_array(pm, n, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_INACTIVE);
	CHECK_INT(P.okcnt, 3);
	CHECK_STR(P.why, "members missing and degraded starts are refused");
	/* the same members without --no-degraded: started degraded */
	plan_array(pm, n, &def, &P);
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
	/* all there: started, --no-degraded or not */
	n = raid5_of_4("0123", 1, m, pm);
	plan_array(pm, n, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_START);
}

TEST(no_degraded_leaves_even_too_few_inactive_as_mdadm)
{
	struct md_member m[4];
	struct plan_member pm[4];
	unsigned n = raid5_of_4("01", 1, m, pm);

	plan_array(pm, n, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_INACTIVE);
	CHECK_STR(P.why, "not enough members to start the array");
	plan_array(pm, n, &def, &P);
	CHECK_INT(P.outcome, PLAN_NOT_ENOUGH);
}

TEST(dirty_degraded_nothing_bound_by_default_inactive_with_no_degraded)
{
	struct md_member m[4];
	struct plan_member pm[4];
	struct plan_policy force_nodeg = { .runstop = -1, .force = 1 };
	unsigned n = raid5_of_4("012", 0, m, pm);

	plan_array(pm, n, &def, &P);
	CHECK_INT(P.outcome, PLAN_DIRTY_DEGRADED);
	plan_array(pm, n, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_INACTIVE);
	CHECK_STR(P.why, "not enough members to start the array while not clean: consider --force");
	/* --force makes it startable, --no-degraded still wants every member
	 * the superblock records as working */
	plan_array(pm, n, &force_nodeg, &P);
	CHECK_INT(P.outcome, PLAN_INACTIVE);
	CHECK_INT(P.start_dirty, 0);
}

TEST(refusals_stay_refusals_under_no_degraded)
{
	struct md_member m[4];
	struct plan_member pm[4];
	unsigned n = raid5_of_4("012", 1, m, pm), i;

	for (i = 0; i < n; i++)
		m[i].features |= MD_FEAT_RESHAPE_ACTIVE;
	plan_array(pm, n, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_REFUSED);
}

/* A fake root with no udev, for make_link and the array's node. */
static void fake_root(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", t_tmpdir(), name);
	mkdir(path, 0755);
	setenv("WARMBOOT_ROOT", path, 1);
}

TEST(inactive_plan_binds_members_and_never_runs)
{
	struct md_member m[4];
	struct plan_member pm[4];
	struct md_naming nm = { .devnm = "md127", .minor = 127, .link = "/dev/md/r5" };
	struct md_start_opts o = { 0 };
	const char *step;
	unsigned n = raid5_of_4("012", 1, m, pm);

	fake_root("bind");
	plan_array(pm, n, &nodeg, &P);
	sys_record_reset();
	CHECK_INT(md_start(&P, &nm, &o, &step), 0);
	CHECK_STR(sys_record_log(),
		  "write /sys/module/md_mod/parameters/new_array \"md127\"\n"
		  "mknod /dev/md127 060600 9:127\n"
		  "open_dev /dev/md127 0x82\n"
		  "ioctl /dev/md127 SET_ARRAY_INFO version=1.2 level=0 raid_disks=0 layout=0 chunk=0 state=0x0\n"
		  "ioctl /dev/md127 ADD_NEW_DISK 8:16 number=1 raid_disk=1 state=0x6\n"
		  "ioctl /dev/md127 ADD_NEW_DISK 8:32 number=2 raid_disk=2 state=0x6\n"
		  "ioctl /dev/md127 ADD_NEW_DISK 8:0 number=0 raid_disk=0 state=0x6\n"
		  "mkdir /dev/md 0755\n"
		  "symlink /dev/md/r5 -> ../md127\n");
	unsetenv("WARMBOOT_ROOT");
}

TEST(inactive_array_gets_no_link_when_udev_runs)
{
	struct md_member m[4];
	struct plan_member pm[4];
	struct md_naming nm = { .devnm = "md127", .minor = 127, .link = "/dev/md/r5" };
	struct md_start_opts o = { 0 };
	char path[512];
	const char *step;
	unsigned n = raid5_of_4("012", 1, m, pm);
	FILE *f;

	fake_root("udev");
	snprintf(path, sizeof(path), "%s/udev/run", t_tmpdir());
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/udev/run/udev", t_tmpdir());
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/udev/run/udev/control", t_tmpdir());
	f = fopen(path, "w");
	CHECK(f != NULL);
	fclose(f);
	plan_array(pm, n, &nodeg, &P);
	sys_record_reset();
	CHECK_INT(md_start(&P, &nm, &o, &step), 0);
	CHECK(strstr(sys_record_log(), "symlink") == NULL);
	CHECK(strstr(sys_record_log(), "RUN_ARRAY") == NULL);
	unsetenv("WARMBOOT_ROOT");
}

static const char *last_step;

/* Step two on a RAID5 of 4: the members of the slots in have present, the
 * first nbound of them bound in the inactive md127. md_start's result. */
static int finish_inactive(const char *have, unsigned nbound, const struct plan_policy *pol,
			   const char *root)
{
	static struct md_member m[4];
	static struct plan_member pm[4];
	struct md_naming nm = { .devnm = "md127", .minor = 127, .link = "/dev/md/r5" };
	struct md_start_opts o = { .existing = 1 };
	unsigned n = raid5_of_4(have, 1, m, pm), i;

	for (i = 0; i < nbound; i++)
		pm[i].bound = 1;
	fake_root(root);
	plan_array(pm, n, pol, &P);
	return md_start(&P, &nm, &o, &last_step);
}

/* No new_array, no SET_ARRAY_INFO (the kernel has the version), bound
 * members not added twice; RUN_ARRAY only when the policy allows. */
static const struct {
	const char *have;
	unsigned nbound;
	const struct plan_policy *pol;
	enum plan_outcome outcome;
	const char *calls;
} step_two[] = {
	{ "0123", 3, &run, PLAN_START,
	  "open_dev /dev/md127 0x82\n"
	  "ioctl /dev/md127 ADD_NEW_DISK 8:48 number=3 raid_disk=3 state=0x6\n"
	  "ioctl /dev/md127 RUN_ARRAY\n"
	  "mkdir /dev/md 0755\n"
	  "symlink /dev/md/r5 -> ../md127\n" },
	{ "012", 2, &nodeg, PLAN_INACTIVE,
	  "open_dev /dev/md127 0x82\n"
	  "ioctl /dev/md127 ADD_NEW_DISK 8:32 number=2 raid_disk=2 state=0x6\n"
	  "mkdir /dev/md 0755\n"
	  "symlink /dev/md/r5 -> ../md127\n" },
};

TEST(second_step_adds_what_arrived_and_runs_or_stays_inactive)
{
	unsigned i;

	for (i = 0; i < sizeof(step_two) / sizeof(step_two[0]); i++) {
		sys_record_reset();
		CHECK_INT(finish_inactive(step_two[i].have, step_two[i].nbound, step_two[i].pol,
					  step_two[i].have), 0);
		CHECK_INT(P.outcome, step_two[i].outcome);
		CHECK_STR(sys_record_log(), step_two[i].calls);
	}
	unsetenv("WARMBOOT_ROOT");
}

TEST(second_step_failure_leaves_the_inactive_array_as_it_was)
{
	sys_record_reset();
	sys_record_fail("ioctl", 22);
	CHECK(finish_inactive("0123", 3, &run, "fail") < 0);
	CHECK_STR(last_step, "add member");
	CHECK(strstr(sys_record_log(), "STOP_ARRAY") == NULL);
	unsetenv("WARMBOOT_ROOT");
}

/* A fake sysfs: md127 in state, holding the block device 8:min. */
static void fake_md(const char *root, const char *state, const char *member, unsigned min)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p %s/sys/block/md127/md/dev-%s/block", root, member);
	CHECK_INT(system(path), 0);
	snprintf(path, sizeof(path), "%s/sys/block/md127/md/array_state", root);
	f = fopen(path, "w");
	fprintf(f, "%s\n", state);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sys/block/md127/md/dev-%s/block/dev", root, member);
	f = fopen(path, "w");
	fprintf(f, "8:%u\n", min);
	fclose(f);
}

static void fake_scan(struct md_scan *scan, const struct md_member *m, unsigned n)
{
	unsigned i;

	memset(scan, 0, sizeof(*scan));
	for (i = 0; i < n; i++) {
		struct md_seen *s = array_push(&scan->dev);
		snprintf(s->path, sizeof(s->path), "/dev/sd%c", 'a' + i);
		s->major = 8;
		s->minor = 16 * i;
		s->order = i;
		s->echo_of = -1;
		s->found.format = MD_FMT_12;
		s->found.m = m[i];
	}
}

/* A RAID5 of 4 scanned while md127 (in state) holds the member at minor
 * min; its members collected into out. */
static unsigned scan_beside(const char *dir, const char *state, const char *member,
			    unsigned min, struct md_scan *scan, struct plan_member *out)
{
	static struct md_member m[4];
	struct plan_member pm[4];
	char root[512];
	unsigned n = raid5_of_4("0123", 1, m, pm);

	snprintf(root, sizeof(root), "%s/%s", t_tmpdir(), dir);
	fake_md(root, state, member, min);
	setenv("WARMBOOT_ROOT", root, 1);
	fake_scan(scan, m, n);
	md_scan_mark_bound(scan);
	return md_collect(scan, 0, NULL, "wbhost", 1, out, 4);
}

TEST(bound_members_are_found_and_come_first_in_device_order)
{
	struct plan_member out[4];
	struct md_scan scan;

	CHECK_INT(scan_beside("bound", "inactive", "sdc", 32, &scan, out), 4);
	CHECK_STR(scan.dev.v[2].held_by, "md127");
	CHECK_INT(scan.dev.v[2].held_inactive, 1);
	CHECK_STR(scan.dev.v[0].held_by, "");
	CHECK(md_array_inactive("md127"));
	CHECK_INT(out[2].bound, 1);
	CHECK_INT(out[0].bound, 0);
	/* mdadm puts the inactive array's members at the head of its list */
	CHECK(out[2].order < out[0].order && out[2].order < out[3].order);
	md_scan_free(&scan);
	unsetenv("WARMBOOT_ROOT");
}

TEST(members_of_a_running_array_are_held_not_bound)
{
	struct plan_member out[4];
	struct md_scan scan;
	char devnm[32];

	CHECK_INT(scan_beside("running", "clean", "sda", 0, &scan, out), 4);
	CHECK_STR(scan.dev.v[0].held_by, "md127");
	CHECK_INT(scan.dev.v[0].held_inactive, 0);
	CHECK(!md_array_inactive("md127"));
	CHECK_INT(out[0].bound, 0);
	CHECK_INT(md_devnm_of("md127", devnm, sizeof(devnm)), 0);
	CHECK_STR(devnm, "md127");
	CHECK_INT(md_devnm_of("sda", devnm, sizeof(devnm)), -ENODEV);
	md_scan_free(&scan);
	unsetenv("WARMBOOT_ROOT");
}
