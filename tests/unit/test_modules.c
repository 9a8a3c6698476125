/* Module insertion (plain, compressed, fallbacks), decompression, storage
 * modalias classification and the coldplug rounds. Resolution against a
 * real module tree is tested by tests/bats/modules.bats against modprobe. */
#include "t.h"
#include "modules/modules.h"
#include "lib/clock.h"
#include "modules/coldplug.h"
#include "sys/record.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;

	*len = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A fresh fixture root for sys_root(). */
static const char *new_root(const char *name)
{
	static char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s/%s", t_tmpdir(), name);
	mkdir(root, 0755);
	setenv("WARMBOOT_ROOT", root, 1);
	return root;
}

TEST(storage_aliases)
{
	CHECK(modules_storage_alias("pci:v00001000d0000005Dsv00001028sd00001F47bc01sc04i00"));
	CHECK(modules_storage_alias("pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01"));
	CHECK(modules_storage_alias("pci:v0000144Dd0000A808sv0000144Dsd0000A801bc01sc08i02"));
	CHECK(!modules_storage_alias("pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00"));
	CHECK(!modules_storage_alias("pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00"));
	CHECK(modules_storage_alias("virtio:d00000002v00001AF4"));
	CHECK(modules_storage_alias("virtio:d00000008v00001AF4"));
	CHECK(!modules_storage_alias("virtio:d00000001v00001AF4"));
	CHECK(!modules_storage_alias("virtio:d00000012v00001AF4"));
	CHECK(modules_storage_alias("scsi:t-0x00"));
	CHECK(modules_storage_alias("scsi:t-0x0e"));
	CHECK(!modules_storage_alias("scsi:t-0x05"));
	CHECK(!modules_storage_alias("scsi:t-0x0"));
	CHECK(!modules_storage_alias("acpi:PNP0A03:"));
	CHECK(!modules_storage_alias(""));
	CHECK(!modules_storage_alias(NULL));
}

static void check_image(const char *rel, const char *want_kind)
{
	size_t wantlen, len;
	char *want = slurp(t_fixture("modules/blobs/image"), &wantlen);
	const char *kind = "unset";
	void *image;
	int fd = open(t_fixture(rel), O_RDONLY | O_CLOEXEC);

	CHECK(want && fd >= 0);
	CHECK_INT(modules_read_image(fd, &image, &len, &kind), 0);
	close(fd);
	if (want_kind)
		CHECK_STR(kind, want_kind);
	else
		CHECK(kind == NULL);
	CHECK_INT(len, wantlen);
	CHECK(!memcmp(image, want, len));
	free(image);
	free(want);
}

TEST(decompress_each_format)
{
	check_image("modules/blobs/image", NULL);
	check_image("modules/blobs/image.xz", "xz");
	check_image("modules/blobs/image.zst", "zstd");
	check_image("modules/blobs/image.gz", "gzip");
}

