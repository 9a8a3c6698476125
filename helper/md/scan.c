/* Finding md members: walk /sys/class/block (under sys_root()), skip what
 * cannot hold one, honour DEVICE lines, probe each device, and set aside a
 * disk whose end only echoes its last partition's superblock. */
#include "md/scan.h"
#include "sys/sys.h"
#include "lib/file.h"
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
 * in the last component only, which is what DEVICE lines use. With best,
 * the greatest matching path (the last of glob()'s sorted list) goes there. */
static int glob_match(const char *pattern, const char *devpath, dev_t rdev,
		      char *best, size_t len)
{
	char dir[512], path[1024];
	const char *slash = strrchr(pattern, '/');
	struct dirent *e;
	struct stat st;
	DIR *d;
	int hit = !fnmatch(pattern, devpath, 0);

	if (hit && best)
		snprintf(best, len, "%s", devpath);
	if ((hit && !best) || !slash || strpbrk(pattern, "*?[") < slash)
		return hit;
	snprintf(dir, sizeof(dir), "%s%.*s", sys_root(), (int)(slash - pattern), pattern);
	d = opendir(dir);
	if (!d)
		return hit;
	while ((!hit || best) && (e = readdir(d))) {
		if (e->d_name[0] == '.' || fnmatch(slash + 1, e->d_name, 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISBLK(st.st_mode) || st.st_rdev != rdev)
			continue;
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - pattern), pattern, e->d_name);
		if (best && (!hit || strcmp(path, best) > 0))
			snprintf(best, len, "%s", path);
		hit = 1;
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
		if (glob_match(conf->devices[i], devpath, rdev, NULL, 0))
			return 1;
	}
	return 0;
}

static struct md_seen *add_seen(struct md_scan *scan)
{
	struct md_seen *s = array_push(&scan->dev);

	if (s) {
		s->echo_of = -1;
		s->order = (unsigned)(scan->dev.n - 1);
	}
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

/* mdadm's device list (config.c conf_get_devs) decides ties: the first
 * member in it with the most events is the most recent, and keeps its slot
 * against equals. Without DEVICE lines it is /proc/partitions backwards
 * (load_partitions prepends each line). With them: the matches of every
 * glob (each glob sorted, the globs concatenated) backwards, then, for a
 * `partitions` word, /proc/partitions backwards. */
struct order_key {
	unsigned group;		/* 0 a DEVICE glob, 1 /proc/partitions, 2 neither */
	unsigned pattern;	/* the last DEVICE glob naming it */
	char path[256];		/* that glob's greatest match */
	size_t rank;		/* place in /proc/partitions, counted from the end */
	unsigned index;		/* place in the scan */
};

typedef ARRAY(dev_t) devnums;

/* /proc/partitions' device numbers in file order; empty when unreadable. */
static void read_partitions(devnums *parts)
{
	char path[512], *buf, *line, *save;
	size_t len;

	snprintf(path, sizeof(path), "%s/proc/partitions", sys_root());
	if (read_file(path, 1 << 20, &buf, &len))
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long maj, min;
		dev_t *d;

		/* mdadm's test: entries start with a space, then "MAJOR MINOR" */
		if (line[0] != ' ')
			continue;
		maj = strtoul(line, &end, 10);
		if (end == line || *end != ' ')
			continue;
		min = strtoul(end, NULL, 10);
		if (!(d = array_push(parts)))
			break;
		*d = makedev(maj, min);
	}
	free(buf);
}

static void order_key_of(const struct md_conf *conf, const devnums *parts,
			 const struct md_seen *s, unsigned index, struct order_key *k)
{
	dev_t rdev = makedev(s->major, s->minor);
	int uses_partitions = !conf || !conf->device_line_seen;
	unsigned i;
	size_t pos;

	memset(k, 0, sizeof(*k));
	k->index = index;
	k->group = 2;
	for (i = 0; conf && conf->device_line_seen && i < conf->ndevices; i++) {
		char best[256];

		if (!strcmp(conf->devices[i], "partitions"))
			uses_partitions = 1;
		else if (strcmp(conf->devices[i], "containers") &&
			 glob_match(conf->devices[i], s->path, rdev, best, sizeof(best))) {
			k->group = 0;
			k->pattern = i;
			snprintf(k->path, sizeof(k->path), "%s", best);
		}
	}
	if (k->group == 0 || !uses_partitions)
		return;
	for (pos = 0; pos < parts->n; pos++)
		if (parts->v[pos] == rdev) {
			k->group = 1;
			k->rank = parts->n - 1 - pos;
			return;
		}
}

static int cmp_order(const void *pa, const void *pb)
{
	const struct order_key *a = pa, *b = pb;
	int c;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->group == 0 && a->pattern != b->pattern)
		return a->pattern > b->pattern ? -1 : 1;
	if (a->group == 0 && (c = strcmp(b->path, a->path)))
		return c;
	if (a->group == 1 && a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Each device's place in mdadm's list. Without /proc/partitions (a test
 * tree) and no DEVICE glob, the scan order stands. */
static int order_as_mdadm(const struct md_conf *conf, struct md_scan *scan)
{
	devnums parts = { 0 };
	struct order_key *keys;
	unsigned i;

	if (!scan->dev.n)
		return 0;
	keys = calloc(scan->dev.n, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	read_partitions(&parts);
	for (i = 0; i < scan->dev.n; i++)
		order_key_of(conf, &parts, &scan->dev.v[i], i, &keys[i]);
	qsort(keys, scan->dev.n, sizeof(*keys), cmp_order);
	for (i = 0; i < scan->dev.n; i++)
		scan->dev.v[keys[i].index].order = i;
	array_free(&parts);
	free(keys);
	return 0;
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
	if (!err)
		err = order_as_mdadm(conf, scan);
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
