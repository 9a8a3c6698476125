/* Finding md members: walk /sys/class/block (under sys_root()), skip what
 * cannot hold one, honour DEVICE lines, probe each device, and set aside a
 * disk whose end only echoes its last partition's superblock. */
#include "md/scan.h"
#include "sys/sys.h"
#include "lib/text.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int skipped_name(const char *name)
{
	static const char *const prefixes[] = { "ram", "zram", "md", "fd", "sr", NULL };
	int i;

	for (i = 0; prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/* A loop device with no backing file has nothing to read. */
static int unbacked_loop(const char *sysdir, const char *name)
{
	char path[512];
	struct stat st;

	if (strncmp(name, "loop", 4))
		return 0;
	snprintf(path, sizeof(path), "%s/%s/loop/backing_file", sysdir, name);
	return stat(path, &st) < 0;
}

/* DEVICE globs name devices by any path (/dev/disk/by-id/...): match the
 * name, then entries of the pattern's directory by device number. Wildcards
 * in the last component only, which is what DEVICE lines use. */
static int glob_matches(const char *pattern, const char *devpath, dev_t rdev)
{
	char dir[512], path[1024];
	const char *slash = strrchr(pattern, '/');
	struct dirent *e;
	struct stat st;
	DIR *d;
	int hit = 0;

	if (!fnmatch(pattern, devpath, 0))
		return 1;
	if (!slash || strpbrk(pattern, "*?[") < slash)
		return 0;
	snprintf(dir, sizeof(dir), "%s%.*s", sys_root(), (int)(slash - pattern), pattern);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!hit && (e = readdir(d))) {
		if (e->d_name[0] == '.' || fnmatch(slash + 1, e->d_name, 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		hit = !stat(path, &st) && S_ISBLK(st.st_mode) && st.st_rdev == rdev;
	}
	closedir(d);
	return hit;
}

static int conf_allows(const struct md_conf *conf, const char *devpath, dev_t rdev)
{
	unsigned i;

	if (!conf || !conf->device_line_seen)
		return 1;
	for (i = 0; i < conf->ndevices; i++) {
		if (!strcmp(conf->devices[i], "partitions"))
			return 1;
		if (!strcmp(conf->devices[i], "containers"))
			continue;
		if (glob_matches(conf->devices[i], devpath, rdev))
			return 1;
	}
	return 0;
}

static struct md_seen *add_seen(struct md_scan *scan)
{
	struct md_seen *s = array_push(&scan->dev);

	if (s)
		s->echo_of = -1;
	return s;
}

static int probe_into(struct md_scan *scan, const char *path, const char *open_path,
		      unsigned maj, unsigned min)
{
	struct md_seen *s = add_seen(scan);

	if (!s)
		return -ENOMEM;
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->major = maj;
	s->minor = min;
	s->err = md_examine_path(open_path, &s->found);
	return 0;
}

/* A partition's disk and offset, from /sys/class/block/NAME. */
static void partition_info(const char *sysdir, const char *name, struct md_seen *s)
{
	char path[768], real[1024], buf[64], *slash;

	snprintf(path, sizeof(path), "%s/%s/partition", sysdir, name);
	if (read_first_line(path, buf, sizeof(buf)))
		return;
	snprintf(path, sizeof(path), "%s/%s/start", sysdir, name);
	if (!read_first_line(path, buf, sizeof(buf)))
		s->start = strtoull(buf, NULL, 10) * 512;
	/* the partition's sysfs directory lives inside its disk's */
	snprintf(path, sizeof(path), "%s/%s/..", sysdir, name);
	if (realpath(path, real) && (slash = strrchr(real, '/')))
		snprintf(s->disk, sizeof(s->disk), "%s", slash + 1);
}

/* A 0.90 or 1.0 superblock sits at the end of a device: the one of a
 * disk's last partition is also at the end of the disk. Such a disk is
 * not a member; its partition is (mdadm would refuse both as "very
 * similar superblocks"). */
static void drop_partition_echoes(struct md_scan *scan)
{
	unsigned i, k;

	for (i = 0; i < scan->dev.n; i++) {
		struct md_seen *d = &scan->dev.v[i];
		const char *name = strrchr(d->path, '/') ? strrchr(d->path, '/') + 1 : d->path;

		if (d->found.format != MD_FMT_090 && d->found.format != MD_FMT_10)
			continue;
		for (k = 0; k < scan->dev.n; k++) {
			const struct md_seen *p = &scan->dev.v[k];
			if (k == i || strcmp(p->disk, name) || p->found.format != d->found.format ||
			    memcmp(p->found.m.uuid, d->found.m.uuid, 16) ||
			    p->start + p->found.m.sb_offset != d->found.m.sb_offset)
				continue;
			d->found.format = -1;
			d->echo_of = (int)k;
			break;
		}
	}
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

int md_scan_system(const struct md_conf *conf, struct md_scan *scan)
{
	char sysdir[512], path[768], devpath[300], open_path[800], num[32];
	struct dirent **names;
	int n, i, err = 0;

	memset(scan, 0, sizeof(*scan));
	snprintf(sysdir, sizeof(sysdir), "%s/sys/class/block", sys_root());
	n = scandir(sysdir, &names, NULL, cmp_names);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		unsigned maj, min;

		if (name[0] == '.' || skipped_name(name) || unbacked_loop(sysdir, name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/dev", sysdir, name);
		if (read_first_line(path, num, sizeof(num)) || parse_devnum(num, &maj, &min))
			continue;
		snprintf(devpath, sizeof(devpath), "/dev/%s", name);
		if (!conf_allows(conf, devpath, makedev(maj, min)))
			continue;
		snprintf(open_path, sizeof(open_path), "%s%s", sys_root(), devpath);
		err = probe_into(scan, devpath, open_path, maj, min);
		if (err)
			break;
		partition_info(sysdir, name, &scan->dev.v[scan->dev.n - 1]);
	}
	if (!err)
		drop_partition_echoes(scan);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

int md_scan_paths(char *const *paths, unsigned n, struct md_scan *scan)
{
	unsigned i;
	int err;

	memset(scan, 0, sizeof(*scan));
	for (i = 0; i < n; i++) {
		struct stat st;
		unsigned maj = 0, min = 0;

		if (!stat(paths[i], &st) && S_ISBLK(st.st_mode)) {
			maj = major(st.st_rdev);
			min = minor(st.st_rdev);
		}
		err = probe_into(scan, paths[i], paths[i], maj, min);
		if (err)
			return err;
	}
	return 0;
}

void md_scan_free(struct md_scan *scan)
{
	array_free(&scan->dev);
}

int md_same_array(const struct md_member *a, const struct md_member *b)
{
	int a090 = a->format == MD_FMT_090, b090 = b->format == MD_FMT_090;

	return a090 == b090 && !memcmp(a->uuid, b->uuid, 16);
}

int md_conf_load_system(struct md_conf *conf, char *path, size_t len)
{
	static const char *const paths[] = { "/etc/mdadm/mdadm.conf", "/etc/mdadm.conf" };
	char buf[512];
	unsigned i;
	int err, first = -ENOENT;

	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "%s%s", sys_root(), paths[i]);
		err = md_conf_load(buf, conf);
		if (!err)
			return 0;
		if (err != -ENOENT && first == -ENOENT) {
			first = err;
			snprintf(path, len, "%s", buf);
		}
	}
	return first;
}
