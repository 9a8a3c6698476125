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

/* Without a leading "./" or "/", in place. */
static void strip_name(char *name)
{
	const char *n = name;

	while (n[0] == '.' && n[1] == '/')
		n += 2;
	while (n[0] == '/')
		n++;
	if (n != name)
		memmove(name, n, strlen(n) + 1);
}

/* One header and its name into e: 0, 1 at the trailer (skipped), or
 * -errno with *why. */
static int read_header(struct stream *in, struct cpio_entry *e, const char **why)
{
	uint8_t hdr[CPIO_HDR];
	uint32_t mode, size, namesize;
	int r;

	if ((r = stream_read(in, hdr, sizeof(hdr)))) {
		*why = "truncated cpio header";
		return r;
	}
	if (memcmp(hdr, "070701", 6) && memcmp(hdr, "070702", 6)) {
		*why = "bad cpio magic (not a newc archive)";
		return -EBADMSG;
	}
	if (hex8(hdr + F_MODE, &mode) || hex8(hdr + F_FILESIZE, &size) ||
	    hex8(hdr + F_NAMESIZE, &namesize)) {
		*why = "bad hex digits in a cpio header";
		return -EBADMSG;
	}
	if (!namesize || namesize > sizeof(e->name)) {
		*why = "cpio name size out of range";
		return -EBADMSG;
	}
	if ((r = stream_read(in, e->name, namesize))) {
		*why = "truncated cpio name";
		return r;
	}
	if (e->name[namesize - 1]) {
		*why = "cpio name not NUL-terminated";
		return -EBADMSG;
	}
	if ((r = stream_skip(in, pad4(CPIO_HDR + namesize)))) {
		*why = "truncated cpio name padding";
		return r;
	}
	if (!strcmp(e->name, "TRAILER!!!")) {
		if ((r = stream_skip(in, pad4(size) + size)))
			*why = "truncated cpio trailer";
		return r ? r : 1;
	}
	strip_name(e->name);
	e->mode = mode;
	e->size = size;
	e->data = NULL;
	return 0;
}

/* Show e to visit, with its data (read into *data) when it asks for them;
 * else skip the data. 0 or a negative value to stop. */
static int visit_entry(struct stream *in, struct cpio_entry *e, cpio_visit visit, void *ctx,
		       uint8_t **data, const char **why)
{
	int r = visit ? visit(ctx, e) : 0;
	uint64_t skip = e->size + pad4(e->size);

	if (r == CPIO_WANT_DATA && e->size <= CPIO_DATA_MAX) {
		free(*data);
		*data = malloc(e->size ? e->size : 1);
		if (!*data)
			return -ENOMEM;
		if ((r = stream_read(in, *data, e->size))) {
			*why = "truncated cpio file data";
			return r;
		}
		e->data = *data;
		r = visit(ctx, e);
		if (r < 0)
			return r;
		skip = pad4(e->size);
	} else if (r < 0) {
		return r;
	}
	if ((r = stream_skip(in, skip)))
		*why = "truncated cpio file data";
	return r;
}

int cpio_read_archive(struct stream *in, cpio_visit visit, void *ctx, uint64_t *files,
		      const char **why)
{
	struct cpio_entry *e = malloc(sizeof(*e));
	uint8_t *data = NULL;
	int r;

	if (!e)
		return -ENOMEM;
	while (!(r = read_header(in, e, why))) {
		(*files)++;
		if ((r = visit_entry(in, e, visit, ctx, &data, why)))
			break;
	}
	free(data);
	free(e);
	return r == 1 ? 0 : r;
}

/* Skip zero bytes; 1 if more data follow, 0 at the end, -errno. */
static int skip_zeros(struct stream *in)
{
	for (;;) {
		const uint8_t *p;
		ssize_t got = stream_peek(in, STREAM_CAP, &p), i;

		if (got <= 0)
			return (int)got;
		for (i = 0; i < got && !p[i]; i++)
			;
		stream_advance(in, (size_t)i);
		if (i < got)
			return 1;
	}
}

