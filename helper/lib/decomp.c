/* Buffered sources and bounded streaming decompression. */
#include "lib/decomp.h"

#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

int bsrc_init(struct bsrc *b, ssize_t (*fill)(void *, uint8_t *, size_t), void *ctx)
{
	memset(b, 0, sizeof(*b));
	b->buf = malloc(BSRC_CAP);
	if (!b->buf)
		return -ENOMEM;
	b->fill = fill;
	b->ctx = ctx;
	return 0;
}

void bsrc_fini(struct bsrc *b)
{
	free(b->buf);
	b->buf = NULL;
}

ssize_t bsrc_peek(struct bsrc *b, size_t n, const uint8_t **p)
{
	if (n > BSRC_CAP)
		n = BSRC_CAP;
	if (b->end - b->start < n && b->start) {
		memmove(b->buf, b->buf + b->start, b->end - b->start);
		b->end -= b->start;
		b->start = 0;
	}
	while (b->end - b->start < n && !b->eof) {
		ssize_t got = b->fill(b->ctx, b->buf + b->end, BSRC_CAP - b->end);
		if (got < 0)
			return got;
		if (!got)
			b->eof = 1;
		b->end += (size_t)got;
	}
	*p = b->buf + b->start;
	return (ssize_t)(b->end - b->start < n ? b->end - b->start : n);
}

void bsrc_advance(struct bsrc *b, size_t n)
{
	b->start += n;
	b->pos += n;
}

int bsrc_read(struct bsrc *b, void *dst, size_t n)
{
	uint8_t *d = dst;

	while (n) {
		const uint8_t *p;
		ssize_t got = bsrc_peek(b, n, &p);
		if (got < 0)
			return (int)got;
		if (!got)
			return -EPIPE;
		memcpy(d, p, (size_t)got);
		bsrc_advance(b, (size_t)got);
		d += got;
		n -= (size_t)got;
	}
	return 0;
}

int bsrc_skip(struct bsrc *b, uint64_t n)
{
	while (n) {
		const uint8_t *p;
		ssize_t got = bsrc_peek(b, n < BSRC_CAP ? (size_t)n : BSRC_CAP, &p);
		if (got < 0)
			return (int)got;
		if (!got)
			return -EPIPE;
		bsrc_advance(b, (size_t)got);
		n -= (uint64_t)got;
	}
	return 0;
}

static ssize_t fd_fill(void *ctx, uint8_t *dst, size_t n)
{
	ssize_t got = read(*(int *)ctx, dst, n);

	return got < 0 ? -errno : got;
}

int bsrc_init_fd(struct bsrc *b, int *fd)
{
	return bsrc_init(b, fd_fill, fd);
}

static const struct {
	enum decomp_format format;
	const char *name;
	uint8_t len;
	uint8_t magic[6];
} magics[] = {
	{ DECOMP_GZIP, "gzip", 2, { 0x1f, 0x8b } },
	{ DECOMP_XZ, "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0 } },
	{ DECOMP_ZSTD, "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
	{ DECOMP_UNSUPPORTED, "lz4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
	{ DECOMP_UNSUPPORTED, "bzip2", 3, { 'B', 'Z', 'h' } },
	{ DECOMP_UNSUPPORTED, "lzo", 4, { 0x89, 'L', 'Z', 'O' } },
	{ DECOMP_UNSUPPORTED, "lzma", 3, { 0x5d, 0, 0 } },
};

enum decomp_format decomp_detect(const uint8_t *p, size_t n, const char **name)
{
	size_t i;

	*name = NULL;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (n >= magics[i].len && !memcmp(p, magics[i].magic, magics[i].len)) {
			*name = magics[i].name;
			return magics[i].format;
		}
	return DECOMP_NONE;
}

int decomp_open(struct decomp *d, enum decomp_format format, struct bsrc *in,
		uint64_t limit)
{
	memset(d, 0, sizeof(*d));
	d->format = format;
	d->in = in;
	d->limit = limit;
	switch (format) {
	case DECOMP_GZIP: {
		z_stream *z = calloc(1, sizeof(*z));
		if (!z)
			return -ENOMEM;
		if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
			free(z);
			return -ENOMEM;
		}
		d->state = z;
		return 0;
	}
	case DECOMP_XZ: {
		lzma_stream *s = calloc(1, sizeof(*s));
		if (!s)
			return -ENOMEM;
		*s = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_stream_decoder(s, DECOMP_XZ_MEMLIMIT, 0) != LZMA_OK) {
			free(s);
			return -ENOMEM;
		}
		d->state = s;
		return 0;
	}
	case DECOMP_ZSTD: {
		const uint8_t *p;
		ssize_t got = bsrc_peek(in, ZSTD_FRAMEHEADERSIZE_MAX, &p);
		unsigned long long size;
		ZSTD_DCtx *z;

		if (got < 0)
			return (int)got;
		size = ZSTD_getFrameContentSize(p, (size_t)got);
		if (size == ZSTD_CONTENTSIZE_ERROR) {
			d->why = "not a valid zstd frame header";
			return -EBADMSG;
		}
		if (size != ZSTD_CONTENTSIZE_UNKNOWN && size > limit) {
			d->declared = size;
			d->why = "the zstd frame declares more output than the memory limit";
			return -EFBIG;
		}
		z = ZSTD_createDCtx();
		if (!z)
			return -ENOMEM;
		ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax, DECOMP_ZSTD_WINDOW_LOG_MAX);
		d->state = z;
		return 0;
	}
	default:
		return -ENOTSUP;
	}
}

