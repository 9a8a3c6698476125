/* Recording syscall layer: no call reaches the kernel. Each is appended, one
 * line each, to an in-memory log and to the file named by WARMBOOT_RECORD.
 * WARMBOOT_FAIL="call=ERRNO_NAME,..." makes calls fail; WARMBOOT_ROOT is the
 * fixture tree that stands for / when reading system state. */
#include "sys/sys.h"
#include "sys/record.h"

#include <errno.h>
#include <fcntl.h>
#include "sys/md_ioctl.h"
#include "sys/watchdog_ioctl.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char *log_buf;
static size_t log_len, log_cap;

#define MAX_FAILS 16
static struct { char call[32]; int err; } fails[MAX_FAILS];
static int fails_loaded;

#define MAX_FDS 64
static struct { int fd; char path[256]; } fds[MAX_FDS];

static const struct { const char *name; int err; } errnames[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO },
	{ "ENOEXEC", ENOEXEC }, { "EBADF", EBADF }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
	{ "ENODEV", ENODEV }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC },
	{ "ENOSYS", ENOSYS }, { "EKEYREJECTED", EKEYREJECTED },
	{ "EBADMSG", EBADMSG }, { "ENOKEY", ENOKEY }, { "EROFS", EROFS },
	{ "ENXIO", ENXIO }, { "EAGAIN", EAGAIN }, { "ENODATA", ENODATA },
};

static void record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void record(const char *fmt, ...)
{
	char line[1024];
	const char *file = getenv("WARMBOOT_RECORD");
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	line[n] = 0;
	if (log_len + n + 1 > log_cap) {
		size_t cap = (log_cap + n + 1) * 2;
		char *p = realloc(log_buf, cap);
		if (!p)
			return;
		log_buf = p;
		log_cap = cap;
	}
	memcpy(log_buf + log_len, line, n + 1);
	log_len += n;
	if (file && *file) {
		int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0) {
			if (write(fd, line, n) < 0) { /* best effort */ }
			close(fd);
		}
	}
}

const char *sys_record_log(void)
{
	return log_buf ? log_buf : "";
}

void sys_record_reset(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = 0;
	memset(fails, 0, sizeof(fails));
	fails_loaded = 1; /* unit tests set failures explicitly */
}

void sys_record_fail(const char *call, int err)
{
	int i, free_slot = -1;

	for (i = 0; i < MAX_FAILS; i++) {
		if (!strcmp(fails[i].call, call)) {
			fails[i].err = err;
			return;
		}
		if (!fails[i].call[0] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0 && err) {
		snprintf(fails[free_slot].call, sizeof(fails[free_slot].call), "%s", call);
		fails[free_slot].err = err;
	}
}

static int errno_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	return atoi(name) > 0 ? atoi(name) : EIO;
}

static void load_fails(void)
{
	const char *env = getenv("WARMBOOT_FAIL");
	char buf[512], *save, *item;

	fails_loaded = 1;
	if (!env || !*env)
		return;
	snprintf(buf, sizeof(buf), "%s", env);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		if (!eq)
			continue;
		*eq = 0;
		sys_record_fail(item, errno_by_name(eq + 1));
	}
}

static int injected(const char *call)
{
	int i;

	if (!fails_loaded)
		load_fails();
	for (i = 0; i < MAX_FAILS; i++)
		if (fails[i].err && !strcmp(fails[i].call, call))
			return -fails[i].err;
	return 0;
}

static const char *err_suffix(int r)
{
	static char buf[64];
	size_t i;

	if (!r)
		return "";
	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == -r) {
			snprintf(buf, sizeof(buf), " = -%s", errnames[i].name);
			return buf;
		}
	snprintf(buf, sizeof(buf), " = %d", r);
	return buf;
}

/* The path behind an fd, as the test knows it. */
static const char *fd_path(int fd)
{
	static char buf[512];
	char link[64];
	ssize_t n;
	int i;

	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].path[0] && fds[i].fd == fd)
			return fds[i].path;
	if (fd < 0)
		return "-";
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return "?";
	buf[n] = 0;
	return buf;
}

