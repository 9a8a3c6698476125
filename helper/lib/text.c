/* Small text helpers for /proc and /sys: first lines, MAJOR:MINOR
 * numbers, words split in place. */
#include "lib/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = -EIO;
	fclose(f);
	if (!err)
		buf[strcspn(buf, "\n")] = 0;
	return err;
}

static int parse_uint(const char *s, char **end, unsigned *out)
{
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, end, 10);
	if (errno || v > 0xffffffffUL)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

int parse_devnum(const char *text, unsigned *major, unsigned *minor)
{
	char *end;

	if (parse_uint(text, &end, major) || *end != ':' ||
	    parse_uint(end + 1, &end, minor) || (*end && *end != '\n'))
		return -EINVAL;
	return 0;
}

int split_words(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		p += strspn(p, " \t\n");
		if (!*p)
			break;
		words[n++] = p;
		p += strcspn(p, " \t\n");
		if (*p)
			*p++ = 0;
	}
	return n;
}
