/* kexec/quiesce and kexec/state against a fixture root, through the
 * recording syscall layer. */
#include "t.h"
#include "kexec/check.h"
#include "kexec/controllers.h"
#include "kexec/keyring.h"
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

/* /proc/keys of the bookworm guest booted with lockdown=integrity (no
 * Secure Boot: only the build-time key is trusted). */
static const char PROC_KEYS[] =
	"0c938630 I------     1 perm 0f0b0000     0     0 keyring   .blacklist: empty\n"
	"1a1e2b26 I------     1 perm 1f030000     0     0 asymmetri Build time autogenerated"
	" kernel key: 35ec5eb42ea9fd1caf03b977c56ef26a3720f629: X509.rsa 3720f629 []\n"
	"1d9ddedd I------     1 perm 1f0f0000     0     0 keyring   .secondary_trusted_keys: 2\n"
	"216616e6 I------     2 perm 1f0b0000     0     0 keyring   .machine: empty\n"
	"3163e9ef I--Q---     2 perm 1f3f0000     0 65534 keyring   _uid.0: empty\n"
	"349926de I------     1 perm 1f0b0000     0     0 keyring   .platform: empty\n"
	"3e861a28 I------     2 perm 1f0b0000     0     0 keyring   .builtin_trusted_keys: 1\n";
/* What the keyrings of PROC_KEYS link (KEYCTL_READ, as the recording
 * layer reads it from WARMBOOT_ROOT/keyring/ID). */
static void put_proc_keys_rings(const char *r)
{
	put(r, "keyring/3e861a28", "1a1e2b26\n");
	put(r, "keyring/1d9ddedd", "3e861a28 216616e6\n");
}

/* The bookworm guest under Secure Boot (OVMF with Microsoft's keys,
 * Debian's shim and grub; tests/vm/secureboot.bats): UEFI db's two keys in
 * .platform, Debian's CA from shim's MokListRT in .machine, all three
 * view-only to their owner like the build-time key's neighbours are not;
 * and a revoked certificate in .blacklist, view-only as well. */
static const char SB_KEYS[] =
	"013a5c5d I------     1 perm 1f010000     0     0 asymmetri Microsoft Corporation UEFI"
	" CA 2011: 13adbf4309bd82709c8cd54f316ed522988a1bd4: X509.rsa 988a1bd4 []\n"
	"03404211 I------     2 perm 1f0b0000     0     0 keyring   .machine: 1\n"
	"076d50a9 I------     2 perm 1f0b0000     0     0 keyring   .builtin_trusted_keys: 1\n"
	"0d1b1994 I------     1 perm 1f030000     0     0 asymmetri Build time autogenerated"
	" kernel key: 35ec5eb42ea9fd1caf03b977c56ef26a3720f629: X509.rsa 3720f629 []\n"
	"0d63949f I------     1 perm 1f010000     0     0 asymmetri Microsoft Windows Production"
	" PCA 2011: a92902398e16c49778cd90f99e4f9ae17c55af53: X509.rsa 7c55af53 []\n"
	"23e3aed1 I------     1 perm 0f0b0000     0     0 keyring   .blacklist: 116\n"
	"245a76a7 I------     1 perm 1f010000     0     0 asymmetri Debian Secure Boot CA:"
	" 6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1: X509.rsa bb419ea1 []\n"
	"2a0f0c11 I------     1 perm 1f010000     0     0 asymmetri Revoked Signer:"
	" 14011249c2675ea8e5148542202005810584b25f: X509.rsa 0584b25f []\n"
	"2c12ea7b I------     1 perm 1f0f0000     0     0 keyring   .secondary_trusted_keys: 2\n"
	"3ba32718 I------     1 perm 1f0b0000     0     0 keyring   .platform: 2\n";

static void put_sb_rings(const char *r)
{
	put(r, "keyring/076d50a9", "0d1b1994\n");
	put(r, "keyring/2c12ea7b", "076d50a9 03404211\n");
	put(r, "keyring/3ba32718", "0d63949f 013a5c5d\n");
	put(r, "keyring/03404211", "245a76a7\n");
	put(r, "keyring/23e3aed1", "2a0f0c11\n");
}

