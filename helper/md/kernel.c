/* The running kernel's md state, read from sysfs under sys_root(), and the
 * calls that change it (new_array, SET_ARRAY_INFO, ADD_NEW_DISK, RUN_ARRAY,
 * STOP_ARRAY), all through sys.h. */
#include "md/kernel.h"
#include "sys/md_ioctl.h"
#include "sys/sys.h"
#include "lib/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int md_minor_busy(int minor, void *ctx)
{
	char path[512], state[32];

	(void)ctx;
	snprintf(path, sizeof(path), "%s/sys/block/md%d/md/array_state", sys_root(), minor);
	if (read_first_line(path, state, sizeof(state)))
		return 0;
	return strcmp(state, "clear") != 0;
}

static int member_of(const char *root, const char *md, unsigned maj, unsigned min)
{
	char path[768], num[32];
	struct dirent *e;
	DIR *d;
	int hit = 0;

	snprintf(path, sizeof(path), "%s/sys/block/%s/md", root, md);
	d = opendir(path);
	if (!d)
		return 0;
	while (!hit && (e = readdir(d))) {
		unsigned a, b;
		if (strncmp(e->d_name, "dev-", 4))
			continue;
		snprintf(path, sizeof(path), "%s/sys/block/%s/md/%s/block/dev", root, md,
			 e->d_name);
		if (!read_first_line(path, num, sizeof(num)) && !parse_devnum(num, &a, &b) &&
		    a == maj && b == min)
			hit = 1;
	}
	closedir(d);
	return hit;
}

int md_device_in_use(unsigned maj, unsigned min, char devnm[32])
{
	char path[512];
	struct dirent *e;
	DIR *d;
	int hit = 0;

	snprintf(path, sizeof(path), "%s/sys/block", sys_root());
	d = opendir(path);
	if (!d)
		return 0;
	while (!hit && (e = readdir(d))) {
		if (strncmp(e->d_name, "md", 2) || !strcmp(e->d_name, "md"))
			continue;
		if (member_of(sys_root(), e->d_name, maj, min)) {
			snprintf(devnm, 32, "%s", e->d_name);
			hit = 1;
		}
	}
	closedir(d);
	return hit;
}

int md_devnm_of(const char *arg, char *out, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];
	const char *base;

	if (!strchr(arg, '/')) {
		snprintf(out, len, "%s", arg);
		return strncmp(out, "md", 2) ? -ENODEV : 0;
	}
	snprintf(path, sizeof(path), "%s%s", sys_root(), arg);
	if (!realpath(path, real))
		return -errno;
	base = strrchr(real, '/');
	snprintf(out, len, "%s", base ? base + 1 : real);
	return strncmp(out, "md", 2) ? -ENODEV : 0;
}

int md_array_state(const char *devnm, char *state, size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sys/block/%s/md/array_state", sys_root(), devnm);
	return read_first_line(path, state, len);
}

int md_array_inactive(const char *devnm)
{
	char state[32];

	return !md_array_state(devnm, state, sizeof(state)) && !strcmp(state, "inactive");
}

void md_scan_mark_bound(struct md_scan *scan)
{
	unsigned i;

	for (i = 0; i < scan->dev.n; i++) {
		struct md_seen *s = &scan->dev.v[i];

		s->held_by[0] = 0;
		s->held_inactive = 0;
		if (s->found.format >= 0 && s->major &&
		    md_device_in_use(s->major, s->minor, s->held_by))
			s->held_inactive = md_array_inactive(s->held_by);
	}
}

int md_udev_running(void)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/run/udev/control", sys_root());
	return stat(path, &st) == 0;
}

static int ensure_node(const char *devnm, int minor)
{
	char dev[64], path[600];
	struct stat st;
	int err;

	snprintf(dev, sizeof(dev), "/dev/%s", devnm);
	snprintf(path, sizeof(path), "%s%s", sys_root(), dev);
	if (!stat(path, &st))
		return 0;
	err = sys_mknod(dev, S_IFBLK | 0600, makedev(9, (unsigned)minor));
	return err == -EEXIST ? 0 : err;
}

static int make_link(const struct md_naming *nm, int inactive)
{
	char target[64], path[512];
	struct stat st;
	int udev = md_udev_running(), err;

	/* udev's md rules pass over inactive arrays, and mdadm leaves the
	 * link to udev when it runs: no link then */
	if (!nm->link[0] || (inactive && udev))
		return 0;
	snprintf(path, sizeof(path), "%s%s", sys_root(), nm->link);
	/* with udev, its md rules own the link; make it only when none is
	 * there (images with udev but without mdadm's rules) */
	if (udev && !lstat(path, &st))
		return 0;
	err = sys_mkdir("/dev/md", 0755);
	if (err && err != -EEXIST)
		return err;
	snprintf(target, sizeof(target), "../%s", nm->devnm);
	if (!udev && !lstat(path, &st))
		sys_unlink(nm->link);	/* a stale link from an earlier boot */
	err = sys_symlink(target, nm->link);
	return err == -EEXIST && udev ? 0 : err;	/* udev was quicker */
}

