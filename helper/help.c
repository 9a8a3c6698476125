/* The help texts, decoded from the blob through the one xz decoder. */
#include "help.h"
#include "lib/decomp.h"
#include "lib/stream.h"

#include "help_blob.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The blob as the decoder's input stream. */
struct blob_reader {
	size_t pos;
};

static ssize_t blob_fill(void *ctx, uint8_t *dst, size_t n)
{
	struct blob_reader *r = ctx;
	size_t left = sizeof(help_blob) - r->pos;

	if (n > left)
		n = left;
	memcpy(dst, help_blob + r->pos, n);
	r->pos += n;
	return (ssize_t)n;
}

int help_open(struct help *h)
{
	struct blob_reader reader = { 0 };
	struct stream in;
	const char *why;
	uint8_t *out;
	size_t len;
	int r;

	h->texts = NULL;
	h->len = 0;
	r = stream_init(&in, blob_fill, &reader);
	if (r)
		return r;
	r = decomp_all(&in, DECOMP_XZ, 1u << 20, &out, &len, &why);
	stream_fini(&in);
	if (r)
		return r;
	/* every name and text ends with its NUL: the walk stays inside */
	if (!len || out[len - 1]) {
		free(out);
		return -EBADMSG;
	}
	h->texts = (char *)out;
	h->len = len;
	return 0;
}

const char *help_find(const struct help *h, const char *name)
{
	const char *p = h->texts, *end = h->texts + h->len, *text;

	while (p < end) {
		text = p + strlen(p) + 1;
		if (text >= end)
			return NULL;
		if (!strcmp(p, name))
			return text;
		p = text + strlen(text) + 1;
	}
	return NULL;
}

void help_close(struct help *h)
{
	free(h->texts);
	h->texts = NULL;
	h->len = 0;
}