TEST(proc_keys_trusted_keys_and_keyrings)
{
	const char *r = root("keyrings");
	struct keyrings k;
	char path[4096];

	setenv("WARMBOOT_ROOT", r, 1);
	CHECK_INT(keyrings_parse(PROC_KEYS, &k), 0);
	CHECK_INT(k.n, 1);
	CHECK_INT(k.v[0].ring, -1);		/* not resolved yet */
	CHECK_INT(k.count[0], 1);
	CHECK_INT(k.count[1], 2);
	CHECK_INT(k.count[2], 0);
	CHECK_INT(k.count[3], 0);
	put_proc_keys_rings(r);
	keyrings_resolve(&k);
	CHECK_INT(k.n, 1);
	CHECK_STR(k.v[0].subject, "Build time autogenerated kernel key");
	CHECK_STR(k.v[0].id, "35ec5eb42ea9fd1caf03b977c56ef26a3720f629");
	CHECK_INT(k.v[0].ring, 0);
	CHECK_INT(k.unread, 0);
	array_free(&k);
	CHECK_INT(keyrings_parse(SB_KEYS, &k), 0);
	CHECK_INT(k.n, 5);
	put_sb_rings(r);
	keyrings_resolve(&k);
	CHECK_INT(k.n, 4);			/* not the revoked one */
	CHECK_STR(k.v[0].subject, "Microsoft Corporation UEFI CA 2011");
	CHECK_INT(k.v[0].ring, 2);		/* .platform */
	CHECK_STR(k.v[1].subject, "Build time autogenerated kernel key");
	CHECK_INT(k.v[1].ring, 0);		/* .builtin_trusted_keys, not .secondary */
	CHECK_STR(k.v[3].subject, "Debian Secure Boot CA");
	CHECK_STR(k.v[3].id, "6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1");
	CHECK_INT(k.v[3].ring, 3);		/* .machine */
	CHECK_INT(k.count[3], 1);
	array_free(&k);
	/* a keyring that cannot be read: its keys are not known */
	CHECK_INT(keyrings_parse(SB_KEYS, &k), 0);
	snprintf(path, sizeof(path), "%s/keyring/03404211", r);
	unlink(path);
	keyrings_resolve(&k);
	CHECK_INT(k.n, 3);
	CHECK_INT(k.unread, -EACCES);
	array_free(&k);
	CHECK_INT(keyrings_parse("garbage\n\n1 2 3\nabc I------ 1 perm 1f030000 0 0 asymmetri\n", &k), 0);
	CHECK_INT(k.n, 0);
	unsetenv("WARMBOOT_ROOT");
}

#define MOUNTED_SECFS "37 22 0:7 / /sys/kernel/security rw,nosuid - securityfs securityfs rw\n"

/* The initramfs has no securityfs: mounted for the read, unmounted after. */
TEST(lockdown_read_mounts_securityfs_only_when_absent)
{
	const char *r = root("lockdown");
	char mode[32];

	put(r, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	put(r, "proc/self/mountinfo", "22 1 0:21 / /sys rw - sysfs sysfs rw\n");
	setenv("WARMBOOT_ROOT", r, 1);
	sys_record_reset();
	CHECK_INT(kexec_lockdown(mode, sizeof(mode)), 0);
	CHECK_STR(mode, "integrity");
	CHECK_STR(sys_record_log(), "mount securityfs /sys/kernel/security securityfs 0xe \"\"\n"
		  "umount /sys/kernel/security 0\n");
	/* mounted already: left alone */
	put(r, "proc/self/mountinfo", "22 1 0:21 / /sys rw - sysfs sysfs rw\n" MOUNTED_SECFS);
	sys_record_reset();
	CHECK_INT(kexec_lockdown(mode, sizeof(mode)), 0);
	CHECK_STR(sys_record_log(), "");
	/* the mount refused: no lockdown known, nothing to undo */
	put(r, "proc/self/mountinfo", "22 1 0:21 / /sys rw - sysfs sysfs rw\n");
	sys_record_reset();
	sys_record_fail("mount", EPERM);
	CHECK_INT(kexec_lockdown(mode, sizeof(mode)), -EPERM);
	CHECK_STR(sys_record_log(), "mount securityfs /sys/kernel/security securityfs 0xe \"\" = -EPERM\n");
	unsetenv("WARMBOOT_ROOT");
}

/* The kexec finding of check on the real Debian kernel under lockdown. */
static const struct finding *kexec_finding(const char *kernel, struct kexec_findings *fs)
{
	struct kexec_check_input in = { .kernel = kernel, .cmdline = "ro" };
	size_t i;

	kexec_check_run(&in, fs);
	for (i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].check, "kexec"))
			return &fs->v[i];
	return NULL;
}