TEST(decompress_truncated_fails)
{
	void *image = (void *)1;
	size_t len = 1;
	int fd = open(t_fixture("modules/blobs/truncated.xz"), O_RDONLY | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK_INT(modules_read_image(fd, &image, &len, NULL), -EBADMSG);
	CHECK(image == NULL);
	close(fd);
}

/* A file of the fixture twice in a row, as `cat f f` makes it. */
static int doubled(const char *rel, char *path, size_t size)
{
	size_t len;
	char *data = slurp(t_fixture(rel), &len);
	FILE *f;
	int ok;

	snprintf(path, size, "%s/doubled-%s", t_tmpdir(), strrchr(rel, '/') + 1);
	f = fopen(path, "wbe");
	ok = data && f && fwrite(data, 1, len, f) == len && fwrite(data, 1, len, f) == len;
	if (f)
		ok = !fclose(f) && ok;
	free(data);
	return ok ? open(path, O_RDONLY | O_CLOEXEC) : -1;
}

/* xz streams and zstd frames in a row decode to their outputs in a row;
 * gzip ends with its first member. */
static void check_doubled(const char *rel, int times)
{
	char path[PATH_MAX];
	size_t wantlen, len;
	char *want = slurp(t_fixture("modules/blobs/image"), &wantlen);
	void *image = NULL;
	int fd = doubled(rel, path, sizeof(path));

	CHECK(want && fd >= 0);
	CHECK_INT(modules_read_image(fd, &image, &len, NULL), 0);
	close(fd);
	CHECK_INT(len, wantlen * (size_t)times);
	CHECK(!memcmp(image, want, wantlen));
	CHECK(times == 1 || !memcmp((char *)image + wantlen, want, wantlen));
	free(image);
	free(want);
}

TEST(decompress_streams_in_a_row)
{
	check_doubled("modules/blobs/image.xz", 2);
	check_doubled("modules/blobs/image.zst", 2);
	check_doubled("modules/blobs/image.gz", 1);
}

TEST(compression_by_magic)
{
	static const char *const want[][2] = {
		{ "modules/blobs/image", NULL }, { "modules/blobs/image.xz", "xz" },
		{ "modules/blobs/image.zst", "zstd" }, { "modules/blobs/image.gz", "gzip" },
	};
	char path[PATH_MAX];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		fd = open(t_fixture(want[i][0]), O_RDONLY | O_CLOEXEC);
		CHECK(fd >= 0);
		if (want[i][1])
			CHECK_STR(modules_compression(fd), want[i][1]);
		else
			CHECK(modules_compression(fd) == NULL);
		close(fd);
	}
	/* formats warmboot cannot decode read as plain files, as before */
	snprintf(path, sizeof(path), "%s/image.lz4", t_tmpdir());
	put(t_tmpdir(), "image.lz4", "\x02\x21\x4c\x18 not really lz4");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(modules_compression(fd) == NULL);
	close(fd);
}

TEST(insert_plain_uses_finit)
{
	struct modules_inserted how;
	char want[PATH_MAX + 64];

	new_root("plain");
	sys_record_reset();
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image"), "a=1", &how), 0);
	CHECK_INT(how.method, MODULES_FINIT);
	snprintf(want, sizeof(want), "finit_module %s \"a=1\" 0\n",
		 t_fixture("modules/blobs/image"));
	CHECK_STR(sys_record_log(), want);
}

TEST(insert_compressed_kernel_decompresses)
{
	struct modules_inserted how;
	char want[PATH_MAX + 64];
	const char *root = new_root("kxz");

	put(root, "sys/module/compression", "xz\n");
	sys_record_reset();
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image.xz"), "", &how), 0);
	CHECK_INT(how.method, MODULES_FINIT_COMPRESSED);
	snprintf(want, sizeof(want), "finit_module %s \"\" 4\n",
		 t_fixture("modules/blobs/image.xz"));
	CHECK_STR(sys_record_log(), want);
}

TEST(insert_compressed_other_format_decompressed_here)
{
	struct modules_inserted how;
	const char *root = new_root("kzstd");

	put(root, "sys/module/compression", "zstd\n");
	sys_record_reset();
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image.xz"), "x=y", &how), 0);
	CHECK_INT(how.method, MODULES_INIT_DECOMPRESSED);
	CHECK_STR(sys_record_log(), "init_module len=165000 \"x=y\"\n");
}

TEST(insert_compressed_falls_back_when_kernel_refuses_flag)
{
	struct modules_inserted how;
	char want[PATH_MAX + 128];

	new_root("k61");
	sys_record_reset();
	sys_record_fail("finit_module", EOPNOTSUPP);
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image.zst"), "", &how), 0);
	CHECK_INT(how.method, MODULES_INIT_DECOMPRESSED);
	snprintf(want, sizeof(want),
		 "finit_module %s \"\" 4 = %d\ninit_module len=165000 \"\"\n",
		 t_fixture("modules/blobs/image.zst"), -EOPNOTSUPP);
	CHECK_STR(sys_record_log(), want);
}

TEST(insert_errors)
{
	struct modules_inserted how;

	new_root("errors");
	sys_record_reset();
	sys_record_fail("finit_module", EEXIST);
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image"), "", &how), 0);
	sys_record_fail("finit_module", ENOEXEC);
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image"), "", &how), -ENOEXEC);
	CHECK_INT(how.by_kernel, 1);
	/* A real module error must not be retried through init_module. */
	sys_record_fail("finit_module", EINVAL);
	put(t_tmpdir(), "errors/sys/module/compression", "gzip\n");
	sys_record_reset();
	sys_record_fail("finit_module", EINVAL);
	CHECK_INT(modules_insert_file(t_fixture("modules/blobs/image.gz"), "", &how), -EINVAL);
	CHECK(strstr(sys_record_log(), "init_module len") == NULL);
	CHECK_INT(modules_insert_file("/nonexistent/x.ko", "", &how), -ENOENT);
	CHECK_INT(how.by_kernel, 0);
	sys_record_reset();
}

