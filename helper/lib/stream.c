/* The buffered stream: one 64 KiB buffer, refilled and compacted on peek. */
#include "lib/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int stream_init(struct stream *s, ssize_t (*fill)(void *, uint8_t *, size_t), void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->buf = malloc(STREAM_CAP);
	if (!s->buf)
		return -ENOMEM;
	s->fill = fill;
	s->ctx = ctx;
	return 0;
}

void stream_fini(struct stream *s)
{
	free(s->buf);
	s->buf = NULL;
}

ssize_t stream_peek(struct stream *s, size_t n, const uint8_t **p)
{
	if (n > STREAM_CAP)
		n = STREAM_CAP;
	if (s->end - s->start < n && s->start) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	while (s->end - s->start < n && !s->eof) {
		ssize_t got = s->fill(s->ctx, s->buf + s->end, STREAM_CAP - s->end);
		if (got < 0)
			return got;
		if (!got)
			s->eof = 1;
		s->end += (size_t)got;
	}
	*p = s->buf + s->start;
	return (ssize_t)(s->end - s->start < n ? s->end - s->start : n);
}

void stream_advance(struct stream *s, size_t n)
{
	s->start += n;
	s->pos += n;
}

int stream_read(struct stream *s, void *dst, size_t n)
{
	uint8_t *d = dst;

	while (n) {
		const uint8_t *p;
		ssize_t got = stream_peek(s, n, &p);
		if (got < 0)
			return (int)got;
		if (!got)
			return -EPIPE;
		memcpy(d, p, (size_t)got);
		stream_advance(s, (size_t)got);
		d += got;
		n -= (size_t)got;
	}
	return 0;
}

int stream_skip(struct stream *s, uint64_t n)
{
	while (n) {
		const uint8_t *p;
		ssize_t got = stream_peek(s, n < STREAM_CAP ? (size_t)n : STREAM_CAP, &p);
		if (got < 0)
			return (int)got;
		if (!got)
			return -EPIPE;
		stream_advance(s, (size_t)got);
		n -= (uint64_t)got;
	}
	return 0;
}

static ssize_t fd_fill(void *ctx, uint8_t *dst, size_t n)
{
	ssize_t got = read(*(int *)ctx, dst, n);

	return got < 0 ? -errno : got;
}

int stream_init_fd(struct stream *s, int *fd)
{
	return stream_init(s, fd_fill, fd);
}