TEST(check_predicts_lockdown_refusal_of_the_signer)
{
	const char *r = root("lockdown-check"), *vmlinuz = getenv("WB_VMLINUZ");
	const struct finding *f;
	struct kexec_findings fs;
	char path[4096];

	CHECK(vmlinuz != NULL);
	put(r, "proc/self/mountinfo", "22 1 0:21 / /sys rw - sysfs sysfs rw\n" MOUNTED_SECFS);
	put(r, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	put(r, "proc/keys", PROC_KEYS);
	put_proc_keys_rings(r);
	setenv("WARMBOOT_ROOT", r, 1);
	f = kexec_finding(vmlinuz, &fs);
	CHECK(f && f->level == FINDING_FATAL);
	CHECK(f && strstr(f->text, "kernel lockdown (integrity) refuses"));
	CHECK(f && strstr(f->text, "\"Debian Secure Boot Signer 2022 - linux\" (key"
			  " 14011249c2675ea8e5148542202005810584b25f)"));
	CHECK(f && strstr(f->text, "issued by \"Debian Secure Boot CA\" (key 6ccece7e"));
	CHECK(f && strstr(f->text, ".builtin_trusted_keys (1), .secondary_trusted_keys (2),"
			  " .platform (0), .machine (0)"));
	CHECK(f && strstr(f->text, "mokutil --import"));
	kexec_findings_free(&fs);
	/* shim's MOK list puts Debian's CA into .machine: trusted */
	put(r, "proc/keys", SB_KEYS);
	put_sb_rings(r);
	f = kexec_finding(vmlinuz, &fs);
	CHECK(f && f->level == FINDING_OK);
	CHECK(f && strstr(f->text, "the kernel trusts \"Debian Secure Boot CA\" (key 6ccece7e"));
	CHECK(f && strstr(f->text, "6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1) in .machine"));
	kexec_findings_free(&fs);
	/* .machine unreadable: cannot tell */
	snprintf(path, sizeof(path), "%s/keyring/03404211", r);
	unlink(path);
	f = kexec_finding(vmlinuz, &fs);
	CHECK(f && f->level == FINDING_WARN && strstr(f->text, "unreadable"));
	kexec_findings_free(&fs);
	/* keyrings not visible (not root): cannot tell */
	put(r, "proc/keys", "3163e9ef I--Q---     2 perm 1f3f0000  1000 1000 keyring   _uid.1000: empty\n");
	f = kexec_finding(vmlinuz, &fs);
	CHECK(f && f->level == FINDING_WARN && strstr(f->text, "run as root"));
	kexec_findings_free(&fs);
	/* confidentiality; an image that is not a kernel: no verdict */
	put(r, "sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
	f = kexec_finding("/etc/passwd", &fs);
	CHECK(f && f->level == FINDING_WARN);	/* not a kernel: no verdict */
	kexec_findings_free(&fs);
	/* no lockdown: as before */
	put(r, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	f = kexec_finding(vmlinuz, &fs);
	CHECK(f && f->level == FINDING_OK && !strcmp(f->text, "kexec is allowed"));
	kexec_findings_free(&fs);
	unsetenv("WARMBOOT_ROOT");
}

/* A copy of the real kernel without its signature (sbattach --remove). */
TEST(check_under_lockdown_refuses_an_unsigned_kernel)
{
	const char *r = root("lockdown-unsigned"), *vmlinuz = getenv("WB_VMLINUZ");
	const struct finding *f;
	struct kexec_findings fs;
	char path[4096], cmd[8400];

	CHECK(vmlinuz != NULL);
	snprintf(path, sizeof(path), "%s/vmlinuz-unsigned", r);
	/* the certificate table's directory entry zeroed, the file cut before it */
	snprintf(cmd, sizeof(cmd), "python3 -c 'import struct,sys; d=bytearray(open(sys.argv[1],\"rb\").read());"
		 " e=struct.unpack_from(\"<I\",d,0x3c)[0]+24+112+32; o=struct.unpack_from(\"<I\",d,e)[0];"
		 " d[e:e+8]=bytes(8); open(sys.argv[2],\"wb\").write(d[:o])' '%s' '%s'", vmlinuz, path);
	CHECK_INT(system(cmd), 0);
	put(r, "proc/self/mountinfo", MOUNTED_SECFS);
	put(r, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	put(r, "proc/keys", PROC_KEYS);
	setenv("WARMBOOT_ROOT", r, 1);
	f = kexec_finding(path, &fs);
	CHECK(f && f->level == FINDING_FATAL && strstr(f->text, "carries no signature"));
	kexec_findings_free(&fs);
	unsetenv("WARMBOOT_ROOT");
}