static void disk_info(const struct plan_member *pm, mdu_disk_info_t *d)
{
	memset(d, 0, sizeof(*d));
	d->number = (int)pm->m->dev_number;
	d->major = (int)pm->major;
	d->minor = (int)pm->minor;
	d->raid_disk = pm->slot >= 0 && pm->use != USE_SPARE ? pm->slot : -1;
	if (pm->use == USE_ACTIVE)
		d->state = 1 << MD_DISK_ACTIVE | 1 << MD_DISK_SYNC;
	else if (pm->use == USE_REPLACEMENT || pm->use == USE_REBUILDING)
		d->state = 1 << MD_DISK_ACTIVE;
}

static int add_members(int fd, const struct plan *p)
{
	mdu_disk_info_t d;
	unsigned i;
	int err;

	for (i = 0; i < p->n; i++) {
		if ((int)i == p->chosen || !plan_member_used(&p->mem[i]) || p->mem[i].bound)
			continue;
		disk_info(&p->mem[i], &d);
		err = sys_ioctl(fd, ADD_NEW_DISK, &d);
		if (err)
			return err;
	}
	if (p->mem[p->chosen].bound)
		return 0;
	disk_info(&p->mem[p->chosen], &d);
	return sys_ioctl(fd, ADD_NEW_DISK, &d);
}

/* new_array, its node, and SET_ARRAY_INFO with the version the members
 * carry: the kernel reads everything else from their superblocks. */
static int create_array(const struct md_member *fresh, const struct md_naming *nm,
			int *fd, const char **step)
{
	mdu_array_info_t info;
	char dev[64];
	int err;

	*step = "create";
	err = sys_write_attr("/sys/module/md_mod/parameters/new_array", nm->devnm);
	if (err && err != -EEXIST)
		return err;
	err = ensure_node(nm->devnm, nm->minor);
	if (err)
		return err;
	snprintf(dev, sizeof(dev), "/dev/%s", nm->devnm);
	*step = "open";
	*fd = sys_open_dev(dev, O_RDWR | O_EXCL);
	if (*fd < 0)
		return *fd;
	memset(&info, 0, sizeof(info));
	info.major_version = fresh->format == MD_FMT_090 ? 0 : 1;
	info.minor_version = fresh->format == MD_FMT_090 ? 90 : fresh->minor_version;
	*step = "set array info";
	return sys_ioctl(*fd, SET_ARRAY_INFO, &info);
}

/* An inactive array keeps its version and members: open it only. */
static int open_existing(const struct md_naming *nm, int *fd, const char **step)
{
	char dev[64];

	snprintf(dev, sizeof(dev), "/dev/%s", nm->devnm);
	*step = "open";
	*fd = sys_open_dev(dev, O_RDWR | O_EXCL);
	return *fd < 0 ? *fd : 0;
}

static int run_array(int fd, const struct plan *p, const struct md_naming *nm,
		     const struct md_start_opts *o, const char **step)
{
	char attr[128];
	int err;

	if (o->readonly) {
		*step = "start read-only";
		snprintf(attr, sizeof(attr), "/sys/block/%s/md/array_state", nm->devnm);
		return sys_write_attr(attr, "readonly");
	}
	*step = "run";
	if (p->start_dirty) {
		err = sys_write_attr("/sys/module/md_mod/parameters/start_dirty_degraded", "1");
		if (err)
			return err;
	}
	err = sys_ioctl(fd, RUN_ARRAY, NULL);
	if (p->start_dirty)
		sys_write_attr("/sys/module/md_mod/parameters/start_dirty_degraded", "0");
	return err;
}

int md_start(const struct plan *p, const struct md_naming *nm,
	     struct md_start_opts *o, const char **step)
{
	const struct md_member *fresh = p->mem[p->freshest].m;
	int run = p->outcome == PLAN_START || p->outcome == PLAN_START_DEGRADED;
	int fd = -1, err;

	/* a failure here is not final: the kernel may still find the
	 * personality itself, and RUN_ARRAY will say if it does not */
	o->personality_err = o->load_personality && run ?
			     o->load_personality(fresh->level) : 0;
	err = o->existing ? open_existing(nm, &fd, step) : create_array(fresh, nm, &fd, step);
	if (!err) {
		*step = "add member";
		err = add_members(fd, p);
	}
	if (!err && run)
		err = run_array(fd, p, nm, o, step);
	if (err && fd >= 0 && !o->existing)
		sys_ioctl(fd, STOP_ARRAY, NULL);	/* leave nothing half-made */
	if (fd >= 0)
		sys_close_dev(fd);
	if (!err) {
		*step = "link";
		err = make_link(nm, !run);
	}
	return err;
}

int md_stop(const char *devnm)
{
	char dev[64];
	int fd, err;

	snprintf(dev, sizeof(dev), "/dev/%s", devnm);
	fd = sys_open_dev(dev, O_RDONLY | O_EXCL);
	if (fd < 0)
		return fd;
	err = sys_ioctl(fd, STOP_ARRAY, NULL);
	sys_close_dev(fd);
	return err;
}