int sys_finit_module(int fd, const char *params, int flags)
{
	int r = injected("finit_module");

	record("finit_module %s \"%s\" %d%s", fd_path(fd), params ? params : "", flags,
	       err_suffix(r));
	return r;
}

int sys_init_module(const void *image, size_t len, const char *params)
{
	int r = injected("init_module");

	(void)image;
	record("init_module len=%zu \"%s\"%s", len, params ? params : "", err_suffix(r));
	return r;
}

int sys_delete_module(const char *name, int flags)
{
	int r = injected("delete_module");

	record("delete_module %s %d%s", name, flags, err_suffix(r));
	return r;
}

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
			unsigned long flags)
{
	int r = injected("kexec_file_load");
	char kpath[512];

	snprintf(kpath, sizeof(kpath), "%s", fd_path(kernel_fd));
	record("kexec_file_load %s %s \"%s\" 0x%lx%s", kpath, fd_path(initrd_fd),
	       cmdline ? cmdline : "", flags, err_suffix(r));
	return r;
}

int sys_reboot(unsigned int cmd)
{
	int r = injected("reboot");

	record("reboot 0x%x%s", cmd, err_suffix(r));
	return r;
}

int sys_open_dev(const char *path, int flags)
{
	int r = injected("open_dev");
	int fd, i;

	record("open_dev %s 0x%x%s", path, flags, err_suffix(r));
	if (r)
		return r;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (i = 0; i < MAX_FDS; i++)
		if (!fds[i].path[0]) {
			fds[i].fd = fd;
			snprintf(fds[i].path, sizeof(fds[i].path), "%s", path);
			break;
		}
	return fd;
}

int sys_close_dev(int fd)
{
	int i;

	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].path[0] && fds[i].fd == fd)
			fds[i].path[0] = 0;
	return close(fd) < 0 ? -errno : 0;
}

static int record_md_ioctl(const char *dev, unsigned long req, void *arg, int r)
{
	if (req == SET_ARRAY_INFO) {
		const mdu_array_info_t *a = arg;
		if (!a)
			record("ioctl %s SET_ARRAY_INFO NULL%s", dev, err_suffix(r));
		else
			record("ioctl %s SET_ARRAY_INFO version=%d.%d level=%d raid_disks=%d"
			       " layout=%d chunk=%d state=0x%x%s", dev, a->major_version,
			       a->minor_version, a->level, a->raid_disks, a->layout,
			       a->chunk_size, a->state, err_suffix(r));
	} else if (req == ADD_NEW_DISK) {
		const mdu_disk_info_t *d = arg;
		record("ioctl %s ADD_NEW_DISK %d:%d number=%d raid_disk=%d state=0x%x%s",
		       dev, d->major, d->minor, d->number, d->raid_disk, d->state,
		       err_suffix(r));
	} else if (req == RUN_ARRAY) {
		record("ioctl %s RUN_ARRAY%s", dev, err_suffix(r));
	} else if (req == STOP_ARRAY) {
		record("ioctl %s STOP_ARRAY%s", dev, err_suffix(r));
	} else if (req == STOP_ARRAY_RO) {
		record("ioctl %s STOP_ARRAY_RO%s", dev, err_suffix(r));
	} else if (req == RESTART_ARRAY_RW) {
		record("ioctl %s RESTART_ARRAY_RW%s", dev, err_suffix(r));
	} else {
		return 0;
	}
	return 1;
}

/* Watchdog ioctls fail by their name (WARMBOOT_FAIL=WDIOC_SETTIMEOUT=EINVAL);
 * the driver takes the timeout as asked. */
static int record_watchdog_ioctl(const char *dev, unsigned long req, void *arg)
{
	int r;

	if (req == WDIOC_SETTIMEOUT) {
		r = injected("WDIOC_SETTIMEOUT");
		record("ioctl %s WDIOC_SETTIMEOUT %d%s", dev, *(int *)arg, err_suffix(r));
	} else {
		r = injected("WDIOC_KEEPALIVE");
		record("ioctl %s WDIOC_KEEPALIVE%s", dev, err_suffix(r));
	}
	return r;
}

