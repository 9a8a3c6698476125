/* The thin syscall layer: every effect warmboot has on the kernel goes through
 * these calls. sys/linux.c makes the real calls; sys/record.c (linked into the
 * test binary warmboot-rec and the unit tests) records them instead, so host
 * tests can assert the exact sequence a command would make.
 * All return 0 (or an fd) on success and -errno on failure. */
#ifndef WB_SYS_H
#define WB_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int sys_finit_module(int fd, const char *params, int flags);
int sys_init_module(const void *image, size_t len, const char *params);
int sys_delete_module(const char *name, int flags);
int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
			unsigned long flags);
int sys_reboot(unsigned int cmd);
/* Open a device node to issue ioctls on it (md arrays). */
int sys_open_dev(const char *path, int flags);
int sys_close_dev(int fd);
int sys_ioctl(int fd, unsigned long request, void *arg);
/* Write to a device opened by sys_open_dev (the watchdog's magic 'V'). */
int sys_write_dev(int fd, const void *buf, size_t len);
/* Write one value to a sysfs or procfs attribute. */
int sys_write_attr(const char *path, const char *value);
int sys_mount(const char *source, const char *target, const char *fstype,
	      unsigned long flags, const char *data);
int sys_umount(const char *target, int flags);
int sys_mknod(const char *path, mode_t mode, dev_t dev);
int sys_mkdir(const char *path, mode_t mode);
int sys_symlink(const char *target, const char *linkpath);
int sys_unlink(const char *path);
int sys_rename(const char *from, const char *to);
void sys_sync(void);
/* The serials a keyring links (keyctl KEYCTL_READ), at most max of them:
 * how many it links (may exceed max), or -errno. Only a read: /proc/keys
 * lists keys but not which keyring holds them. */
int sys_keyring_read(int32_t keyring, int32_t *ids, size_t max);

/* Prefix for the files warmboot reads to learn the system's state (/sys,
 * /proc, /dev, /run): "" for real, a fixture tree in recording builds. */
const char *sys_root(void);

#endif
