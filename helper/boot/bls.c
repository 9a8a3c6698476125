/* BLS entries: "key value" lines, '#' comments; `initrd` and `options` may
 * repeat. Paths are relative to the partition holding loader/entries. */
#include "boot/bls.h"
#include "boot/bootcfg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int scan_dir(struct boot_list *l, const char *base)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct bls_entry *b;
	struct dirent *d;
	DIR *dh;
	int r = 0;

	snprintf(dir, sizeof(dir), "%s/loader/entries", base);
	dh = opendir(dir);
	if (!dh)
		return 0;
	b = malloc(sizeof(*b));
	if (!b) {
		closedir(dh);
		return -ENOMEM;
	}
	while ((d = readdir(dh)) && !r) {
		size_t n = strlen(d->d_name), len;
		struct boot_entry *e;
		char text[16384];
		ssize_t got;
		int fd, i;

		if (n < 6 || strcmp(d->d_name + n - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		got = read(fd, text, sizeof(text));
		close(fd);
		if (got < 0 || (size_t)got == sizeof(text))
			continue;
		len = (size_t)got;
		if (bls_parse(text, len, b))
			continue;
		e = bootcfg_add(l, BOOT_BLS);
		if (!e) {
			r = -ENOMEM;
			break;
		}
		snprintf(e->origin, sizeof(e->origin), "%s", path);
		snprintf(e->title, sizeof(e->title), "%s", b->title);
		snprintf(e->id, sizeof(e->id), "%.*s", (int)(n - 5), d->d_name);
		snprintf(e->cmdline, sizeof(e->cmdline), "%s", b->options);
		bootcfg_resolve(l, base, b->linux_path, e->kernel, sizeof(e->kernel));
		if (b->version[0])
			snprintf(e->version, sizeof(e->version), "%s", b->version);
		else
			bootcfg_version_of(e->kernel, e->version, sizeof(e->version));
		for (i = 0; i < b->ninitrd && i < BOOT_MAX_INITRDS; i++)
			bootcfg_resolve(l, base, b->initrd[i], e->initrd[e->ninitrd++],
					sizeof(e->initrd[0]));
	}
	free(b);
	closedir(dh);
	return r;
}

int bls_scan(struct boot_list *l)
{
	static const char *const bases[] = { "/boot", "/efi", "/boot/efi" };
	char base[PATH_MAX];
	size_t i;
	int r;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		snprintf(base, sizeof(base), "%s%s", l->root, bases[i]);
		if ((r = scan_dir(l, base)))
			return r;
	}
	return 0;
}
