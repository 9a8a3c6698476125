/* The real syscall layer: each wrapper makes one call and returns -errno. */
#include "sys/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int ret(long r)
{
	return r < 0 ? -errno : (int)r;
}

int sys_finit_module(int fd, const char *params, int flags)
{
	return ret(syscall(SYS_finit_module, fd, params, flags));
}

int sys_init_module(const void *image, size_t len, const char *params)
{
	return ret(syscall(SYS_init_module, image, len, params));
}

int sys_delete_module(const char *name, int flags)
{
	return ret(syscall(SYS_delete_module, name, flags));
}

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
			unsigned long flags)
{
	/* the kernel counts the terminating NUL in cmdline_len */
	return ret(syscall(SYS_kexec_file_load, kernel_fd, initrd_fd,
			   cmdline ? strlen(cmdline) + 1 : 0, cmdline, flags));
}

int sys_reboot(unsigned int cmd)
{
	return ret(reboot((int)cmd));
}

int sys_open_dev(const char *path, int flags)
{
	return ret(open(path, flags | O_CLOEXEC));
}

int sys_close_dev(int fd)
{
	return ret(close(fd));
}

int sys_ioctl(int fd, unsigned long request, void *arg)
{
	return ret(ioctl(fd, request, arg));
}

int sys_write_dev(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
}

int sys_write_attr(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	err = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

int sys_mount(const char *source, const char *target, const char *fstype,
	      unsigned long flags, const char *data)
{
	return ret(mount(source, target, fstype, flags, data));
}

int sys_umount(const char *target, int flags)
{
	return ret(umount2(target, flags));
}

int sys_mknod(const char *path, mode_t mode, dev_t dev)
{
	return ret(mknod(path, mode, dev));
}

int sys_mkdir(const char *path, mode_t mode)
{
	return ret(mkdir(path, mode));
}

int sys_symlink(const char *target, const char *linkpath)
{
	return ret(symlink(target, linkpath));
}

int sys_unlink(const char *path)
{
	return ret(unlink(path));
}

int sys_rename(const char *from, const char *to)
{
	return ret(rename(from, to));
}

void sys_sync(void)
{
	sync();
}

const char *sys_root(void)
{
	return "";
}

enum { KEYCTL_READ = 11 };	/* linux/keyctl.h */

int sys_keyring_read(int32_t keyring, int32_t *ids, size_t max)
{
	long n = syscall(SYS_keyctl, KEYCTL_READ, (long)keyring, ids, max * sizeof(*ids));

	return n < 0 ? -errno : (int)(n / (long)sizeof(*ids));
}
