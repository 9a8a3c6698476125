/* Coldplug of storage devices: the storage buses' devices by modalias, the round loop. */
#include "modules/coldplug.h"
#include "lib/clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "pci:v00008086d00002922sv...sd...bc01sc06i01": class after "bc". */
static int pci_storage(const char *alias)
{
	const char *bc = strstr(alias, "bc");

	return bc && !strncmp(bc, "bc01", 4);
}

/* "virtio:d00000002v00001AF4": device id 2 block, 8 SCSI. */
static int virtio_storage(const char *alias)
{
	return !strncmp(alias, "virtio:d00000002v", 17) ||
	       !strncmp(alias, "virtio:d00000008v", 17);
}

/* "scsi:t-0x00": the types sd_mod drives. */
static int scsi_storage(const char *alias)
{
	static const char *const types[] = { "0x00", "0x07", "0x0e", "0x14" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(alias + 7, types[i]))
			return 1;
	return 0;
}

int modules_storage_alias(const char *modalias)
{
	if (!modalias)
		return 0;
	if (!strncmp(modalias, "pci:", 4))
		return pci_storage(modalias);
	if (!strncmp(modalias, "virtio:", 7))
		return virtio_storage(modalias);
	if (!strncmp(modalias, "scsi:t-", 7))
		return scsi_storage(modalias);
	return 0;
}

static int push_dev(struct coldplug_scan *s, const char *syspath, const char *alias)
{
	struct coldplug_dev *d = array_push(&s->devs);

	if (!d)
		return -ENOMEM;
	d->syspath = strdup(syspath);
	d->modalias = strdup(alias);
	if (!d->syspath || !d->modalias) {
		free(d->syspath);
		free(d->modalias);
		s->devs.n--;
		return -ENOMEM;
	}
	return 0;
}

static void dev_free(struct coldplug_dev *d)
{
	free(d->syspath);
	free(d->modalias);
}

void modules_scan_free(struct coldplug_scan *scan)
{
	size_t i;

	for (i = 0; i < scan->devs.n; i++)
		dev_free(&scan->devs.v[i]);
	array_free(&scan->devs);
}

/* The device in dirfd has a modalias and no driver: a candidate. */
static int check_dev(int dirfd, const char *path, struct coldplug_scan *out)
{
	char alias[512];
	struct stat st;
	ssize_t n;
	int fd;

	fd = openat(dirfd, "modalias", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, alias, sizeof(alias) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	alias[n] = 0;
	alias[strcspn(alias, "\n")] = 0;
	if (!modules_storage_alias(alias))
		return 0;
	if (fstatat(dirfd, "driver", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	return push_dev(out, path, alias);
}

/* The buses of the modaliases modules_storage_alias knows ("pci:",
 * "virtio:", "scsi:t-": a modalias starts with its bus's name). Their
 * devices, and so every candidate, are the links in /sys/bus/BUS/devices,
 * which udev's trigger enumerates too: a few dozen entries, where a walk of
 * /sys/devices reads every directory (~600 in a small guest, half of them
 * in virtual/ and system/; ~0.8 s a walk under TCG, three walks a run). */
static const char *const storage_buses[] = { "pci", "virtio", "scsi" };

/* The device a bus link names: "../../../devices/X" -> sysdevices/X. */
static int link_target(const char *sysdevices, int dirfd, const char *name, char *out,
		       size_t len)
{
	char target[PATH_MAX];
	const char *p = target;
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n <= 0)
		return 0;
	target[n] = 0;
	while (!strncmp(p, "../", 3))
		p += 3;
	if (strncmp(p, "devices/", 8))
		return 0;
	return snprintf(out, len, "%s/%s", sysdevices, p + 8) < (int)len;
}

/* The candidates among the devices of one bus; none when it has no
 * directory (its core module not loaded yet: scsi_mod, virtio). */
static int scan_bus(const char *sysdevices, const char *bus, struct coldplug_scan *out)
{
	char path[PATH_MAX], dev[PATH_MAX];
	struct dirent *e;
	int err = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%.*s/bus/%s/devices",
		 (int)(strrchr(sysdevices, '/') - sysdevices), sysdevices, bus);
	d = opendir(path);
	if (!d)
		return 0;
	while (!err && (e = readdir(d))) {
		int fd;

		if (e->d_name[0] == '.' || !link_target(sysdevices, dirfd(d), e->d_name, dev, sizeof(dev)))
			continue;
		fd = open(dev, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		err = check_dev(fd, dev, out);
		close(fd);
	}
	closedir(d);
	return err;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct coldplug_dev *)a)->syspath,
		      ((const struct coldplug_dev *)b)->syspath);
}

int modules_scan_storage(const char *sysdevices, struct coldplug_scan *out)
{
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	if (!strrchr(sysdevices, '/'))
		return -EINVAL;
	/* no device tree at all is an error; a bus without devices is not */
	err = access(sysdevices, F_OK) ? -errno : 0;
	for (i = 0; !err && i < sizeof(storage_buses) / sizeof(storage_buses[0]); i++)
		err = scan_bus(sysdevices, storage_buses[i], out);
	if (err < 0) {
		modules_scan_free(out);
		return err;
	}
	if (out->devs.n)
		qsort(out->devs.v, out->devs.n, sizeof(out->devs.v[0]), cmp_dev);
	return 0;
}

