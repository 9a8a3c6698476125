/* cpio newc reader and initrd walker. */
#include "kexec/initrd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	CPIO_HDR = 110,		/* "070701" + 13 fields of 8 hex digits */
	F_MODE = 6 + 8 * 1,
	F_FILESIZE = 6 + 8 * 6,
	F_NAMESIZE = 6 + 8 * 11,
};
_Static_assert(CPIO_HDR == 6 + 13 * 8, "newc header size");

static int hex8(const uint8_t *p, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

static uint64_t pad4(uint64_t n)
{
	return (4 - (n & 3)) & 3;
}

int cpio_read_archive(struct bsrc *in, cpio_visit visit, void *ctx, uint64_t *files,
		      const char **why)
{
	struct cpio_entry *e = malloc(sizeof(*e));
	uint8_t hdr[CPIO_HDR];
	uint8_t *data = NULL;
	int r = 0;

	if (!e)
		return -ENOMEM;
	for (;;) {
		uint32_t mode, size, namesize;
		const char *name;

		r = bsrc_read(in, hdr, sizeof(hdr));
		if (r) {
			*why = "truncated cpio header";
			break;
		}
		if (memcmp(hdr, "070701", 6) && memcmp(hdr, "070702", 6)) {
			*why = "bad cpio magic (not a newc archive)";
			r = -EBADMSG;
			break;
		}
		if (hex8(hdr + F_MODE, &mode) || hex8(hdr + F_FILESIZE, &size) ||
		    hex8(hdr + F_NAMESIZE, &namesize)) {
			*why = "bad hex digits in a cpio header";
			r = -EBADMSG;
			break;
		}
		if (!namesize || namesize > sizeof(e->name)) {
			*why = "cpio name size out of range";
			r = -EBADMSG;
			break;
		}
		if ((r = bsrc_read(in, e->name, namesize))) {
			*why = "truncated cpio name";
			break;
		}
		if (e->name[namesize - 1]) {
			*why = "cpio name not NUL-terminated";
			r = -EBADMSG;
			break;
		}
		if ((r = bsrc_skip(in, pad4(CPIO_HDR + namesize)))) {
			*why = "truncated cpio name padding";
			break;
		}
		if (!strcmp(e->name, "TRAILER!!!")) {
			r = bsrc_skip(in, pad4(size) + size);
			if (r)
				*why = "truncated cpio trailer";
			break;
		}
		name = e->name;
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		while (name[0] == '/')
			name++;
		if (name != e->name)
			memmove(e->name, name, strlen(name) + 1);
		e->mode = mode;
		e->size = size;
		e->data = NULL;
		(*files)++;
		r = visit ? visit(ctx, e) : 0;
		if (r == CPIO_WANT_DATA && size <= CPIO_DATA_MAX) {
			free(data);
			data = malloc(size ? size : 1);
			if (!data) {
				r = -ENOMEM;
				break;
			}
			if ((r = bsrc_read(in, data, size))) {
				*why = "truncated cpio file data";
				break;
			}
			e->data = data;
			r = visit(ctx, e);
			if (r < 0)
				break;
			if ((r = bsrc_skip(in, pad4(size)))) {
				*why = "truncated cpio file data";
				break;
			}
			continue;
		} else if (r < 0) {
			break;
		}
		if ((r = bsrc_skip(in, (uint64_t)size + pad4(size)))) {
			*why = "truncated cpio file data";
			break;
		}
	}
	free(data);
	free(e);
	return r;
}

/* Skip zero bytes; 1 if more data follow, 0 at the end, -errno. */
static int skip_zeros(struct bsrc *in)
{
	for (;;) {
		const uint8_t *p;
		ssize_t got = bsrc_peek(in, BSRC_CAP, &p), i;

		if (got <= 0)
			return (int)got;
		for (i = 0; i < got && !p[i]; i++)
			;
		bsrc_advance(in, (size_t)i);
		if (i < got)
			return 1;
	}
}

/* Archives until the end of in; a part's archives count into part. */
static int read_archives(struct bsrc *in, struct initrd_part *part, cpio_visit visit,
			 void *ctx, const char **why)
{
	for (;;) {
		const uint8_t *p;
		ssize_t got;
		int r = skip_zeros(in);

		if (r <= 0)
			return r;
		got = bsrc_peek(in, 6, &p);
		if (got < 0)
			return (int)got;
		if (got < 6 || memcmp(p, "07070", 5))
			return 1; /* not an archive: the caller decides */
		r = cpio_read_archive(in, visit, ctx, &part->files, why);
		if (r)
			return r;
		part->archives++;
	}
}

int initrd_scan(const char *path, uint64_t limit, cpio_visit visit, void *ctx,
		struct initrd_info *info, const char **why)
{
	struct bsrc raw, out;
	struct stat st;
	int fd, r;

	memset(info, 0, sizeof(*info));
	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return -EINVAL;
	}
	info->file_size = (uint64_t)st.st_size;
	if ((r = bsrc_init_fd(&raw, &fd))) {
		close(fd);
		return r;
	}
	for (;;) {
		struct initrd_part *part;
		enum decomp_format fmt;
		struct decomp d;
		const uint8_t *p;
		const char *name;
		ssize_t got;

		r = skip_zeros(&raw);
		if (r <= 0)
			break;
		if (info->nparts == INITRD_MAX_PARTS) {
			*why = "more parts than warmboot reads";
			r = -E2BIG;
			break;
		}
		part = &info->parts[info->nparts++];
		part->offset = raw.pos;
		got = bsrc_peek(&raw, 6, &p);
		if (got < 0) {
			r = (int)got;
			break;
		}
		if (got >= 5 && !memcmp(p, "07070", 5)) {
			uint64_t before = raw.pos;
			part->format = "cpio";
			r = read_archives(&raw, part, visit, ctx, why);
			part->unpacked = raw.pos - before;
			info->unpacked += part->unpacked;
			if (r < 0)
				break;
			continue;
		}
		fmt = decomp_detect(p, (size_t)got, &name);
		part->format = name ? name : "unknown";
		if (fmt == DECOMP_NONE) {
			*why = "data that is neither a cpio archive nor compressed";
			r = -EBADMSG;
			break;
		}
		if (fmt == DECOMP_UNSUPPORTED) {
			*why = "a compression warmboot cannot read";
			r = -ENOTSUP;
			break;
		}
		r = decomp_open(&d, fmt, &raw, limit);
		if (r) {
			*why = d.why;
			info->declared = d.declared;
			break;
		}
		r = bsrc_init(&out, decomp_fill, &d);
		if (!r) {
			r = read_archives(&out, part, visit, ctx, why);
			if (r == 1) {
				*why = "data after a cpio archive in a compressed part";
				r = -EBADMSG;
			}
			if (r < 0 && d.why)	/* the decoder failed under the reader */
				*why = d.why;
			part->unpacked = d.out_total;
			info->unpacked += d.out_total;
			bsrc_fini(&out);
		}
		decomp_close(&d);
		if (r < 0)
			break;
	}
	bsrc_fini(&raw);
	close(fd);
	if (!r && !info->nparts) {
		*why = "empty file";
		r = -EBADMSG;
	}
	return r < 0 ? r : 0;
}
