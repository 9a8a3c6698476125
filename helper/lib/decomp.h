/* The one xz, zstd and gzip decoder (liblzma, libzstd, zlib) and the one
 * table of compression magics. A decoder reads its input from a stream
 * (lib/stream.h) without consuming past its own end, and is itself a fill
 * function, so a stream can read its output. Memory is bounded: the
 * decoders' windows are capped and the total output is limited. */
#ifndef WB_DECOMP_H
#define WB_DECOMP_H

#include "lib/stream.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum decomp_format { DECOMP_NONE, DECOMP_GZIP, DECOMP_XZ, DECOMP_ZSTD,
		     DECOMP_UNSUPPORTED };

/* Recognise a compressed stream from its first bytes (6 are enough); *name
 * gets its name ("gzip", "xz", "zstd", "lz4", "bzip2", "lzma", "lzo") or
 * NULL. */
enum decomp_format decomp_detect(const uint8_t *p, size_t n, const char **name);

struct decomp {
	enum decomp_format format;
	struct stream *in;
	uint64_t out_total, limit;
	uint64_t declared;	/* zstd frame content size when it was refused */
	const char *why;	/* the reason of the last error */
	int done;
	int to_end;		/* decomp_all: streams in a row to the input's end */
	void *state;
};

/* Decode one stream (one gzip member, one xz stream, one zstd frame) of
 * format from in, producing at most limit bytes. */
int decomp_open(struct decomp *d, enum decomp_format format, struct stream *in,
		uint64_t limit);
/* Output: 0 at the end, -EFBIG over the limit or when a zstd frame declares
 * more, -ENOMEM when the stream needs a larger window than allowed,
 * -EBADMSG for corrupt data, -EPIPE for a truncated stream; d->why says more. */
ssize_t decomp_fill(void *d, uint8_t *dst, size_t n);
void decomp_close(struct decomp *d);

/* The whole rest of in decoded into a new buffer of *len bytes (the
 * caller's to free): xz streams and zstd frames in a row up to the end of
 * the input, or one gzip member. Errors as decomp_fill, *why with them. */
int decomp_all(struct stream *in, enum decomp_format format, uint64_t limit,
	       uint8_t **out, size_t *len, const char **why);

/* Window caps: 128 MiB, as the kernel's own initramfs decompressors need far
 * less than this. */
#define DECOMP_ZSTD_WINDOW_LOG_MAX 27
#define DECOMP_XZ_MEMLIMIT (128u << 20)

#endif
