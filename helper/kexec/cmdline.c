/* Command line composition for the next kernel. */
#include "kexec/cmdline.h"

#include <errno.h>
#include <string.h>

const char *const cmdline_one_shot[] = { "BOOT_IMAGE", "initrd", "warmboot.chain", NULL };

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

const char *cmdline_next(const char **s, size_t *len)
{
	const char *p = *s, *start;
	int quoted = 0;

	while (*p && is_blank(*p))
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	start = p;
	for (; *p && (quoted || !is_blank(*p)); p++)
		if (*p == '"')
			quoted = !quoted;
	*len = (size_t)(p - start);
	*s = p;
	return start;
}

size_t cmdline_name_len(const char *word, size_t len)
{
	const char *eq = memchr(word, '=', len);

	return eq ? (size_t)(eq - word) : len;
}

static int named(const char *word, size_t len, const char *name)
{
	size_t n = cmdline_name_len(word, len);

	/* the kernel treats '-' and '_' in parameter names alike */
	if (strlen(name) != n)
		return 0;
	for (; n; n--, word++, name++)
		if (*word != *name && !((*word == '-' || *word == '_') &&
					(*name == '-' || *name == '_')))
			return 0;
	return 1;
}

static int dropped(const char *word, size_t len, const char *const *drop, size_t ndrop)
{
	size_t i;

	for (i = 0; cmdline_one_shot[i]; i++)
		if (named(word, len, cmdline_one_shot[i]))
			return 1;
	for (i = 0; i < ndrop; i++)
		if (named(word, len, drop[i]))
			return 1;
	return 0;
}

static int add(char *out, size_t outlen, size_t *pos, const char *word, size_t len)
{
	size_t need = len + (*pos ? 1 : 0);

	if (*pos + need + 1 > outlen)
		return -E2BIG;
	if (*pos)
		out[(*pos)++] = ' ';
	memcpy(out + *pos, word, len);
	*pos += len;
	out[*pos] = 0;
	return 0;
}

int cmdline_compose(const char *base, const char *const *drop, size_t ndrop,
		    const char *append, char *out, size_t outlen)
{
	const char *w;
	size_t len, pos = 0;
	int r;

	if (!outlen)
		return -E2BIG;
	out[0] = 0;
	while (base && (w = cmdline_next(&base, &len)))
		if (!dropped(w, len, drop, ndrop) && (r = add(out, outlen, &pos, w, len)))
			return r;
	while (append && (w = cmdline_next(&append, &len)))
		if ((r = add(out, outlen, &pos, w, len)))
			return r;
	return 0;
}

int cmdline_add_words(char *buf, size_t len, const char *more)
{
	size_t have = strlen(buf), add = strlen(more), sep = have && add ? 1 : 0;

	if (have + sep + add + 1 > len)
		return -E2BIG;
	if (sep)
		buf[have++] = ' ';
	memcpy(buf + have, more, add + 1);
	return 0;
}
