/* kexec/quiesce and kexec/state against a fixture root, through the
 * recording syscall layer. */
#include "t.h"
#include "kexec/check.h"
#include "kexec/controllers.h"
#include "kexec/quiesce.h"
#include "kexec/state.h"
#include "sys/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *root(const char *name)
{
	static char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", t_tmpdir(), name);
	mkdir(dir, 0755);
	return dir;
}

static void put(const char *base, const char *rel, const char *text)
{
	char path[4096], cmd[8300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd))
		return;
	if ((f = fopen(path, "w"))) {
		fputs(text, f);
		fclose(f);
	}
}

static const struct quiesced *find(const struct quiesce_report *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (!strcmp(q->v[i].name, name))
			return &q->v[i];
	return NULL;
}

TEST(quiesce_stops_unused_and_marks_used_clean)
{
	const char *r = root("quiesce");
	const struct quiesced *a;
	struct quiesce_report q;

	put(r, "sys/block/md0/md/array_state", "active\n");
	put(r, "sys/block/md0/dev", "9:0\n");
	put(r, "sys/block/md1/md/array_state", "clean\n");
	put(r, "sys/block/md1/dev", "9:1\n");
	put(r, "sys/block/md2/md/array_state", "inactive\n");
	put(r, "sys/block/md3/md/array_state", "write-pending\n");
	put(r, "sys/block/md3/dev", "9:3\n");
	put(r, "sys/block/md3/holders/dm-0", "");
	put(r, "proc/self/mountinfo", "36 1 9:0 / / rw,relatime shared:1 - ext4 /dev/md0 rw\n");
	setenv("WARMBOOT_ROOT", r, 1);
	sys_record_reset();
	CHECK_INT(kexec_quiesce_md(&q), 0);
	CHECK_INT(q.n, 3);			/* md2 is inactive: nothing to do */
	CHECK((a = find(&q, "md0")) && a->marked && !a->stop_err);
	CHECK((a = find(&q, "md1")) && a->stopped && !a->marked);
	CHECK((a = find(&q, "md3")) && a->marked);	/* held by dm-0 */
	CHECK(strstr(sys_record_log(), "ioctl /dev/md1 STOP_ARRAY\n"));
	CHECK(strstr(sys_record_log(), "write /sys/block/md0/md/array_state \"clean\"\n"));
	array_free(&q);
	/* a refused stop falls back to clean; a refused write counts */
	sys_record_reset();
	sys_record_fail("ioctl", EBUSY);
	sys_record_fail("write_attr", EIO);
	CHECK_INT(kexec_quiesce_md(&q), 2);		/* md0 and md3; md1 is clean */
	CHECK((a = find(&q, "md1")) && a->stop_err == -EBUSY && !a->clean_err);
	CHECK((a = find(&q, "md0")) && a->clean_err == -EIO);
	array_free(&q);
	sys_record_reset();
	unsetenv("WARMBOOT_ROOT");
}

TEST(record_round_trip_under_root)
{
	const char *r = root("record");
	struct kexec_record w = { .kernel = "/boot/vmlinuz-x", .release = "x",
				  .cmdline = "root=/dev/md0 ro", .loaded_at = 42 }, rd;
	char path[4096];

	snprintf(path, sizeof(path), "%s/run", r);
	mkdir(path, 0755);
	setenv("WARMBOOT_ROOT", r, 1);
	sys_record_reset();
	CHECK_INT(kexec_record_write(&w), 0);
	CHECK_STR(sys_record_log(), "");		/* own state: not a kernel effect */
	CHECK_INT(kexec_record_read(&rd), 0);
	CHECK_STR(rd.kernel, "/boot/vmlinuz-x");
	CHECK_STR(rd.cmdline, "root=/dev/md0 ro");
	CHECK_INT(rd.loaded_at, 42);
	sys_record_fail("rename", EIO);
	CHECK_INT(kexec_record_write(&w), -EIO);
	snprintf(path, sizeof(path), "%s/run/warmboot/.kexec.tmp", r);
	CHECK(access(path, F_OK) != 0);			/* the temporary is gone */
	sys_record_reset();
	CHECK_INT(kexec_record_remove(), 0);
	CHECK_INT(kexec_record_read(&rd), -ENOENT);
	CHECK_INT(kexec_record_remove(), 0);		/* nothing to remove is fine */
	unsetenv("WARMBOOT_ROOT");
}

/* The findings of check "md" whose text holds want, counted. */
static int md_findings(const struct kexec_findings *fs, enum finding_level l, const char *want)
{
	size_t i;
	int n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->v[i].level == l && !strcmp(fs->v[i].check, "md") &&
		     strstr(fs->v[i].text, want) != NULL;
	return n;
}