TEST(live_from_sys_root)
{
	const char *root = new_root("live");

	put(root, "sys/module/raid1/initstate", "live\n");
	put(root, "sys/module/raid0/initstate", "coming\n");
	put(root, "sys/module/md_mod/parameters/x", "1\n");
	CHECK(modules_is_live("raid1"));
	CHECK(!modules_is_live("raid0"));
	CHECK(!modules_is_live("md_mod"));
	CHECK(!modules_is_live("raid10"));
}

/* A device DEV (relative to devices, ".../sys/devices") with MODALIAS,
 * and its link in ../bus/BUS/devices (the bus: the modalias up to ':'), as
 * the kernel makes them. */
static void put_dev(const char *devices, const char *dev, const char *modalias)
{
	char rel[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
	const char *name = strrchr(dev, '/');

	snprintf(rel, sizeof(rel), "%s/modalias", dev);
	put(devices, rel, modalias);
	snprintf(rel, sizeof(rel), "../bus/%.*s/devices/.keep", (int)strcspn(modalias, ":"), modalias);
	put(devices, rel, "");
	snprintf(link, sizeof(link), "%s/%.*s%s", devices, (int)(strlen(rel) - 5), rel,
		 name ? name + 1 : dev);
	snprintf(target, sizeof(target), "../../../devices/%s", dev);
	CHECK_INT(symlink(target, link), 0);
}

/* Loader for the coldplug test: "loading" a host adapter's driver makes its
 * disk appear, as a SCSI host scan does. */
struct fake {
	const char *devices;
	char log[2048];
	int endless;
	int fail_virtio;
	int async_disk;		/* the SCSI disk appears in a wait, not at load */
	int sd_loads;		/* sd_mod counts as loaded */
	int waits;
};

static int fake_load(void *data, const struct coldplug_dev *dev)
{
	struct fake *f = data;
	size_t n = strlen(f->devices);

	strncat(f->log, dev->syspath + n, sizeof(f->log) - strlen(f->log) - 2);
	strcat(f->log, "\n");
	if (!strcmp(dev->modalias, "virtio:d00000008v00001AF4")) {
		if (f->fail_virtio)
			return -1;
		if (f->async_disk) {
			/* a SAS-like host: its disk comes later */
			put(f->devices, "../class/sas_host/host0/.keep", "");
			return 1;
		}
		put_dev(f->devices, "pci0000:00/0000:00:04.0/virtio0/host0/target0:0:0/0:0:0:0",
			"scsi:t-0x00\n");
		return 1;
	}
	if (!strncmp(dev->modalias, "pci:v00001AF4", 13)) {
		put_dev(f->devices, "pci0000:00/0000:00:04.0/virtio0",
			"virtio:d00000008v00001AF4\n");
		return 1;
	}
	if ((f->async_disk || f->sd_loads) && !strcmp(dev->modalias, "scsi:t-0x00"))
		return 1;	/* sd_mod */
	if (f->endless) {
		char rel[128];

		snprintf(rel, sizeof(rel), "more%d", f->endless++);
		put_dev(f->devices, rel, "scsi:t-0x00\n");
		return 1;
	}
	return 0;
}

/* A uevent wait: the first one brings the SCSI disk, as a SAS host's
 * discovery does; later ones time out. */
static int fake_wait(void *data, int timeout_ms)
{
	struct fake *f = data;

	if (f->waits++ || !f->async_disk || timeout_ms <= 0)
		return 0;
	put_dev(f->devices, "pci0000:00/0000:00:04.0/virtio0/host0/target0:0:0/0:0:0:0",
		"scsi:t-0x00\n");
	put(f->devices, "../class/scsi_device/0:0:0:0/.keep", "");
	return 1;
}

static void make_devices(const char *devices)
{
	put_dev(devices, "pci0000:00/0000:00:02.0",
		"pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00\n");
	put_dev(devices, "pci0000:00/0000:00:04.0",
		"pci:v00001AF4d00001004sv00001AF4sd00000008bc01sc00i00\n");
	put_dev(devices, "pci0000:00/0000:00:1f.2",
		"pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01\n");
	put(devices, "pci0000:00/0000:00:1f.2/driver/.keep", "");
}

/* A coldplug over the devices of make_devices in tmpdir/NAME, loaded by
 * fake_load. */
static void coldplug_setup(struct fake *f, struct coldplug *c, char *devices,
			   size_t len, const char *name)
{
	static char sysclass[PATH_MAX];

	memset(f, 0, sizeof(*f));
	memset(c, 0, sizeof(*c));
	snprintf(devices, len, "%s/%s/sys/devices", t_tmpdir(), name);
	snprintf(sysclass, sizeof(sysclass), "%s/%s/sys/class", t_tmpdir(), name);
	make_devices(devices);
	f->devices = devices;
	c->sysdevices = devices;
	c->sysclass = sysclass;
	c->max_rounds = 8;
	c->load = fake_load;
	c->data = f;
}

static const char chain_log[] = "/pci0000:00/0000:00:04.0\n"
				"/pci0000:00/0000:00:04.0/virtio0\n"
				"/pci0000:00/0000:00:04.0/virtio0/host0/target0:0:0/0:0:0:0\n";

TEST(coldplug_rounds_follow_new_devices)
{
	struct fake f;
	struct coldplug c;
	char devices[PATH_MAX];

	coldplug_setup(&f, &c, devices, sizeof(devices), "cp1");
	c.settle_ms = 60000;
	c.wait = fake_wait;
	CHECK_INT(modules_coldplug(&c), 0);
	/* GPU ignored, AHCI has a driver: virtio PCI, then virtio SCSI, then
	 * its disk, each in its own round; no host pending: no wait at all */
	CHECK_STR(f.log, chain_log);
	CHECK_INT(c.rounds, 3);
	CHECK_INT(c.failed, 0);
	CHECK_INT(f.waits, 0);
	CHECK_INT(c.scans, 4);
}

TEST(coldplug_waits_on_events_for_a_pending_host_only)
{
	struct fake f;
	struct coldplug c;
	char devices[PATH_MAX];

	coldplug_setup(&f, &c, devices, sizeof(devices), "cp4");
	f.async_disk = 1;
	c.settle_ms = 60000;	/* the host's disk ends the wait, not the clock */
	c.poll_ms = 1;
	c.wait = fake_wait;
	CHECK_INT(modules_coldplug(&c), 0);
	CHECK_STR(f.log, chain_log);
	CHECK_INT(c.rounds, 3);
	/* first scan; virtio PCI: its virtio device is there at once (2);
	 * virtio SCSI: nothing, its SAS host pending, a wait brings the disk
	 * (3, 4); sd_mod: nothing new, no host pending: done (5). */
	CHECK_INT(c.scans, 5);
	CHECK_INT(f.waits, 1);
	CHECK_STR(c.late, "");
}

/* A SAS host that never finds a disk: named in late when the deadline of
 * settle_ms passes, once in the whole run; the other devices go on. */
TEST(coldplug_never_finishing_host_keeps_the_deadline)
{
	struct fake f;
	struct coldplug c;
	char devices[PATH_MAX];
	long t0;

	coldplug_setup(&f, &c, devices, sizeof(devices), "cp6");
	put(devices, "../class/sas_host/host9/.keep", "");
	f.sd_loads = 1;		/* each round loads: each could wait */
	c.settle_ms = 150;
	c.poll_ms = 5;
	t0 = now_ms();
	CHECK_INT(modules_coldplug(&c), 0);
	CHECK(now_ms() - t0 >= 150);
	CHECK(now_ms() - t0 < 1000);
	CHECK_STR(f.log, chain_log);
	CHECK_INT(c.rounds, 3);
	CHECK_STR(c.late, "host9");
}

/* The candidates are the storage buses' devices: one outside them (a
 * virtual device whose modalias looks like a disk's), a bus link to a
 * device without modalias (a SCSI host) and a bus not there (virtio) are
 * nothing; the order is the devices' paths, not the buses'. */
TEST(scan_storage_finds_the_buses_devices)
{
	struct coldplug_scan scan;
	char devices[PATH_MAX];

	snprintf(devices, sizeof(devices), "%s/bus1/sys/devices", t_tmpdir());
	put_dev(devices, "pci0000:00/0000:00:05.0/host0/target0:0:0/0:0:0:0", "scsi:t-0x00\n");
	put_dev(devices, "pci0000:00/0000:00:05.0", "pci:v00001000d0000005Dsv00001000sd00009361bc01sc04i00\n");
	put_dev(devices, "pci0000:00/0000:00:02.0", "pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00\n");
	put(devices, "virtual/block/loop0/modalias", "scsi:t-0x00\n");
	put(devices, "pci0000:00/0000:00:05.0/host0/uevent", "");
	CHECK_INT(symlink("../../../devices/pci0000:00/0000:00:05.0/host0",
			  strcat(strcpy((char[PATH_MAX]){ 0 }, devices), "/../bus/scsi/devices/host0")), 0);
	CHECK_INT(modules_scan_storage(devices, &scan), 0);
	CHECK_INT((int)scan.devs.n, 2);
	if (scan.devs.n == 2) {
		CHECK_STR(scan.devs.v[0].syspath + strlen(devices), "/pci0000:00/0000:00:05.0");
		CHECK_STR(scan.devs.v[1].syspath + strlen(devices),
			  "/pci0000:00/0000:00:05.0/host0/target0:0:0/0:0:0:0");
		CHECK_STR(scan.devs.v[1].modalias, "scsi:t-0x00");
	}
	modules_scan_free(&scan);
}

TEST(storage_pending_nvme_without_namespace_and_sas_without_device)
{
	char cls[PATH_MAX], buf[64];

	snprintf(cls, sizeof(cls), "%s/pend/sys/class", t_tmpdir());
	CHECK_INT(modules_storage_pending(cls, buf, sizeof(buf)), 0);
	put(cls, "nvme/nvme0/state", "connecting\n");
	put(cls, "nvme/nvme1/state", "live\n");
	put(cls, "nvme/nvme1/nvme1n1/size", "8\n");
	put(cls, "nvme/nvme2/nvme2c2n1/size", "8\n");	/* multipath */
	put(cls, "sas_host/host3/.keep", "");
	put(cls, "scsi_device/2:0:0:0/.keep", "");
	CHECK_INT(modules_storage_pending(cls, buf, sizeof(buf)), 2);
	CHECK_STR(buf, "host3 nvme0");
	put(cls, "scsi_device/3:0:1:0/.keep", "");
	put(cls, "nvme/nvme0/nvme0n1/size", "8\n");
	CHECK_INT(modules_storage_pending(cls, buf, sizeof(buf)), 0);
	CHECK_INT(modules_storage_pending(NULL, buf, sizeof(buf)), 0);
}

TEST(coldplug_failure_counted_and_bounded)
{
	struct fake f;
	struct coldplug c;
	char devices[PATH_MAX];

	coldplug_setup(&f, &c, devices, sizeof(devices), "cp2");
	f.fail_virtio = 1;
	c.settle_ms = 0;
	CHECK_INT(modules_coldplug(&c), 0);
	CHECK_INT(c.failed, 1);
	CHECK_INT(c.rounds, 2);

	/* A loader that always brings a new device stops at max_rounds. */
	memset(&f, 0, sizeof(f));
	snprintf(devices, sizeof(devices), "%s/cp3/sys/devices", t_tmpdir());
	put_dev(devices, "x", "scsi:t-0x00\n");
	f.devices = devices;
	f.endless = 1;
	c.sysdevices = devices;
	c.max_rounds = 4;
	c.settle_ms = 100;
	c.poll_ms = 1;
	c.data = &f;
	CHECK_INT(modules_coldplug(&c), 0);
	CHECK_INT(c.rounds, 4);
}

TEST(coldplug_missing_sysfs)
{
	struct coldplug c;

	memset(&c, 0, sizeof(c));
	c.sysdevices = "/nonexistent/sys/devices";
	c.max_rounds = 2;
	c.load = fake_load;
	CHECK_INT(modules_coldplug(&c), -ENOENT);
}
