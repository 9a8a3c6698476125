/* A module file's contents for init_module() on kernels that cannot
 * decompress it themselves: lib/decomp decodes xz, zstd or gzip. */
#include "modules/modules.h"
#include "lib/decomp.h"
#include "lib/file.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

/* Upper bound of a decompressed module: the largest in-tree modules are
 * tens of MiB with debug info; anything bigger is not a module. */
#define MAX_IMAGE (512u * 1024 * 1024)

/* The compressions a module may have; others read as plain files. */
static enum decomp_format compression(int fd, const char **name)
{
	uint8_t head[6];
	ssize_t n = pread(fd, head, sizeof(head), 0);
	enum decomp_format f;

	*name = NULL;
	f = n > 0 ? decomp_detect(head, (size_t)n, name) : DECOMP_NONE;
	if (f == DECOMP_NONE || f == DECOMP_UNSUPPORTED) {
		*name = NULL;
		return DECOMP_NONE;
	}
	return f;
}

const char *modules_compression(int fd)
{
	const char *name;

	compression(fd, &name);
	return name;
}

int modules_read_image(int fd, void **image, size_t *len, const char **kind)
{
	const char *k, *why;
	enum decomp_format f = compression(fd, &k);
	struct stream in;
	uint8_t *out;
	char *raw;
	int err;

	*image = NULL;
	*len = 0;
	if (kind)
		*kind = k;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	if (f == DECOMP_NONE) {
		err = read_fd(fd, MAX_IMAGE, &raw, len);
		if (!err)
			*image = raw;
		return err;
	}
	err = stream_init_fd(&in, &fd);
	if (err)
		return err;
	err = decomp_all(&in, f, MAX_IMAGE, &out, len, &why);
	stream_fini(&in);
	if (!err)
		*image = out;
	/* a truncated module is as bad as a corrupt one */
	return err == -EPIPE ? -EBADMSG : err;
}
