#include "t.h"
#include "kexec/bzimage.h"
#include "lib/le.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A minimal well-formed bzImage head: 4 setup sectors + a 4 KiB kernel. */
static uint8_t img[5 * 512 + 4096];

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

static void make_image(void)
{
	memset(img, 0, sizeof(img));
	img[0x1f1] = 4;
	put_le32(img + 0x1f4, 4096 / 16);
	put16(img + 0x1fe, 0xaa55);
	memcpy(img + 0x202, "HdrS", 4);
	put16(img + 0x206, 0x020f);
	put16(img + 0x20e, 0x300 - 0x200);
	strcpy((char *)img + 0x300, "6.1.0-99-amd64 (test@example) #1 SMP");
	img[0x211] = 1;
	img[0x234] = 1;
	put16(img + 0x236, 0x7f);
	put_le32(img + 0x238, 2047);
	put_le32(img + 0x248, 16);
	put_le32(img + 0x24c, 1000);
	put_le32(img + 0x260, 1 << 20);
	memcpy(img + 5 * 512 + 16, "\x28\xb5\x2f\xfd", 4);
}

TEST(parses_synthetic_header)
{
	struct bzimage bz;
	const char *why = NULL;

	make_image();
	CHECK_INT(bzimage_parse(img, sizeof(img), sizeof(img), &bz, &why), 0);
	CHECK_INT(bz.protocol, 0x020f);
	CHECK_INT(bz.cmdline_size, 2047);
	CHECK_INT(bz.setup_size, 2560);
	CHECK_INT(bz.init_size, 1 << 20);
	CHECK_STR(bz.release, "6.1.0-99-amd64");
	CHECK_STR(bz.payload_format, "zstd");
}

#define REFUSES(mutate, reason) do {					\
	struct bzimage bz; const char *why = NULL; size_t len = sizeof(img); \
	make_image(); mutate;						\
	CHECK_INT(bzimage_parse(img, len, len, &bz, &why), -ENOEXEC);	\
	CHECK(why && strstr(why, reason));				\
} while (0)

TEST(refuses_malformed)
{
	REFUSES(img[0x202] = 'X', "HdrS");
	REFUSES(img[0x1fe] = 0, "0xAA55");
	REFUSES(put16(img + 0x206, 0x020b), "2.12");
	REFUSES(img[0x211] = 0, "zImage");
	REFUSES(put16(img + 0x236, 0x7e), "64-bit");
	REFUSES(put16(img + 0x236, 0x7d), "above 4 GiB");
	REFUSES(img[0x234] = 0, "relocatable");
	REFUSES(len = sizeof(img) - 1, "truncated");
	REFUSES(len = 0x230, "truncated inside");
	REFUSES(len = 100, "too short");
	REFUSES(put_le32(img + 0x24c, 4096), "payload");
	REFUSES(memset(img + 0x300, 'a', 0x200), "version string");
	REFUSES(put16(img + 0x20e, 0x1000), "version string");
	REFUSES(put_le32(img + 0x238, 0), "cmdline_size");
}

TEST(every_truncation_is_refused_or_parsed)
{
	size_t len;

	make_image();
	for (len = 0; len < sizeof(img); len++) {
		struct bzimage bz;
		const char *why = NULL;
		/* A head shorter than the file is fine; a file shorter is not. */
		CHECK_INT(bzimage_parse(img, len, len, &bz, &why), -ENOEXEC);
		CHECK(why != NULL);
	}
}

/* The real Debian kernel the VM rig fetched: WB_VMLINUZ, set by mk/kexec.mk. */
TEST(real_debian_bzimage)
{
	const char *path = getenv("WB_VMLINUZ");
	const char *kver = getenv("WB_KVER");
	struct bzimage bz;
	const char *why = NULL;

	CHECK(path && *path);
	CHECK(kver && *kver);
	CHECK_INT(bzimage_read(path, &bz, &why), 0);
	CHECK_STR(bz.release, kver);
	CHECK(bz.protocol >= 0x020c);
	CHECK(bz.xloadflags & XLF_KERNEL_64);
	CHECK(bz.cmdline_size >= 255);
	CHECK(bz.init_size > bz.payload_length);
	CHECK(strcmp(bz.payload_format, "unknown"));
	CHECK(!strncmp(bz.version, kver, strlen(kver)));
}

TEST(payload_formats_by_magic)
{
	static const struct { const char *magic; size_t len; const char *name; } want[] = {
		{ "\x1f\x8b\x08\0\0\0", 6, "gzip" },
		{ "\xfd" "7zXZ\0", 6, "xz" },
		{ "\x28\xb5\x2f\xfd\0\0", 6, "zstd" },
		{ "\x5d\0\0\x80\0\0", 6, "lzma" },
		{ "BZh91A", 6, "bzip2" },
		{ "\x02\x21\x4c\x18\0\0", 6, "lz4" },
		{ "\x89LZO\0\r", 6, "lzo" },
		{ "\x7f" "ELF\2\1", 6, "uncompressed" },
		{ "\0\0\0\0\0\0", 6, "unknown" },
		{ "\x1f", 1, "unknown" },
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(bzimage_payload_format((const uint8_t *)want[i].magic, want[i].len),
			  want[i].name);
}
