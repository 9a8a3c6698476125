/* newc cpio archives ("070701"/"070702") and initrds made of several of
 * them, raw or compressed, as the kernel unpacks them (init/initramfs.c):
 * zero padding between parts is skipped; a compressed part holds one or
 * more archives. */
#ifndef WB_KEXEC_INITRD_H
#define WB_KEXEC_INITRD_H

#include "lib/decomp.h"

#include <limits.h>
#include <stdint.h>

struct cpio_entry {
	char name[PATH_MAX];	/* without a leading "./" or "/" */
	uint32_t mode;
	uint64_t size;
	const uint8_t *data;	/* only in the second call, see cpio_visit */
};

/* Called once an entry; return CPIO_WANT_DATA to be called again with its
 * data (entries up to CPIO_DATA_MAX bytes), 0 to go on, <0 to stop. */
typedef int (*cpio_visit)(void *ctx, const struct cpio_entry *e);
#define CPIO_WANT_DATA 1
#define CPIO_DATA_MAX (4u << 20)

/* Read one archive up to and including its TRAILER!!! entry. 0, or
 * -EBADMSG/-EPIPE with *why, or the visitor's negative value. */
int cpio_read_archive(struct stream *in, cpio_visit visit, void *ctx, uint64_t *files,
		      const char **why);

#define INITRD_MAX_PARTS 8

struct initrd_part {
	uint64_t offset;	/* in the file */
	const char *format;	/* "cpio" or the compression */
	uint64_t files;		/* entries, trailers not counted */
	uint64_t unpacked;	/* bytes of cpio data */
	int archives;
};

struct initrd_info {
	struct initrd_part parts[INITRD_MAX_PARTS];
	int nparts;
	uint64_t file_size, unpacked;
	uint64_t declared;	/* a refused zstd frame's declared size */
};

/* Walk every archive of an initrd file. limit bounds the unpacked size of
 * any compressed part. 0, or -errno with *why (-EBADMSG, -EPIPE corrupt or
 * truncated, -EFBIG/-ENOMEM over the limits, -ENOTSUP a compression warmboot
 * cannot read, -E2BIG too many parts). */
int initrd_scan(const char *path, uint64_t limit, cpio_visit visit, void *ctx,
		struct initrd_info *info, const char **why);

#endif
