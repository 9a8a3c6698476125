/* Reading a module file into memory, decompressing xz, zstd or gzip, for
 * init_module() on kernels that cannot decompress themselves. */
#include "modules/modules.h"

#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* Upper bound of a decompressed module: the largest in-tree modules are
 * tens of MiB with debug info; anything bigger is not a module. */
#define MAX_IMAGE (512u * 1024 * 1024)

static const struct {
	const char *kind;
	unsigned char magic[6];
	size_t len;
} magics[] = {
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
	{ "gzip", { 0x1f, 0x8b }, 2 },
};

static int read_all(int fd, unsigned char **data, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	size_t have = 0;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size < 0 || (uint64_t)st.st_size > MAX_IMAGE)
		return -EFBIG;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (have < (size_t)st.st_size) {
		n = pread(fd, buf + have, (size_t)st.st_size - have, (off_t)have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;
			free(buf);
			return err;
		}
		have += (size_t)n;
	}
	*data = buf;
	*len = have;
	return 0;
}

const char *modules_compression(int fd)
{
	unsigned char head[6];
	ssize_t n = pread(fd, head, sizeof(head), 0);
	size_t i;

	if (n <= 0)
		return NULL;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if ((size_t)n >= magics[i].len && !memcmp(head, magics[i].magic, magics[i].len))
			return magics[i].kind;
	return NULL;
}

/* Growable output buffer shared by the three decoders. */
struct out {
	unsigned char *buf;
	size_t len, cap;
};

static int out_room(struct out *o, size_t hint)
{
	size_t cap;
	unsigned char *p;

	if (o->cap - o->len >= 64 * 1024)
		return 0;
	cap = o->cap ? o->cap * 2 : (hint < 256 * 1024 ? 256 * 1024 : hint);
	if (cap > MAX_IMAGE)
		cap = MAX_IMAGE;
	if (cap <= o->len)
		return -EFBIG;
	p = realloc(o->buf, cap);
	if (!p)
		return -ENOMEM;
	o->buf = p;
	o->cap = cap;
	return 0;
}

static int unxz(const unsigned char *in, size_t len, struct out *o)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret ret;
	int err = 0;

	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return -ENOMEM;
	s.next_in = in;
	s.avail_in = len;
	do {
		err = out_room(o, len * 4);
		if (err < 0)
			break;
		s.next_out = o->buf + o->len;
		s.avail_out = o->cap - o->len;
		ret = lzma_code(&s, LZMA_FINISH);
		o->len = o->cap - s.avail_out;
		if (ret != LZMA_OK && ret != LZMA_STREAM_END)
			err = ret == LZMA_MEM_ERROR ? -ENOMEM : -EBADMSG;
	} while (!err && ret != LZMA_STREAM_END);
	lzma_end(&s);
	return err;
}

static int unzstd(const unsigned char *in, size_t len, struct out *o)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t r = 1;
	int err = 0;

	if (!z)
		return -ENOMEM;
	ZSTD_initDStream(z);
	while (!err && (ib.pos < ib.size || r != 0)) {
		ZSTD_outBuffer ob;

		err = out_room(o, len * 4);
		if (err < 0)
			break;
		ob.dst = o->buf + o->len;
		ob.size = o->cap - o->len;
		ob.pos = 0;
		r = ZSTD_decompressStream(z, &ob, &ib);
		o->len += ob.pos;
		if (ZSTD_isError(r))
			err = -EBADMSG;
		else if (ib.pos == ib.size && r != 0 && ob.pos == 0)
			err = -EBADMSG; /* truncated */
	}
	ZSTD_freeDStream(z);
	return err;
}

static int ungzip(const unsigned char *in, size_t len, struct out *o)
{
	z_stream z;
	int ret = Z_OK, err = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	while (!err && ret != Z_STREAM_END) {
		err = out_room(o, len * 4);
		if (err < 0)
			break;
		z.next_out = o->buf + o->len;
		z.avail_out = (uInt)(o->cap - o->len);
		ret = inflate(&z, Z_NO_FLUSH);
		o->len = o->cap - z.avail_out;
		if (ret == Z_BUF_ERROR && z.avail_in == 0)
			err = -EBADMSG; /* truncated */
		else if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
			err = ret == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
	}
	inflateEnd(&z);
	return err;
}

int modules_read_image(int fd, void **image, size_t *len, const char **kind)
{
	const char *k = modules_compression(fd);
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	struct out o = { NULL, 0, 0 };
	int err;

	*image = NULL;
	*len = 0;
	if (kind)
		*kind = k;
	err = read_all(fd, &raw, &rawlen);
	if (err < 0)
		return err;
	if (!k) {
		*image = raw;
		*len = rawlen;
		return 0;
	}
	if (!strcmp(k, "xz"))
		err = unxz(raw, rawlen, &o);
	else if (!strcmp(k, "zstd"))
		err = unzstd(raw, rawlen, &o);
	else
		err = ungzip(raw, rawlen, &o);
	free(raw);
	if (err < 0) {
		free(o.buf);
		return err;
	}
	*image = o.buf;
	*len = o.len;
	return 0;
}
