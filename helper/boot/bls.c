/* BLS entries: "key value" lines, '#' comments; `initrd` and `options` may
 * repeat. Paths are relative to the partition holding loader/entries. */
#include "boot/bls.h"

#include <errno.h>
#include <string.h>

static int set(char *dst, size_t size, const char *v, size_t len)
{
	if (len >= size)
		return -E2BIG;
	memcpy(dst, v, len);
	dst[len] = 0;
	return 0;
}

static int append(char *dst, size_t size, const char *v, size_t len)
{
	size_t o = strlen(dst);

	if (o + (o ? 1 : 0) + len >= size)
		return -E2BIG;
	if (o)
		dst[o++] = ' ';
	memcpy(dst + o, v, len);
	dst[o + len] = 0;
	return 0;
}

int bls_parse(const char *text, size_t len, struct bls_entry *e)
{
	const char *p = text, *end = text + len;
	int r = 0;

	memset(e, 0, sizeof(*e));
	while (p < end && !r) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *k, *v;
		size_t klen, vlen;

		k = p;
		p = nl ? nl + 1 : end;
		while (k < le && (*k == ' ' || *k == '\t'))
			k++;
		if (k == le || *k == '#')
			continue;
		for (v = k; v < le && *v != ' ' && *v != '\t'; v++)
			;
		klen = (size_t)(v - k);
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		vlen = (size_t)(le - v);
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t' || v[vlen - 1] == '\r'))
			vlen--;
#define KEY(s) (klen == sizeof(s) - 1 && !memcmp(k, s, klen))
		if (KEY("title"))
			r = set(e->title, sizeof(e->title), v, vlen);
		else if (KEY("version"))
			r = set(e->version, sizeof(e->version), v, vlen);
		else if (KEY("machine-id"))
			r = set(e->machine_id, sizeof(e->machine_id), v, vlen);
		else if (KEY("sort-key"))
			r = set(e->sort_key, sizeof(e->sort_key), v, vlen);
		else if (KEY("linux"))
			r = set(e->linux_path, sizeof(e->linux_path), v, vlen);
		else if (KEY("options"))
			r = append(e->options, sizeof(e->options), v, vlen);
		else if (KEY("initrd")) {
			if (e->ninitrd == BLS_MAX_INITRDS)
				r = -E2BIG;
			else
				r = set(e->initrd[e->ninitrd++], sizeof(e->initrd[0]), v, vlen);
		}
#undef KEY
	}
	if (r)
		return r;
	return e->linux_path[0] ? 0 : -EINVAL;
}
