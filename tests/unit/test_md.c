/* Unit tests of the md library: superblocks written by real mdadm
 * (tests/fixtures/md), the assembly planner, naming, and the kernel calls
 * md_start makes through the recording syscall layer. */
#include "t.h"

#include "md/describe.h"
#include "md/naming.h"
#include "md/plan.h"
#include "md/scan.h"
#include "md/conf.h"
#include "md/super.h"
#include "md/kernel.h"
#include "lib/sha1.h"
#include "sys/record.h"
#include "lib/text.h"
#include "md_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Restore fixture member NAME into a sparse image; returns its path. */
static const char *member(const char *name)
{
	static char path[512];
	char cmd[1024];

	snprintf(path, sizeof(path), "%s/%s.img", t_tmpdir(), name);
	snprintf(cmd, sizeof(cmd), "%s/md/restore.sh %s %s", FIXTURES, name, path);
	if (system(cmd))
		return NULL;
	return path;
}

static int probe(const char *name, struct md_found *f)
{
	const char *p = member(name);
	return p ? md_examine_path(p, f) : -1;
}

TEST(sha1_known_vectors)
{
	uint8_t h[20];
	char hex[41];
	int i;

	sha1("abc", 3, h);
	for (i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", h[i]);
	CHECK_STR(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1("", 0, h);
	for (i = 0; i < 20; i++)
		sprintf(hex + 2 * i, "%02x", h[i]);
	CHECK_STR(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(uuid_text_round_trip)
{
	uint8_t u[16];
	char s[36];

	CHECK_INT(md_uuid_parse("faa4ab23:2611f5c9:7ecbd7b1:b5d3975f", u), 0);
	md_uuid_str(u, s);
	CHECK_STR(s, "faa4ab23:2611f5c9:7ecbd7b1:b5d3975f");
	CHECK_INT(md_uuid_parse("faa4ab23-2611-f5c9-7ecb-d7b1b5d3975f", u), 0);
	md_uuid_str(u, s);
	CHECK_STR(s, "faa4ab23:2611f5c9:7ecbd7b1:b5d3975f");
	CHECK(md_uuid_parse("faa4ab23:2611f5c9", u) < 0);
	CHECK(md_uuid_parse("zzzzzzzz:2611f5c9:7ecbd7b1:b5d3975f", u) < 0);
}

TEST(text_helpers)
{
	unsigned a, b;
	char line[] = "  md0 : active raid1 ";
	char *w[4];

	CHECK_INT(parse_devnum("8:16\n", &a, &b), 0);
	CHECK_INT(a, 8);
	CHECK_INT(b, 16);
	CHECK(parse_devnum("8:", &a, &b) < 0);
	CHECK(parse_devnum("x:1", &a, &b) < 0);
	CHECK_INT(split_words(line, w, 4), 4);
	CHECK_STR(w[0], "md0");
	CHECK_STR(w[3], "raid1");
}

TEST(parse_12_raid0_member)
{
	struct md_found f;
	char u[36];

	CHECK_INT(probe("r0a", &f), 0);
	CHECK_INT(f.format, MD_FMT_12);
	CHECK(f.problem == NULL);
	CHECK_INT(f.m.level, 0);
	CHECK_INT(f.m.raid_disks, 2);
	CHECK_STR(f.m.name, "wbhost:r0");
	md_uuid_str(f.m.uuid, u);
	CHECK_STR(u, "faa4ab23:2611f5c9:7ecbd7b1:b5d3975f");
	CHECK_INT(f.m.role, 0);
	CHECK_INT(f.m.sb_offset, 4096);
	CHECK(f.reads <= 3);
}

TEST(parse_090_raid10_member)
{
	struct md_found f;

	CHECK_INT(probe("t0a", &f), 0);
	CHECK_INT(f.format, MD_FMT_090);
	CHECK(f.problem == NULL);
	CHECK_INT(f.m.level, 10);
	CHECK_INT(f.m.raid_disks, 4);
	CHECK_INT(f.m.preferred_minor, 6);
	CHECK_INT(f.m.layout, 0x102);	/* near=2 */
	CHECK(md_match_home(&f.m, "wbhost"));
	CHECK(!md_match_home(&f.m, "otherhost"));
}

TEST(parse_faulty_member_records_it)
{
	struct md_found fta, ftb;

	CHECK_INT(probe("fta", &fta), 0);
	CHECK_INT(probe("ftb", &ftb), 0);
	CHECK_INT(fta.m.nroles, 2);
	CHECK_INT(fta.m.roles[1], MD_ROLE_FAULTY);
	CHECK(ftb.m.events < fta.m.events);
}

TEST(partition_member_and_bitmap)
{
	struct md_found f;

	CHECK_INT(probe("pa1", &f), 0);
	CHECK_INT(f.format, MD_FMT_12);
	CHECK(f.m.features & MD_FEAT_BITMAP);
	CHECK_INT(f.m.level, 5);
}

/* A member description for planner tests. */
static struct plan P;

TEST(plan_all_present_starts)
{
	struct md_member m[3] = { mk(0, 10, 1, "012"), mk(1, 10, 1, "012"), mk(2, 10, 1, "012") };
	struct plan_member pm[3];
	struct plan_policy pol = { 0 };

	members(pm, m, 3);
	CHECK_INT(plan_array(pm, 3, &pol, &P), 0);
	CHECK_INT(P.outcome, PLAN_START);
	CHECK_INT(P.okcnt, 3);
	CHECK_INT(P.chosen, 0);
}

TEST(plan_one_event_margin_and_stale)
{
	struct md_member m[3] = { mk(0, 10, 1, "012"), mk(1, 9, 1, "012"), mk(2, 8, 1, "012") };
	struct plan_member pm[3];
	struct plan_policy pol = { .partial_ok = 1 };

	members(pm, m, 3);
	plan_array(pm, 3, &pol, &P);
	CHECK_INT(P.mem[1].use, USE_ACTIVE);	/* one event behind: kept */
	CHECK_INT(P.mem[2].use, SKIP_STALE);	/* two behind: out */
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
}

TEST(plan_degraded_policies)
{
	struct md_member m[2] = { mk(0, 10, 1, "012"), mk(1, 10, 1, "012") };
	struct plan_member pm[2];
	struct plan_policy def = { .partial_ok = 1 }, nodeg = { .runstop = -1 },
			   named = { 0 }, run = { .runstop = 1 };

	members(pm, m, 2);
	plan_array(pm, 2, &def, &P);
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
	plan_array(pm, 2, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_INACTIVE);	/* assembled, left inactive */
	CHECK_STR(P.why, "members missing and degraded starts are refused");
	plan_array(pm, 2, &named, &P);
	CHECK_INT(P.outcome, PLAN_NEED_ALL);
	plan_array(pm, 2, &run, &P);
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
}

TEST(plan_already_degraded_starts_even_with_no_degraded)
{
	/* the superblocks record slot 2 as missing already */
	struct md_member m[2] = { mk(0, 10, 1, "01"), mk(1, 10, 1, "01") };
	struct plan_member pm[2];
	struct plan_policy nodeg = { .runstop = -1 };

	members(pm, m, 2);
	plan_array(pm, 2, &nodeg, &P);
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
}

TEST(plan_dirty_degraded_needs_force)
{
	struct md_member m[2] = { mk(0, 10, 0, "012"), mk(1, 10, 0, "012") };
	struct plan_member pm[2];
	struct plan_policy def = { .partial_ok = 1 }, force = { .force = 1, .partial_ok = 1 };

	members(pm, m, 2);
	plan_array(pm, 2, &def, &P);
	CHECK_INT(P.outcome, PLAN_DIRTY_DEGRADED);
	plan_array(pm, 2, &force, &P);
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
	CHECK_INT(P.start_dirty, 1);
}

TEST(plan_split_brain_rejects_the_half_that_failed_the_freshest)
{
	struct md_member m[2] = { mk(0, 12, 1, "0f"), mk(1, 11, 1, "f1") };
	struct plan_member pm[2];
	struct plan_policy def = { .partial_ok = 1 };

	m[0].level = m[1].level = 1;
	m[0].raid_disks = m[1].raid_disks = 2;
	members(pm, m, 2);
	plan_array(pm, 2, &def, &P);
	CHECK_INT(P.freshest, 0);
	CHECK_INT(P.mem[1].use, SKIP_REPORTS_FAILED);
	CHECK_INT(P.outcome, PLAN_START_DEGRADED);
}

TEST(plan_spare_and_faulty)
{
	struct md_member m[4] = { mk(0, 10, 1, "012sf"), mk(1, 10, 1, "012sf"),
				  mk(2, 10, 1, "012sf"), mk(MD_ROLE_SPARE, 10, 1, "012sf") };
	struct plan_member pm[4];
	struct plan_policy def = { .partial_ok = 1 };

	members(pm, m, 4);
	plan_array(pm, 4, &def, &P);
	CHECK_INT(P.mem[3].use, USE_SPARE);
	CHECK_INT(P.outcome, PLAN_START);
}

TEST(plan_enough_raid10_near2)
{
	unsigned char a1[4] = { 0, 0, 1, 1 }, a2[4] = { 0, 1, 0, 1 };

	CHECK(!plan_enough(10, 4, 0x102, 1, a1));	/* both copies of pair 0 gone */
	CHECK(plan_enough(10, 4, 0x102, 1, a2));
}

TEST(plan_refuses_reshape)
{
	struct md_member m[1] = { mk(0, 10, 1, "012") };
	struct plan_member pm[1];
	struct plan_policy def = { .runstop = 1 };

	m[0].features |= MD_FEAT_RESHAPE_ACTIVE;
	members(pm, m, 1);
	plan_array(pm, 1, &def, &P);
	CHECK_INT(P.outcome, PLAN_REFUSED);
}

static int none_busy(int minor, void *ctx) { (void)minor; (void)ctx; return 0; }
static int low_busy(int minor, void *ctx) { (void)ctx; return minor == 127; }

TEST(names_as_mdadm_makes_them)
{
	struct md_member m = mk(0, 1, 1, "012");
	struct md_naming nm;
	struct md_conf_array id;

	strcpy(m.name, "wbhost:data");
	CHECK_INT(md_choose_name(&m, NULL, NULL, "wbhost", 1, none_busy, NULL, &nm), 0);
	CHECK_STR(nm.devnm, "md127");
	CHECK_STR(nm.link, "/dev/md/data");
	CHECK_INT(md_choose_name(&m, NULL, NULL, "wbhost", 1, low_busy, NULL, &nm), 0);
	CHECK_STR(nm.devnm, "md126");
	CHECK_INT(md_choose_name(&m, NULL, NULL, "otherhost", 1, none_busy, NULL, &nm), 0);
	CHECK_STR(nm.link, "/dev/md/wbhost:data");
	strcpy(m.name, "plain");
	CHECK_INT(md_choose_name(&m, NULL, NULL, "otherhost", 1, none_busy, NULL, &nm), 0);
	CHECK_STR(nm.link, "/dev/md/plain_0");
	strcpy(m.name, "wbhost:3");
	CHECK_INT(md_choose_name(&m, NULL, NULL, "wbhost", 1, none_busy, NULL, &nm), 0);
	CHECK_STR(nm.devnm, "md3");
	memset(&id, 0, sizeof(id));
	strcpy(id.devname, "/dev/md9");
	CHECK_INT(md_choose_name(&m, &id, NULL, "x", 1, none_busy, NULL, &nm), 0);
	CHECK_STR(nm.devnm, "md9");
	CHECK_STR(nm.link, "");
}

TEST(md_start_kernel_calls)
{
	struct md_member m[2] = { mk(0, 10, 1, "01"), mk(1, 10, 1, "01") };
	struct plan_member pm[2];
	struct plan_policy def = { 0 };
	struct md_naming nm = { .devnm = "md5", .minor = 5, .link = "" };
	struct md_start_opts o = { 0 };
	const char *step;

	m[0].level = m[1].level = 1;
	m[0].raid_disks = m[1].raid_disks = 2;
	members(pm, m, 2);
	plan_array(pm, 2, &def, &P);
	sys_record_reset();
	setenv("WARMBOOT_ROOT", t_tmpdir(), 1);
	CHECK_INT(md_start(&P, &nm, &o, &step), 0);
	CHECK_STR(sys_record_log(),
		  "write /sys/module/md_mod/parameters/new_array \"md5\"\n"
		  "mknod /dev/md5 060600 9:5\n"
		  "open_dev /dev/md5 0x82\n"
		  "ioctl /dev/md5 SET_ARRAY_INFO version=1.2 level=0 raid_disks=0 layout=0 chunk=0 state=0x0\n"
		  "ioctl /dev/md5 ADD_NEW_DISK 8:16 number=1 raid_disk=1 state=0x6\n"
		  "ioctl /dev/md5 ADD_NEW_DISK 8:0 number=0 raid_disk=0 state=0x6\n"
		  "ioctl /dev/md5 RUN_ARRAY\n");
	sys_record_reset();
	sys_record_fail("ioctl", 22);
	CHECK(md_start(&P, &nm, &o, &step) < 0);
	CHECK_STR(step, "set array info");
	CHECK(strstr(sys_record_log(), "STOP_ARRAY") != NULL);
	unsetenv("WARMBOOT_ROOT");
}

/* Ties: mdadm walks its device list in order and a later member replaces an
 * earlier one only with strictly more events. .order is that list's place. */
static void raid1_split_brain(struct md_member *m, struct plan_member *pm,
			      unsigned first)
{
	m[0] = mk(0, 12, 1, "0f");
	m[1] = mk(1, 12, 1, "f1");
	m[0].level = m[1].level = 1;
	m[0].raid_disks = m[1].raid_disks = 2;
	members(pm, m, 2);
	pm[0].order = first == 0 ? 0 : 1;
	pm[1].order = first == 0 ? 1 : 0;
}

TEST(plan_split_brain_equal_events_first_in_device_order_wins)
{
	struct md_member m[2];
	struct plan_member pm[2];
	struct plan_policy def = { .partial_ok = 1 };
	unsigned first;

	for (first = 0; first < 2; first++) {
		raid1_split_brain(m, pm, first);
		plan_array(pm, 2, &def, &P);
		CHECK_INT(P.freshest, (int)first);
		CHECK_INT(P.freshest_ties, 1);
		CHECK_INT(P.chosen, (int)first);
		CHECK_INT(P.mem[first].use, USE_ACTIVE);
		CHECK_INT(P.mem[1 - first].use, SKIP_REPORTS_FAILED);
		CHECK_INT(P.outcome, PLAN_START_DEGRADED);
	}
}

TEST(plan_equal_events_without_order_keep_the_member_order)
{
	struct md_member m[2];
	struct plan_member pm[2];
	struct plan_policy def = { .partial_ok = 1 };

	raid1_split_brain(m, pm, 0);
	pm[0].order = pm[1].order = 0;
	plan_array(pm, 2, &def, &P);
	CHECK_INT(P.freshest, 0);
	CHECK_INT(P.mem[1].use, SKIP_REPORTS_FAILED);
}

TEST(plan_more_events_win_whatever_the_order)
{
	struct md_member m[2];
	struct plan_member pm[2];
	struct plan_policy def = { .partial_ok = 1 };

	raid1_split_brain(m, pm, 0);
	m[1].events = 13;
	plan_array(pm, 2, &def, &P);
	CHECK_INT(P.freshest, 1);
	CHECK_INT(P.freshest_ties, 0);
	CHECK_INT(P.mem[0].use, SKIP_REPORTS_FAILED);
}

TEST(plan_slot_conflict_equal_events_first_in_device_order_keeps_it)
{
	/* two copies of slot 0 with the same events (a cloned disk) */
	struct md_member m[4] = { mk(0, 10, 1, "012"), mk(1, 10, 1, "012"),
				  mk(2, 10, 1, "012"), mk(0, 10, 1, "012") };
	struct plan_member pm[4];
	struct plan_policy def = { .partial_ok = 1 };
	static const unsigned orders[2][4] = { { 0, 1, 2, 3 }, { 3, 1, 2, 0 } };
	unsigned o, i;

	for (o = 0; o < 2; o++) {
		members(pm, m, 4);
		for (i = 0; i < 4; i++)
			pm[i].order = orders[o][i];
		plan_array(pm, 4, &def, &P);
		CHECK_INT(P.mem[o ? 3 : 0].use, USE_ACTIVE);
		CHECK_INT(P.mem[o ? 0 : 3].use, SKIP_LATER_COPY);
		CHECK_INT(P.freshest, o ? 3 : 0);
		CHECK_INT(P.chosen, o ? 3 : 0);
		CHECK_INT(P.okcnt, 3);
		CHECK_INT(P.outcome, PLAN_START);
	}
	/* more events keep the slot wherever they come */
	m[0].events = 9;
	members(pm, m, 4);
	plan_array(pm, 4, &def, &P);
	CHECK_INT(P.mem[0].use, SKIP_OLDER_COPY);
	CHECK_INT(P.mem[3].use, USE_ACTIVE);
}

/* A fake root: /sys/class/block/NAME/dev and /dev/NAME for each name, and
 * /proc/partitions listing parts (NULL: none). */
static const char *order_root(const char *tag, const char *const *names, const char *parts)
{
	static char root[512];
	char path[1024];
	unsigned i;
	FILE *f;

	snprintf(root, sizeof(root), "%s/%s", t_tmpdir(), tag);
	snprintf(path, sizeof(path), "mkdir -p %s/sys/class/block %s/dev %s/proc", root, root, root);
	if (system(path))
		return NULL;
	for (i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "mkdir -p %s/sys/class/block/%s && "
			 "echo 254:%u >%s/sys/class/block/%s/dev && : >%s/dev/%s",
			 root, names[i], 16 * i, root, names[i], root, names[i]);
		if (system(path))
			return NULL;
	}
	if (parts) {
		snprintf(path, sizeof(path), "%s/proc/partitions", root);
		f = fopen(path, "w");
		if (!f)
			return NULL;
		fprintf(f, "major minor  #blocks  name\n\n%s", parts);
		fclose(f);
	}
	return root;
}

/* The scanned devices by name, in mdadm's order: "vdb vda". */
static const char *scan_order(const struct md_conf *conf)
{
	static char out[256];
	struct md_scan scan;
	unsigned i, k;

	out[0] = 0;
	if (md_scan_system(conf, &scan))
		return "error";
	for (i = 0; i < scan.dev.n; i++)
		for (k = 0; k < scan.dev.n; k++)
			if (scan.dev.v[k].order == i)
				snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
					 out[0] ? " " : "", scan.dev.v[k].path + 5);
	md_scan_free(&scan);
	return out;
}

static struct md_conf *conf_of(const char *text)
{
	static struct md_conf conf;

	md_conf_parse(text, strlen(text), &conf);
	return &conf;
}

TEST(scan_order_is_mdadms_device_list)
{
	static const char *const names[] = { "vda", "vdb", "vdc", NULL };
	const char *parts = " 254 0 1024 vda\n 254 16 1024 vdb\n 254 32 1024 vdc\n";
	const char *backwards = " 254 32 1024 vdc\n 254 16 1024 vdb\n 254 0 1024 vda\n";

	/* no DEVICE line: /proc/partitions backwards */
	setenv("WARMBOOT_ROOT", order_root("fwd", names, parts), 1);
	CHECK_STR(scan_order(NULL), "vdc vdb vda");
	CHECK_STR(scan_order(conf_of("DEVICE partitions\n")), "vdc vdb vda");
	/* DEVICE globs: each sorted, all of them concatenated, backwards */
	CHECK_STR(scan_order(conf_of("DEVICE /dev/vd*\n")), "vdc vdb vda");
	CHECK_STR(scan_order(conf_of("DEVICE /dev/vdb /dev/vda\n")), "vda vdb");
	CHECK_STR(scan_order(conf_of("DEVICE /dev/vd[ab]\nDEVICE /dev/vdc\n")), "vdc vdb vda");
	CHECK_STR(scan_order(conf_of("DEVICE /dev/vdc /dev/vd[ab]\n")), "vdb vda vdc");
	/* globs come before `partitions`, whatever the line order */
	CHECK_STR(scan_order(conf_of("DEVICE partitions /dev/vda\n")), "vda vdc vdb");
	setenv("WARMBOOT_ROOT", order_root("back", names, backwards), 1);
	CHECK_STR(scan_order(NULL), "vda vdb vdc");
	CHECK_STR(scan_order(conf_of("DEVICE /dev/vd*\n")), "vdc vdb vda");
	/* no /proc/partitions (a test tree): the scan's name order stands */
	setenv("WARMBOOT_ROOT", order_root("none", names, NULL), 1);
	CHECK_STR(scan_order(NULL), "vda vdb vdc");
	unsetenv("WARMBOOT_ROOT");
}

TEST(scan_paths_keep_the_command_line_order)
{
	char a[512], b[512];
	char *paths[2] = { b, a };
	struct md_scan scan;

	snprintf(a, sizeof(a), "%s/a.img", t_tmpdir());
	snprintf(b, sizeof(b), "%s/b.img", t_tmpdir());
	fclose(fopen(a, "w"));
	fclose(fopen(b, "w"));
	CHECK_INT(md_scan_paths(paths, 2, &scan), 0);
	CHECK_INT(scan.dev.n, 2);
	CHECK_INT(scan.dev.v[0].order, 0);
	CHECK_INT(scan.dev.v[1].order, 1);
	CHECK_STR(scan.dev.v[0].path, b);
	md_scan_free(&scan);
}