int sys_ioctl(int fd, unsigned long request, void *arg)
{
	int r = injected("ioctl");
	const char *dev = fd_path(fd);

	/* Queries describe a kernel with no arrays yet. */
	if (request == GET_ARRAY_INFO) {
		r = injected("GET_ARRAY_INFO");
		return r ? r : -ENODEV;
	}
	if (request == WDIOC_SETTIMEOUT || request == WDIOC_KEEPALIVE)
		return record_watchdog_ioctl(dev, request, arg);
	if (request == RAID_VERSION) {
		mdu_version_t *v = arg;
		v->major = 0;
		v->minor = 90;
		v->patchlevel = 3;
		return 0;
	}
	if (!record_md_ioctl(dev, request, arg, r))
		record("ioctl %s 0x%lx%s", dev, request, err_suffix(r));
	return r;
}

int sys_write_dev(int fd, const void *buf, size_t len)
{
	int r = injected("write_dev");

	record("write_dev %s \"%.*s\"%s", fd_path(fd), (int)len, (const char *)buf,
	       err_suffix(r));
	return r;
}

int sys_write_attr(const char *path, const char *value)
{
	int r = injected("write_attr");

	record("write %s \"%s\"%s", path, value, err_suffix(r));
	return r;
}

int sys_mount(const char *source, const char *target, const char *fstype,
	      unsigned long flags, const char *data)
{
	int r = injected("mount");

	record("mount %s %s %s 0x%lx \"%s\"%s", source ? source : "-", target,
	       fstype ? fstype : "-", flags, data ? data : "", err_suffix(r));
	return r;
}

int sys_umount(const char *target, int flags)
{
	int r = injected("umount");

	record("umount %s %d%s", target, flags, err_suffix(r));
	return r;
}

int sys_mknod(const char *path, mode_t mode, dev_t dev)
{
	int r = injected("mknod");

	record("mknod %s 0%o %u:%u%s", path, (unsigned)mode, major(dev), minor(dev),
	       err_suffix(r));
	return r;
}

/* A path in the fixture tree (WARMBOOT_ROOT) is warmboot's own state there,
 * /run/warmboot: changed for real and not recorded, so that tests read it
 * back as on a real system. Kernel effects name paths outside it. */
static int in_fixture(const char *path)
{
	const char *root = sys_root();
	size_t n = strlen(root);

	return n && !strncmp(path, root, n) && path[n] == '/';
}

static int fixture_ret(int r)
{
	return r < 0 ? -errno : 0;
}

int sys_mkdir(const char *path, mode_t mode)
{
	int r = injected("mkdir");

	if (!r && in_fixture(path))
		return fixture_ret(mkdir(path, mode));
	record("mkdir %s 0%o%s", path, (unsigned)mode, err_suffix(r));
	return r;
}

int sys_symlink(const char *target, const char *linkpath)
{
	int r = injected("symlink");

	record("symlink %s -> %s%s", linkpath, target, err_suffix(r));
	return r;
}

int sys_unlink(const char *path)
{
	int r = injected("unlink");

	if (!r && in_fixture(path))
		return fixture_ret(unlink(path));
	record("unlink %s%s", path, err_suffix(r));
	return r;
}

int sys_rename(const char *from, const char *to)
{
	int r = injected("rename");

	if (!r && in_fixture(from) && in_fixture(to))
		return fixture_ret(rename(from, to));
	record("rename %s %s%s", from, to, err_suffix(r));
	return r;
}

void sys_sync(void)
{
	record("sync");
}

/* A read, not recorded: the members of keyring ID are the hex serials in
 * the fixture WARMBOOT_ROOT/keyring/ID (8 hex digits, as /proc/keys names
 * it); none there: -EACCES, as for a keyring the caller may not read. */
int sys_keyring_read(int32_t keyring, int32_t *ids, size_t max)
{
	char path[512];
	unsigned long id;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/keyring/%08x", sys_root(), (unsigned)keyring);
	if (!(f = fopen(path, "re")))
		return -EACCES;
	while (fscanf(f, "%lx", &id) == 1) {
		if (n < max)
			ids[n] = (int32_t)id;
		n++;
	}
	fclose(f);
	return (int)n;
}

const char *sys_root(void)
{
	const char *root = getenv("WARMBOOT_ROOT");

	return root ? root : "";
}
