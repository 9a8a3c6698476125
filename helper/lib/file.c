/* Whole-file and small-text readers built on read_full(). */
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t have = 0;
	ssize_t n;

	while (have < len) {
		n = read(fd, (char *)buf + have, len - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		have += (size_t)n;
	}
	return (ssize_t)have;
}

static int open_read(const char *path)
{
	int fd;

	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (!len)
		return -EINVAL;
	fd = open_read(path);
	if (fd < 0)
		return fd;
	/* one byte more than fits tells a long file from one that fits */
	n = read_full(fd, buf, len);
	close(fd);
	if (n < 0)
		return (int)n;
	if ((size_t)n >= len)
		return -E2BIG;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return 0;
}

int read_fd(int fd, size_t max, char **out, size_t *lenp)
{
	struct stat st;
	size_t cap = 4096, len = 0;
	char *buf = NULL, *p;
	ssize_t n;

	/* a regular file's size is a good first guess; /proc says 0 */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
	for (;;) {
		if (cap > max + 1)
			cap = max + 1;
		p = realloc(buf, cap + 1);
		if (!p) {
			free(buf);
			return -ENOMEM;
		}
		buf = p;
		n = read_full(fd, buf + len, cap - len);
		if (n < 0) {
			free(buf);
			return (int)n;
		}
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
		if (len < cap)
			break;
		cap *= 2;
	}
	buf[len] = 0;
	*out = buf;
	*lenp = len;
	return 0;
}

int read_file(const char *path, size_t max, char **out, size_t *lenp)
{
	int fd = open_read(path), r;

	if (fd < 0)
		return fd;
	r = read_fd(fd, max, out, lenp);
	close(fd);
	return r;
}
