#include "t.h"
#include "kexec/initrd.h"
#include "lib/decomp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count(void *ctx, const struct cpio_entry *e)
{
	(void)e;
	++*(int *)ctx;
	return 0;
}

static const char *tmp(const char *name)
{
	static char p[4096];

	snprintf(p, sizeof(p), "%s/%s", t_tmpdir(), name);
	return p;
}

static int sh(const char *cmd)
{
	char full[8192];

	snprintf(full, sizeof(full), "cd '%s' && %s", t_tmpdir(), cmd);
	return system(full);
}

/* zstd's streaming output larger than the limit stops with -EFBIG, in
 * bounded memory; the frame itself declares nothing (--no-content-size). */
TEST(zstd_output_over_limit)
{
	struct initrd_info info;
	const char *why;
	int n = 0;

	CHECK_INT(sh("mkdir -p big && head -c 67108864 /dev/zero >big/zero && "
		     "(cd big && echo zero | cpio --quiet -o -H newc) | "
		     "zstd -q --no-content-size -o big.zst -f"), 0);
	CHECK_INT(initrd_scan(tmp("big.zst"), 16 << 20, count, &n, &info, &why), -EFBIG);
	CHECK(why && strstr(why, "exceed the memory limit"));
	n = 0;
	CHECK_INT(initrd_scan(tmp("big.zst"), 128 << 20, count, &n, &info, &why), 0);
	CHECK_INT(n, 1);
	CHECK(info.unpacked > (64u << 20));
}

/* Early cpio + each compressor, then every prefix of the file: no crash,
 * and every cut inside the data is an error. */
TEST(concatenated_and_truncated)
{
	static const char *const comp[] = { "gzip -n", "xz --check=crc32", "zstd -q" };
	size_t i;

	CHECK_INT(sh("mkdir -p e/kernel m/lib/modules/1.0 && echo u >e/kernel/u && "
		     "seq 1 20000 >m/lib/modules/1.0/list && "
		     "(cd e && find . | cpio --quiet -o -H newc) >early.cpio && "
		     "(cd m && find . | cpio --quiet -o -H newc) >main.cpio"), 0);
	for (i = 0; i < 3; i++) {
		struct initrd_info info;
		const char *why;
		char cmd[256];
		FILE *f;
		long size, cut;
		int n = 0;

		snprintf(cmd, sizeof(cmd), "%s <main.cpio | cat early.cpio - >img", comp[i]);
		CHECK_INT(sh(cmd), 0);
		CHECK_INT(initrd_scan(tmp("img"), 1 << 30, count, &n, &info, &why), 0);
		CHECK_INT(info.nparts, 2);
		CHECK_STR(info.parts[0].format, "cpio");
		CHECK_INT(n, 3 + 5);
		f = fopen(tmp("img"), "rb");
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fclose(f);
		for (cut = 1; cut < size; cut += (cut < 1024 ? 1 : 97)) {
			int r;
			snprintf(cmd, sizeof(cmd), "head -c %ld img >cut", cut);
			CHECK_INT(sh(cmd), 0);
			r = initrd_scan(tmp("cut"), 1 << 30, count, &n, &info, &why);
			/* a cut right after the early archive's padding is a
			 * valid, shorter initrd */
			if (r == 0 && info.nparts != 1)
				t_fail(__FILE__, __LINE__, "%s cut at %ld accepted", comp[i], cut);
			CHECK(r == 0 || why != NULL);
		}
	}
}

TEST(garbage_between_parts)
{
	struct initrd_info info;
	const char *why;
	int n = 0;

	CHECK_INT(sh("mkdir -p g && echo x >g/x && (cd g && find . | cpio --quiet -o -H newc) "
		     ">g.cpio && (cat g.cpio; printf 'HELLO') >garbage"), 0);
	CHECK_INT(initrd_scan(tmp("garbage"), 1 << 20, count, &n, &info, &why), -EBADMSG);
	CHECK(strstr(why, "neither a cpio archive nor compressed"));
	CHECK_INT(sh("(cat g.cpio; printf '\\002\\041\\114\\030xxxx') >lz4"), 0);
	CHECK_INT(initrd_scan(tmp("lz4"), 1 << 20, count, &n, &info, &why), -ENOTSUP);
	CHECK_STR(info.parts[1].format, "lz4");
}
