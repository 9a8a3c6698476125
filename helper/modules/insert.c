/* Inserting one module file through the syscall layer. */
#include "modules/modules.h"
#include "sys/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

const char *modules_method_name(enum modules_method method)
{
	switch (method) {
	case MODULES_FINIT: return "finit_module";
	case MODULES_FINIT_COMPRESSED: return "finit_module-compressed";
	case MODULES_INIT_DECOMPRESSED: return "init_module-decompressed";
	case MODULES_INIT_READ: return "init_module";
	}
	return "?";
}

/* 1: the kernel decompresses this format; 0: it does not; -1: unknown
 * (no /sys/module/compression, older kernels or no MODULE_DECOMPRESS). */
static int kernel_decompresses(const char *kind)
{
	char path[PATH_MAX], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/module/compression", sys_root());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return !strcmp(buf, kind);
}

/* Errors of finit_module(COMPRESSED_FILE) meaning "not this way". */
static int flag_refused(int r)
{
	return r == -EINVAL || r == -EOPNOTSUPP || r == -ENOSYS;
}

static int insert_image(int fd, const char *options, struct modules_inserted *how,
			enum modules_method method)
{
	void *image;
	size_t len;
	int r;

	how->by_kernel = 0;
	r = modules_read_image(fd, &image, &len, NULL);
	if (r < 0)
		return r;
	how->method = method;
	how->by_kernel = 1;
	r = sys_init_module(image, len, options);
	free(image);
	return r;
}

int modules_insert_file(const char *path, const char *options,
			struct modules_inserted *how)
{
	struct modules_inserted dummy;
	const char *kind;
	int fd, r, can;

	if (!how)
		how = &dummy;
	how->method = MODULES_FINIT;
	how->by_kernel = 0;
	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	kind = modules_compression(fd);
	how->by_kernel = 1;
	if (!kind) {
		r = sys_finit_module(fd, options, 0);
		if (r == -ENOSYS)
			r = insert_image(fd, options, how, MODULES_INIT_READ);
	} else {
		can = kernel_decompresses(kind);
		r = -EOPNOTSUPP;
		if (can != 0) {
			how->method = MODULES_FINIT_COMPRESSED;
			r = sys_finit_module(fd, options, MODULE_INIT_COMPRESSED_FILE);
		}
		if (can == 0 || (can < 0 && flag_refused(r)))
			r = insert_image(fd, options, how, MODULES_INIT_DECOMPRESSED);
	}
	close(fd);
	return r == -EEXIST ? 0 : r;
}
