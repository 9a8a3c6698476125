/* A buffered byte stream with peek: bytes come from a fill function (a file
 * descriptor, or a decoder of lib/decomp.h reading its own stream), and a
 * reader can look ahead up to STREAM_CAP bytes before consuming them, so a
 * decoder never takes input past its own end. */
#ifndef WB_LIB_STREAM_H
#define WB_LIB_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define STREAM_CAP 65536

struct stream {
	uint8_t *buf;
	size_t start, end;
	uint64_t pos;		/* stream offset of buf[start] */
	int eof;
	/* produce up to n bytes; 0 at the end, -errno on error */
	ssize_t (*fill)(void *ctx, uint8_t *dst, size_t n);
	void *ctx;
};

int stream_init(struct stream *s, ssize_t (*fill)(void *, uint8_t *, size_t), void *ctx);
void stream_fini(struct stream *s);
/* Make up to n (<= STREAM_CAP) bytes visible at *p; returns how many (fewer
 * only at the end), or -errno. */
ssize_t stream_peek(struct stream *s, size_t n, const uint8_t **p);
void stream_advance(struct stream *s, size_t n);
/* Exactly n bytes, or -EPIPE when the stream ends first. */
int stream_read(struct stream *s, void *dst, size_t n);
int stream_skip(struct stream *s, uint64_t n);
/* A stream over a file descriptor, read sequentially from its offset. */
int stream_init_fd(struct stream *s, int *fd);

#endif