TEST(check_warns_when_the_target_kernel_lacks_a_running_level)
{
	const char *r = root("target");
	struct bzimage bz = { .cmdline_size = 2047, .payload_format = "zstd",
			      .release = "6.12.48+deb13-amd64" };
	struct kexec_check_input in = { .kernel = "/boot/vmlinuz", .bz = &bz, .cmdline = "ro" };
	struct kexec_findings fs;

	put(r, "proc/mdstat", "Personalities : [linear] [raid1] [multipath]\n"
	    "md0 : active raid1 sda1[0] sdb1[1]\n      1000 blocks super 1.2 [2/2] [UU]\n"
	    "md1 : active linear sdc[0] sdd[1]\n      2000 blocks super 1.0 64k rounding\n"
	    "md2 : active (auto-read-only) multipath sde[0]\n      1000 blocks\n"
	    "md3 : inactive sdf[0](S)\n      1000 blocks\n");
	setenv("WARMBOOT_ROOT", r, 1);
	/* no module tree for the target: nothing to say */
	kexec_check_run(&in, &fs);
	CHECK_INT(md_findings(&fs, FINDING_WARN, "would not start"), 0);
	kexec_findings_free(&fs);
	put(r, "lib/modules/6.12.48+deb13-amd64/modules.dep",
	    "kernel/drivers/md/raid1.ko.xz: kernel/drivers/md/md-mod.ko.xz\n");
	put(r, "lib/modules/6.12.48+deb13-amd64/modules.builtin", "kernel/drivers/md/md-mod.ko\n");
	kexec_check_run(&in, &fs);
	CHECK_INT(md_findings(&fs, FINDING_WARN, "md1 (linear) would not start under"
			      " 6.12.48+deb13-amd64: its module tree has no linear personality"), 1);
	CHECK_INT(md_findings(&fs, FINDING_WARN, "md2 (multipath) would not start under"
			      " 6.12.48+deb13-amd64"), 1);
	CHECK_INT(md_findings(&fs, FINDING_WARN, "md0"), 0);
	CHECK_INT(md_findings(&fs, FINDING_WARN, "would not start"), 2);
	CHECK_INT(kexec_findings_fatal(&fs), 0);
	kexec_findings_free(&fs);
	/* 6.14 has linear again */
	put(r, "lib/modules/6.12.48+deb13-amd64/modules.builtin", "kernel/drivers/md/linear.ko\n");
	kexec_check_run(&in, &fs);
	CHECK_INT(md_findings(&fs, FINDING_WARN, "md1"), 0);
	kexec_findings_free(&fs);
	unsetenv("WARMBOOT_ROOT");
}

/* A disk NAME under the PCI device PCI (driver DRV) in the tree r: the
 * path below PCI, the driver link, /sys/block/NAME. */
static void ctrl_disk(const char *r, const char *name, const char *pci, const char *below,
		      const char *drv)
{
	char rel[1024], path[4096], link[1024];

	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/%s/block/%s/size", pci, below, name);
	put(r, rel, "1\n");
	put(r, "sys/block/.keep", "");
	snprintf(path, sizeof(path), "%s/sys/devices/pci0000:00/%s/driver", r, pci);
	snprintf(link, sizeof(link), "../../../bus/pci/drivers/%s", drv);
	CHECK(!symlink(link, path) || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/sys/devices/pci0000:00/%s/%s/block/%s/device", r, pci,
		 below, name);
	CHECK(!symlink("../..", path));
	snprintf(path, sizeof(path), "%s/sys/block/%s", r, name);
	snprintf(link, sizeof(link), "../devices/pci0000:00/%s/%s/block/%s", pci, below, name);
	CHECK(!symlink(link, path));
}

TEST(controllers_grouped_by_pci_device_with_driver)
{
	const char *r = root("ctrl1");
	controller_list l;

	put(r, "sys/block/md0/md/level", "raid1\n");	/* no device: skipped */
	ctrl_disk(r, "nvme0n1", "0000:00:02.0", "nvme/nvme0", "nvme");
	ctrl_disk(r, "sda", "0000:00:03.0", "host0/target0:0:0/0:0:0:0", "megaraid_sas");
	ctrl_disk(r, "sdb", "0000:00:03.0", "host0/target0:0:1/0:0:1:0", "megaraid_sas");
	/* behind a bridge: the deepest PCI device counts */
	ctrl_disk(r, "vda", "0000:00:1c.0/0000:01:00.0", "virtio3", "virtio-pci");
	CHECK_INT(kexec_controllers(r, &l), 0);
	CHECK_INT(l.n, 3);
	CHECK_STR(l.v[0].pci, "0000:00:02.0");
	CHECK_STR(l.v[0].driver, "nvme");
	CHECK_STR(l.v[0].disks, " nvme0n1");
	CHECK_STR(l.v[1].driver, "megaraid_sas");
	CHECK_STR(l.v[1].disks, " sda sdb");
	CHECK_STR(l.v[2].pci, "0000:01:00.0");
	CHECK_STR(l.v[2].driver, "virtio-pci");
	CHECK(!l.v[0].refuse && !l.v[1].refuse && !l.v[2].refuse);
	array_free(&l);
	CHECK_INT(kexec_controllers("/nonexistent", &l), -ENOENT);
}

TEST(controllers_hpsa_refused_only_when_not_resettable)
{
	const char *r = root("ctrl2");
	const char *attr = "sys/devices/pci0000:00/0000:00:05.0/host2/scsi_host/host2/resettable";
	controller_list l;

	ctrl_disk(r, "sda", "0000:00:05.0", "host2/target2:0:0/2:0:0:0", "hpsa");
	put(r, attr, "1\n");
	CHECK_INT(kexec_controllers(r, &l), 0);
	CHECK_INT(l.n, 1);
	CHECK(!l.v[0].refuse);
	array_free(&l);
	put(r, attr, "0\n");
	CHECK_INT(kexec_controllers(r, &l), 0);
	CHECK(l.v[0].refuse && strstr(l.v[0].refuse, "not resettable"));
	CHECK_STR(l.v[0].ref, "https://www.kernel.org/doc/html/latest/scsi/hpsa.html");
	array_free(&l);
}
