/* Streaming byte sources: a buffered reader with peek (bsrc) over a file or
 * over a decompressor (gzip, xz, zstd via zlib, liblzma, libzstd) that reads
 * its input from another bsrc without consuming past its own end. Memory is
 * bounded: the decoders' windows are capped and the total output is limited. */
#ifndef WB_DECOMP_H
#define WB_DECOMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BSRC_CAP 65536

struct bsrc {
	uint8_t *buf;
	size_t start, end;
	uint64_t pos;		/* stream offset of buf[start] */
	int eof;
	/* produce up to n bytes; 0 at the end, -errno on error */
	ssize_t (*fill)(void *ctx, uint8_t *dst, size_t n);
	void *ctx;
};

int bsrc_init(struct bsrc *b, ssize_t (*fill)(void *, uint8_t *, size_t), void *ctx);
void bsrc_fini(struct bsrc *b);
/* Make up to n (<= BSRC_CAP) bytes visible at *p; returns how many (fewer
 * only at the end), or -errno. */
ssize_t bsrc_peek(struct bsrc *b, size_t n, const uint8_t **p);
void bsrc_advance(struct bsrc *b, size_t n);
/* Exactly n bytes, or -EPIPE when the stream ends first. */
int bsrc_read(struct bsrc *b, void *dst, size_t n);
int bsrc_skip(struct bsrc *b, uint64_t n);
/* A bsrc over a file descriptor, read sequentially. */
int bsrc_init_fd(struct bsrc *b, int *fd);

enum decomp_format { DECOMP_NONE, DECOMP_GZIP, DECOMP_XZ, DECOMP_ZSTD,
		     DECOMP_UNSUPPORTED };

/* Recognise a compressed stream from its first bytes; *name gets its name
 * ("gzip", "xz", "zstd", "lz4", "bzip2", "lzma", "lzo") or NULL. */
enum decomp_format decomp_detect(const uint8_t *p, size_t n, const char **name);

struct decomp {
	enum decomp_format format;
	struct bsrc *in;
	uint64_t out_total, limit;
	uint64_t declared;	/* zstd frame content size when it was refused */
	const char *why;	/* the reason of the last error */
	int done;
	void *state;
};

/* Decode one stream (one gzip member, one xz stream, one zstd frame) of
 * format from in, producing at most limit bytes. */
int decomp_open(struct decomp *d, enum decomp_format format, struct bsrc *in,
		uint64_t limit);
/* Output: 0 at the end, -EFBIG over the limit or when a zstd frame declares
 * more, -ENOMEM when the stream needs a larger window than allowed,
 * -EBADMSG for corrupt data, -EPIPE for a truncated stream; d->why says more. */
ssize_t decomp_fill(void *d, uint8_t *dst, size_t n);
void decomp_close(struct decomp *d);

/* Window caps: 128 MiB, as the kernel's own initramfs decompressors need far
 * less than this. */
#define DECOMP_ZSTD_WINDOW_LOG_MAX 27
#define DECOMP_XZ_MEMLIMIT (128u << 20)

#endif
