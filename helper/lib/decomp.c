/* Bounded decoding of xz, zstd and gzip, streaming or whole. */
#include "lib/decomp.h"
#include "lib/array.h"
#include "lib/le.h"

#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

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

/* zlib's crc32.c brings 10 KiB of constant tables to checksum gzip data.
 * This crc32 replaces it (being defined here, the linker never takes zlib's
 * from libz.a): the same slicing-by-8, its tables built in .bss on first
 * use, so gzip initrds check as fast and the binary is 10 KiB smaller. */
static uint32_t crc_table[8][256];

static void crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc_table[k][i] = (crc_table[k - 1][i] >> 8) ^
					  crc_table[0][crc_table[k - 1][i] & 0xff];
}

uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
	const uint32_t (*t)[256] = crc_table;
	uint32_t c = ~(uint32_t)crc, hi;

	if (!buf)
		return 0;
	if (!t[0][1])
		crc_init();
	for (; len >= 8; buf += 8, len -= 8) {
		c ^= le32(buf);
		hi = le32(buf + 4);
		c = t[7][c & 0xff] ^ t[6][(c >> 8) & 0xff] ^ t[5][(c >> 16) & 0xff] ^
		    t[4][c >> 24] ^ t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
		    t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
	}
	while (len--)
		c = t[0][(c ^ *buf++) & 0xff] ^ (c >> 8);
	return ~c;
}

static int open_gzip(struct decomp *d)
{
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

static int open_xz(struct decomp *d)
{
	lzma_stream *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	*s = (lzma_stream)LZMA_STREAM_INIT;
	if (lzma_stream_decoder(s, DECOMP_XZ_MEMLIMIT,
				d->to_end ? LZMA_CONCATENATED : 0) != LZMA_OK) {
		free(s);
		return -ENOMEM;
	}
	d->state = s;
	return 0;
}

/* A frame that declares its size is refused before any work when it is
 * larger than the limit. */
static int open_zstd(struct decomp *d)
{
	const uint8_t *p;
	ssize_t got = stream_peek(d->in, ZSTD_FRAMEHEADERSIZE_MAX, &p);
	unsigned long long size;
	ZSTD_DCtx *z;

	if (got < 0)
		return (int)got;
	size = ZSTD_getFrameContentSize(p, (size_t)got);
	if (size == ZSTD_CONTENTSIZE_ERROR) {
		d->why = "not a valid zstd frame header";
		return -EBADMSG;
	}
	if (size != ZSTD_CONTENTSIZE_UNKNOWN && size > d->limit) {
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

static int start(struct decomp *d, enum decomp_format format, struct stream *in,
		 uint64_t limit, int to_end)
{
	memset(d, 0, sizeof(*d));
	d->format = format;
	d->in = in;
	d->limit = limit;
	d->to_end = to_end;
	switch (format) {
	case DECOMP_GZIP: return open_gzip(d);
	case DECOMP_XZ: return open_xz(d);
	case DECOMP_ZSTD: return open_zstd(d);
	default: return -ENOTSUP;
	}
}

int decomp_open(struct decomp *d, enum decomp_format format, struct stream *in,
		uint64_t limit)
{
	return start(d, format, in, limit, 0);
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

/* The decoding steps over in[0..inlen): *used input, *made output; 1 when
 * the stream ended, 0 to go on, -errno. */
static int step_gzip(struct decomp *d, const uint8_t *in, size_t inlen, uint8_t *out,
		     size_t outlen, size_t *used, size_t *made)
{
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
	if (r == Z_OK || r == Z_BUF_ERROR)
		return 0;
	d->why = r == Z_MEM_ERROR ? "out of memory" : "corrupt gzip data";
	return r == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
}

static int step_xz(struct decomp *d, const uint8_t *in, size_t inlen, uint8_t *out,
		   size_t outlen, size_t *used, size_t *made)
{
	lzma_stream *s = d->state;
	lzma_ret r;

	s->next_in = in;
	s->avail_in = inlen;
	s->next_out = out;
	s->avail_out = outlen;
	/* concatenated streams end only where the input does */
	r = lzma_code(s, d->to_end && d->in->eof ? LZMA_FINISH : LZMA_RUN);
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

static int step_zstd(struct decomp *d, const uint8_t *in, size_t inlen, uint8_t *out,
		     size_t outlen, size_t *used, size_t *made)
{
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

static int step(struct decomp *d, const uint8_t *in, size_t inlen, uint8_t *out,
		size_t outlen, size_t *used, size_t *made)
{
	switch (d->format) {
	case DECOMP_GZIP: return step_gzip(d, in, inlen, out, outlen, used, made);
	case DECOMP_XZ: return step_xz(d, in, inlen, out, outlen, used, made);
	case DECOMP_ZSTD: return step_zstd(d, in, inlen, out, outlen, used, made);
	default: return -ENOTSUP;
	}
}

/* At the end of one zstd frame in decomp_all: 1 when the input goes on
 * (the next frame follows), 0 at its end, -errno. */
static int more_input(struct decomp *d)
{
	const uint8_t *p;
	ssize_t got;

	if (!d->to_end)
		return 0;
	got = stream_peek(d->in, 1, &p);
	return got < 0 ? (int)got : got > 0;
}

ssize_t decomp_fill(void *ctx, uint8_t *dst, size_t n)
{
	struct decomp *d = ctx;

	while (!d->done) {
		const uint8_t *p;
		size_t used = 0, made = 0;
		ssize_t got = stream_peek(d->in, STREAM_CAP, &p);
		int r;

		if (got < 0)
			return got;
		r = step(d, p, (size_t)got, dst, n, &used, &made);
		if (r < 0)
			return r;
		stream_advance(d->in, used);
		d->out_total += made;
		if (d->out_total > d->limit) {
			d->why = "the decompressed data exceed the memory limit";
			return -EFBIG;
		}
		if (r == 1) {
			int more = more_input(d);

			if (more < 0)
				return more;
			d->done = !more;
		}
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

/* decomp_all's output grows in whole blocks through the one growable array:
 * the blocks lie end to end, one buffer. */
struct block {
	uint8_t b[65536];
};

int decomp_all(struct stream *in, enum decomp_format format, uint64_t limit,
	       uint8_t **out, size_t *len, const char **why)
{
	ARRAY(struct block) o = { 0 };
	struct decomp d;
	size_t have = 0;
	ssize_t got;
	int r;

	*out = NULL;
	*len = 0;
	/* gzip: its first member only, as the kernel's module loader reads it */
	r = start(&d, format, in, limit, format != DECOMP_GZIP);
	while (!r) {
		if (have == o.n * sizeof(*o.v) && !array_push(&o)) {
			r = -ENOMEM;
			break;
		}
		got = decomp_fill(&d, (uint8_t *)o.v + have, o.n * sizeof(*o.v) - have);
		if (got <= 0) {
			r = (int)got;
			break;
		}
		have += (size_t)got;
	}
	*why = d.why;
	decomp_close(&d);
	if (r < 0) {
		array_free(&o);
		return r;
	}
	*out = (uint8_t *)o.v;
	*len = have;
	return 0;
}
