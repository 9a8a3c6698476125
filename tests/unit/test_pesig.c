/* kexec/pesig against the real signed Debian kernel the VM rig fetched
 * (WB_VMLINUZ, set by mk/kexec.mk), a copy stripped of its signature, and
 * truncated or corrupted signatures. */
#include "t.h"
#include "kexec/pesig.h"
#include "lib/file.h"
#include "lib/le.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Debian's signer since 2022 and its CA, as openssl prints them. */
#define SIGNER "Debian Secure Boot Signer 2022 - linux"
#define SIGNER_SKID "14011249c2675ea8e5148542202005810584b25f"
#define CA "Debian Secure Boot CA"
#define CA_SKID "6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1"

static uint8_t *image;
static size_t image_len;
static uint32_t table_off, table_len;

static void load_image(void)
{
	const char *path = getenv("WB_VMLINUZ");
	char *buf;

	if (image || !path)
		return;
	if (read_file(path, 64 << 20, &buf, &image_len))
		return;
	image = (uint8_t *)buf;
	if (pesig_locate(image, image_len, &table_off, &table_len))
		table_len = 0;
}

TEST(real_debian_kernel_names_its_signer_and_chain)
{
	struct pesig sig;

	load_image();
	CHECK(image != NULL);
	CHECK(table_len > 0 && (uint64_t)table_off + table_len <= image_len);
	CHECK_INT(pesig_read(getenv("WB_VMLINUZ"), &sig), 0);
	CHECK_INT(sig.n, 1);
	CHECK_STR(sig.v[0].subject, SIGNER);
	CHECK_STR(sig.v[0].issuer, CA);
	CHECK_STR(sig.v[0].key_id, SIGNER_SKID);
	CHECK_INT(sig.v[0].ntrust, 2);	/* the CA's certificate is not in the message */
	CHECK_STR(sig.v[0].trust[0], SIGNER_SKID);
	CHECK_STR(sig.v[0].trust[1], CA_SKID);
}

/* What sbattach --remove does: no certificate table, the file ends before it. */
TEST(stripped_copy_is_unsigned)
{
	char path[4096];
	uint8_t *copy;
	uint32_t off, size, dirs;
	struct pesig sig;
	FILE *f;

	load_image();
	CHECK(image && table_len);
	if (!image || !table_len)
		return;
	copy = malloc(table_off);
	memcpy(copy, image, table_off);
	dirs = le32(copy + 0x3c) + 4 + 20 + 112;	/* PE32+ */
	memset(copy + dirs + 4 * 8, 0, 8);
	snprintf(path, sizeof(path), "%s/vmlinuz-stripped", t_tmpdir());
	f = fopen(path, "w");
	CHECK(f && fwrite(copy, 1, table_off, f) == table_off);
	fclose(f);
	CHECK_INT(pesig_locate(copy, table_off, &off, &size), 0);
	CHECK_INT(size, 0);
	CHECK_INT(pesig_read(path, &sig), -ENODATA);
	CHECK_INT(sig.n, 0);
	free(copy);
}

TEST(not_a_pe_image)
{
	static const uint8_t elf[64] = "\177ELF";
	uint32_t off, size;
	struct pesig sig;

	CHECK_INT(pesig_locate(elf, sizeof(elf), &off, &size), -ENOEXEC);
	CHECK_INT(pesig_read("/etc/passwd", &sig), -ENOEXEC);
	CHECK_INT(pesig_read("/nonexistent", &sig), -ENOENT);
}

/* Every prefix of the table is refused or parsed, never read past. */
TEST(truncated_signature_refused)
{
	struct pesig sig;
	uint8_t *t;
	size_t len;

	load_image();
	CHECK(table_len);
	if (!table_len)
		return;
	for (len = 0; len < table_len; len++) {
		t = malloc(len ? len : 1);	/* exact size: ASan sees overreads */
		memcpy(t, image + table_off, len);
		if (len >= 4)
			put_le32(t, (uint32_t)len);	/* dwLength follows the cut */
		CHECK(pesig_parse(t, len, &sig) <= 0);
		if (len < 64)
			CHECK_INT(pesig_parse(t, len, &sig), -EBADMSG);
		free(t);
	}
}

static int parse_mutated(size_t at, uint8_t value)
{
	struct pesig sig;
	uint8_t *t = malloc(table_len);
	int r;

	memcpy(t, image + table_off, table_len);
	t[at] = value;
	r = pesig_parse(t, table_len, &sig);
	free(t);
	return r;
}

TEST(corrupt_der_refused)
{
	size_t i;

	load_image();
	CHECK(table_len > 16);
	if (table_len <= 16)
		return;
	CHECK_INT(parse_mutated(4, 0x01), -EBADMSG);	/* WIN_CERT revision 1.0 */
	CHECK_INT(parse_mutated(6, 0x01), -EBADMSG);	/* X.509, not PKCS#7 */
	CHECK_INT(parse_mutated(3, 0x7f), -EBADMSG);	/* dwLength past the table */
	CHECK_INT(parse_mutated(8, 0x31), -EBADMSG);	/* SET, not SEQUENCE */
	CHECK_INT(parse_mutated(9, 0x80), -EBADMSG);	/* indefinite length */
	CHECK_INT(parse_mutated(9, 0x85), -EBADMSG);	/* 5-byte length */
	CHECK_INT(parse_mutated(10, 0xff), -EBADMSG);	/* longer than the table */
	CHECK_INT(parse_mutated(8, 0x3f), -EBADMSG);	/* high tag number form */
	/* every byte of the message flipped: parsed or refused, in bounds */
	for (i = 0; i < table_len; i++)
		CHECK(parse_mutated(i, image[table_off + i] ^ 0xff) <= 0);
}