/* Archives until the end of in; a part's archives count into part. */
static int read_archives(struct stream *in, struct initrd_part *part, cpio_visit visit,
			 void *ctx, const char **why)
{
	for (;;) {
		const uint8_t *p;
		ssize_t got;
		int r = skip_zeros(in);

		if (r <= 0)
			return r;
		got = stream_peek(in, 6, &p);
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

/* What every part of one initrd_scan shares. */
struct walk {
	cpio_visit visit;
	void *ctx;
	uint64_t limit;
	struct initrd_info *info;
	const char **why;
};

static int scan_cpio_part(struct stream *raw, struct initrd_part *part, const struct walk *w)
{
	uint64_t before = raw->pos;
	int r;

	part->format = "cpio";
	r = read_archives(raw, part, w->visit, w->ctx, w->why);
	part->unpacked = raw->pos - before;
	w->info->unpacked += part->unpacked;
	return r;
}

/* The archives of a compressed part, through its decoder. */
static int read_decoded(struct decomp *d, struct initrd_part *part, const struct walk *w)
{
	struct stream out;
	int r = stream_init(&out, decomp_fill, d);

	if (r)
		return r;
	r = read_archives(&out, part, w->visit, w->ctx, w->why);
	if (r == 1) {
		*w->why = "data after a cpio archive in a compressed part";
		r = -EBADMSG;
	}
	if (r < 0 && d->why)	/* the decoder failed under the reader */
		*w->why = d->why;
	part->unpacked = d->out_total;
	w->info->unpacked += d->out_total;
	stream_fini(&out);
	return r;
}

static int scan_compressed_part(struct stream *raw, struct initrd_part *part,
				const uint8_t *head, size_t len, const struct walk *w)
{
	const char *name;
	enum decomp_format fmt = decomp_detect(head, len, &name);
	struct decomp d;
	int r;

	part->format = name ? name : "unknown";
	if (fmt == DECOMP_NONE) {
		*w->why = "data that is neither a cpio archive nor compressed";
		return -EBADMSG;
	}
	if (fmt == DECOMP_UNSUPPORTED) {
		*w->why = "a compression warmboot cannot read";
		return -ENOTSUP;
	}
	r = decomp_open(&d, fmt, raw, w->limit);
	if (r) {
		*w->why = d.why;
		w->info->declared = d.declared;
		return r;
	}
	r = read_decoded(&d, part, w);
	decomp_close(&d);
	return r;
}

/* The part at raw's position: <0 to stop. */
static int scan_part(struct stream *raw, const struct walk *w)
{
	struct initrd_info *info = w->info;
	struct initrd_part *part;
	const uint8_t *p;
	ssize_t got;

	if (info->nparts == INITRD_MAX_PARTS) {
		*w->why = "more parts than warmboot reads";
		return -E2BIG;
	}
	part = &info->parts[info->nparts++];
	part->offset = raw->pos;
	got = stream_peek(raw, 6, &p);
	if (got < 0)
		return (int)got;
	if (got >= 5 && !memcmp(p, "07070", 5))
		return scan_cpio_part(raw, part, w);
	return scan_compressed_part(raw, part, p, (size_t)got, w);
}

int initrd_scan(const char *path, uint64_t limit, cpio_visit visit, void *ctx,
		struct initrd_info *info, const char **why)
{
	const struct walk w = { visit, ctx, limit, info, why };
	struct stream raw;
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
	if ((r = stream_init_fd(&raw, &fd))) {
		close(fd);
		return r;
	}
	while ((r = skip_zeros(&raw)) > 0 && (r = scan_part(&raw, &w)) >= 0)
		;
	stream_fini(&raw);
	close(fd);
	if (!r && !info->nparts) {
		*why = "empty file";
		r = -EBADMSG;
	}
	return r < 0 ? r : 0;
}
