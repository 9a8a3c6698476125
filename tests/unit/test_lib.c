/* lib/: the file readers and the growable array. */
#include "t.h"
#include "lib/array.h"
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *write_tmp(const char *name, const char *text, size_t len)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t_tmpdir(), name);
	f = fopen(path, "w");
	if (!f || fwrite(text, 1, len, f) != len)
		return NULL;
	fclose(f);
	return path;
}

TEST(read_text_trims_and_bounds)
{
	char buf[8];
	const char *p = write_tmp("flag", "1 \n\n", 4);

	CHECK(p);
	CHECK_INT(read_text(p, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "1");
	p = write_tmp("seven", "1234567", 7);
	CHECK_INT(read_text(p, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "1234567");
	p = write_tmp("eight", "12345678", 8);
	CHECK_INT(read_text(p, buf, sizeof(buf)), -E2BIG);
	CHECK_INT(read_text("/nonexistent/x", buf, sizeof(buf)), -ENOENT);
	CHECK_INT(read_text(p, buf, 0), -EINVAL);
}

TEST(read_file_whole_and_limit)
{
	static char big[20000];
	char *out;
	size_t len;
	const char *p;

	memset(big, 'a', sizeof(big));
	p = write_tmp("big", big, sizeof(big));
	CHECK_INT(read_file(p, sizeof(big), &out, &len), 0);
	CHECK_INT(len, sizeof(big));
	CHECK_INT(out[len], 0);
	CHECK(!memcmp(out, big, len));
	free(out);
	CHECK_INT(read_file(p, sizeof(big) - 1, &out, &len), -EFBIG);
	p = write_tmp("empty", "", 0);
	CHECK_INT(read_file(p, 10, &out, &len), 0);
	CHECK_INT(len, 0);
	CHECK_STR(out, "");
	free(out);
	/* /proc files say size 0 and still have content */
	CHECK_INT(read_file("/proc/self/stat", 65536, &out, &len), 0);
	CHECK(len > 10);
	CHECK_INT(strlen(out), len);
	free(out);
}

TEST(read_fd_reads_what_remains)
{
	char *out;
	size_t len;
	const char *p = write_tmp("rest", "headtail", 8);
	int fd = open(p, O_RDONLY);

	CHECK(fd >= 0);
	CHECK_INT(lseek(fd, 4, SEEK_SET), 4);
	CHECK_INT(read_fd(fd, 100, &out, &len), 0);
	close(fd);
	CHECK_STR(out, "tail");
	free(out);
}

struct pair { int a; char name[13]; };

TEST(array_push_grows_and_zeroes)
{
	ARRAY(struct pair) l = { 0 };
	struct pair *e;
	int i;

	for (i = 0; i < 1000; i++) {
		e = array_push(&l);
		CHECK(e);
		CHECK_INT(e->a, 0);
		CHECK_INT(e->name[0], 0);
		e->a = i;
		snprintf(e->name, sizeof(e->name), "n%d", i);
	}
	CHECK_INT(l.n, 1000);
	CHECK(l.cap >= 1000);
	for (i = 0; i < 1000; i++)
		CHECK_INT(l.v[i].a, i);
	CHECK_STR(l.v[999].name, "n999");
	array_free(&l);
	CHECK(!l.v);
	CHECK_INT(l.n, 0);
}