void decomp_close(struct decomp *d)
{
	if (!d->state)
		return;
	switch (d->format) {
	case DECOMP_GZIP: inflateEnd(d->state); free(d->state); break;
	case DECOMP_XZ: lzma_end(d->state); free(d->state); break;
	case DECOMP_ZSTD: ZSTD_freeDCtx(d->state); break;
	default: break;
	}
	d->state = NULL;
}

/* One decoding step over in[0..inlen): *used input, *made output; 1 when
 * the stream ended, 0 to go on, -errno. */
static int step(struct decomp *d, const uint8_t *in, size_t inlen, uint8_t *out,
		size_t outlen, size_t *used, size_t *made)
{
	switch (d->format) {
	case DECOMP_GZIP: {
		z_stream *z = d->state;
		int r;

		z->next_in = (Bytef *)in;
		z->avail_in = (uInt)inlen;
		z->next_out = out;
		z->avail_out = (uInt)outlen;
		r = inflate(z, Z_NO_FLUSH);
		*used = inlen - z->avail_in;
		*made = outlen - z->avail_out;
		if (r == Z_STREAM_END)
			return 1;
		if (r == Z_OK || (r == Z_BUF_ERROR && (*used || *made)))
			return 0;
		if (r == Z_BUF_ERROR)
			return 0;
		d->why = r == Z_MEM_ERROR ? "out of memory" : "corrupt gzip data";
		return r == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
	}
	case DECOMP_XZ: {
		lzma_stream *s = d->state;
		lzma_ret r;

		s->next_in = in;
		s->avail_in = inlen;
		s->next_out = out;
		s->avail_out = outlen;
		r = lzma_code(s, LZMA_RUN);
		*used = inlen - s->avail_in;
		*made = outlen - s->avail_out;
		if (r == LZMA_STREAM_END)
			return 1;
		if (r == LZMA_OK || r == LZMA_BUF_ERROR)
			return 0;
		if (r == LZMA_MEMLIMIT_ERROR || r == LZMA_MEM_ERROR) {
			d->why = "the xz stream needs more memory than allowed";
			return -ENOMEM;
		}
		d->why = "corrupt xz data";
		return -EBADMSG;
	}
	case DECOMP_ZSTD: {
		ZSTD_inBuffer ib = { in, inlen, 0 };
		ZSTD_outBuffer ob = { out, outlen, 0 };
		size_t r = ZSTD_decompressStream(d->state, &ob, &ib);

		*used = ib.pos;
		*made = ob.pos;
		if (ZSTD_isError(r)) {
			if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge) {
				d->why = "the zstd frame needs a window larger than allowed";
				return -ENOMEM;
			}
			d->why = "corrupt zstd data";
			return -EBADMSG;
		}
		return r == 0 ? 1 : 0;
	}
	default:
		return -ENOTSUP;
	}
}

ssize_t decomp_fill(void *ctx, uint8_t *dst, size_t n)
{
	struct decomp *d = ctx;

	while (!d->done) {
		const uint8_t *p;
		size_t used = 0, made = 0;
		ssize_t got = bsrc_peek(d->in, BSRC_CAP, &p);
		int r;

		if (got < 0)
			return got;
		r = step(d, p, (size_t)got, dst, n, &used, &made);
		if (r < 0)
			return r;
		bsrc_advance(d->in, used);
		d->out_total += made;
		if (d->out_total > d->limit) {
			d->why = "the decompressed data exceed the memory limit";
			return -EFBIG;
		}
		if (r == 1)
			d->done = 1;
		if (made)
			return (ssize_t)made;
		if (!used && !d->done) {
			/* the full input window gave nothing: either it ended or
			 * the decoder is stuck on bad data */
			d->why = d->in->eof ? "the compressed data end too early"
					    : "the decoder makes no progress";
			return d->in->eof ? -EPIPE : -EBADMSG;
		}
	}
	return 0;
}