/* Devices already handed to the loader, as "syspath\nmodalias". */
struct seen {
	ARRAY(char *) keys;
};

static int seen_has(const struct seen *s, const struct coldplug_dev *d)
{
	size_t i, lp = strlen(d->syspath);

	for (i = 0; i < s->keys.n; i++) {
		const char *k = s->keys.v[i];

		if (!strncmp(k, d->syspath, lp) && k[lp] == '\n' &&
		    !strcmp(k + lp + 1, d->modalias))
			return 1;
	}
	return 0;
}

static int seen_add(struct seen *s, const struct coldplug_dev *d)
{
	char **key = array_push(&s->keys);

	if (!key)
		return -ENOMEM;
	if (asprintf(key, "%s\n%s", d->syspath, d->modalias) < 0) {
		s->keys.n--;
		return -ENOMEM;
	}
	return 0;
}

static void seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->keys.n; i++)
		free(s->keys.v[i]);
	array_free(&s->keys);
}

/* Scans and keeps only devices not handed to the loader yet. */
static int scan_new(struct coldplug *c, const struct seen *seen,
		    struct coldplug_scan *out)
{
	size_t i, k = 0;
	int err = modules_scan_storage(c->sysdevices, out);

	c->scans++;

	if (err < 0)
		return err;
	for (i = 0; i < out->devs.n; i++) {
		if (seen_has(seen, &out->devs.v[i]))
			dev_free(&out->devs.v[i]);
		else
			out->devs.v[k++] = out->devs.v[i];
	}
	out->devs.n = k;
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* An entry of dir longer than prefix and starting with it. */
static int has_entry(const char *dir, const char *prefix)
{
	size_t n = strlen(prefix);
	struct dirent *e;
	int found = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while (!found && (e = readdir(d)))
		found = !strncmp(e->d_name, prefix, n) && e->d_name[n];
	closedir(d);
	return found;
}

static void add_name(char *buf, size_t len, const char *name, int more)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", more ? " " : "", name);
}

/* Pending: an NVMe controller without a namespace (an entry nvme0n1, or
 * nvme0c0n1 with multipath, in its directory: it has one only once live),
 * a SAS host without a SCSI device "H:C:T:L" of its own. */
int modules_storage_pending(const char *sysclass, char *buf, size_t len)
{
	char path[PATH_MAX], dev[PATH_MAX], prefix[40];
	struct dirent *e;
	int n = 0, nvme;

	buf[0] = 0;
	for (nvme = 0; sysclass && nvme < 2; nvme++) {
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", sysclass, nvme ? "nvme" : "sas_host");
		if (!(d = opendir(path)))
			continue;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(dev, sizeof(dev), "%s/%s", nvme ? path : sysclass,
				 nvme ? e->d_name : "scsi_device");
			snprintf(prefix, sizeof(prefix), "%s%s", nvme ? e->d_name : e->d_name + 4,
				 nvme ? "" : ":");
			if (!has_entry(dev, prefix))
				add_name(buf, len, e->d_name, n++);
		}
		closedir(d);
	}
	return n;
}

/* After a round that loaded something: new devices, or a wait while
 * started hosts are pending, settle_ms at most in the whole run (then
 * they are named in c->late). *until: the deadline, once one was pending. */
static int settle(struct coldplug *c, const struct seen *seen, int loaded, long *until,
		  struct coldplug_scan *scan)
{
	char pending[sizeof(c->late)];

	for (;;) {
		long left;
		int w, err = scan_new(c, seen, scan);

		if (err || scan->devs.n || !loaded ||
		    !modules_storage_pending(c->sysclass, pending, sizeof(pending)))
			return err;
		if (!*until)
			*until = now_ms() + c->settle_ms;
		left = *until - now_ms();
		if (left <= 0) {
			snprintf(c->late, sizeof(c->late), "%s", pending);
			return 0;
		}
		modules_scan_free(scan);
		w = c->wait ? c->wait(c->data, (int)left) : -1;
		if (w < 0)
			sleep_ms(c->poll_ms > 0 ? c->poll_ms : 10);
	}
}

int modules_coldplug(struct coldplug *c)
{
	struct coldplug_scan scan;
	struct seen seen = { 0 };
	int err, loaded;
	long until = 0;
	size_t i;

	c->rounds = 0;
	c->failed = 0;
	c->scans = 0;
	c->late[0] = 0;
	err = scan_new(c, &seen, &scan);
	while (!err && scan.devs.n && c->rounds < c->max_rounds) {
		loaded = 0;
		c->rounds++;
		for (i = 0; i < scan.devs.n && !err; i++) {
			int r = c->load(c->data, &scan.devs.v[i]);

			if (r > 0)
				loaded = 1;
			else if (r < 0)
				c->failed++;
			err = seen_add(&seen, &scan.devs.v[i]);
		}
		modules_scan_free(&scan);
		if (!err)
			err = settle(c, &seen, loaded, &until, &scan);
	}
	if (!err)
		modules_scan_free(&scan);
	seen_free(&seen);
	return err;
}
