/* bzImage setup header parser. Offsets are those of struct setup_header in
 * arch/x86/include/uapi/asm/bootparam.h, from the start of the file. */
#include "kexec/bzimage.h"
#include "kexec/pesig.h"
#include "lib/decomp.h"
#include "lib/le.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	OFF_SETUP_SECTS = 0x1f1,
	OFF_SYSSIZE = 0x1f4,
	OFF_BOOT_FLAG = 0x1fe,
	OFF_HEADER = 0x202,		/* "HdrS" */
	OFF_VERSION = 0x206,
	OFF_KERNEL_VERSION = 0x20e,	/* string at this value + 0x200 */
	OFF_LOADFLAGS = 0x211,
	OFF_RELOCATABLE = 0x234,
	OFF_XLOADFLAGS = 0x236,
	OFF_CMDLINE_SIZE = 0x238,	/* protocol 2.06 */
	OFF_PAYLOAD_OFFSET = 0x248,	/* protocol 2.08 */
	OFF_PAYLOAD_LENGTH = 0x24c,
	OFF_INIT_SIZE = 0x260,		/* protocol 2.10 */
	HEADER_END = 0x264,
	MIN_PROTOCOL = 0x020c,		/* xloadflags: what kexec_file_load needs */
	LOADED_HIGH = 1,
};

/* The layout of boot.rst, pinned: each field follows the previous one. */
_Static_assert(OFF_SYSSIZE == OFF_SETUP_SECTS + 1 + 2, "root_flags is 2 bytes");
_Static_assert(OFF_BOOT_FLAG == OFF_SYSSIZE + 4 + 2 + 2 + 2, "ram_size, vid_mode, root_dev");
_Static_assert(OFF_HEADER == OFF_BOOT_FLAG + 2 + 2, "boot_flag, jump");
_Static_assert(OFF_VERSION == OFF_HEADER + 4, "header is 4 bytes");
_Static_assert(OFF_KERNEL_VERSION == OFF_VERSION + 2 + 4 + 2, "realmode_swtch, start_sys_seg");
_Static_assert(OFF_LOADFLAGS == OFF_KERNEL_VERSION + 2 + 1, "type_of_loader");
_Static_assert(OFF_RELOCATABLE == OFF_LOADFLAGS + 1 + 2 + 4 * 7 + 2 + 2,
	       "setup_move_size .. kernel_alignment");
_Static_assert(OFF_XLOADFLAGS == OFF_RELOCATABLE + 1 + 1, "min_alignment");
_Static_assert(OFF_PAYLOAD_OFFSET == OFF_CMDLINE_SIZE + 4 + 4 + 8,
	       "hardware_subarch(_data)");
_Static_assert(OFF_INIT_SIZE == OFF_PAYLOAD_LENGTH + 4 + 8 + 8, "setup_data, pref_address");

const char *bzimage_payload_format(const uint8_t *p, size_t n)
{
	const char *name;

	if (decomp_detect(p, n, &name) != DECOMP_NONE)
		return name;
	return n >= 4 && !memcmp(p, "\177ELF", 4) ? "uncompressed" : "unknown";
}

/* Copy the NUL-terminated printable version string; 0 if well formed. */
static int copy_version(const uint8_t *s, size_t avail, struct bzimage *bz)
{
	size_t i, n = avail < sizeof(bz->version) ? avail : sizeof(bz->version);

	for (i = 0; i < n && s[i]; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	if (i == n || i == 0)
		return -1;
	memcpy(bz->version, s, i);
	bz->version[i] = 0;
	n = strcspn(bz->version, " ");
	if (n >= sizeof(bz->release))
		n = sizeof(bz->release) - 1;
	memcpy(bz->release, bz->version, n);
	bz->release[n] = 0;
	return 0;
}

/* The fields of a setup header of protocol 2.12 or later. */
static void read_fields(const uint8_t *head, struct bzimage *bz)
{
	bz->setup_sects = head[OFF_SETUP_SECTS] ? head[OFF_SETUP_SECTS] : 4;
	bz->setup_size = ((uint64_t)bz->setup_sects + 1) * 512;
	bz->syssize16 = le32(head + OFF_SYSSIZE) * 16u;
	bz->loadflags = head[OFF_LOADFLAGS];
	bz->relocatable = head[OFF_RELOCATABLE];
	bz->xloadflags = le16(head + OFF_XLOADFLAGS);
	bz->cmdline_size = le32(head + OFF_CMDLINE_SIZE);
	bz->payload_offset = bz->setup_size + le32(head + OFF_PAYLOAD_OFFSET);
	bz->payload_length = le32(head + OFF_PAYLOAD_LENGTH);
	bz->init_size = le32(head + OFF_INIT_SIZE);
}

/* A setup header at all, of a protocol new enough: NULL, or the reason. */
static const char *check_header(const uint8_t *head, size_t len, uint64_t file_size,
				struct bzimage *bz)
{
	if (len < OFF_VERSION + 2)
		return file_size < OFF_VERSION + 2 ? "too short to be a kernel image"
						   : "setup header not read";
	if (memcmp(head + OFF_HEADER, "HdrS", 4))
		return "not a bzImage: no \"HdrS\" setup header at 0x202";
	if (le16(head + OFF_BOOT_FLAG) != 0xaa55)
		return "not a bzImage: no 0xAA55 boot flag at 0x1fe";
	bz->protocol = le16(head + OFF_VERSION);
	if (bz->protocol < MIN_PROTOCOL)
		return "boot protocol older than 2.12: no 64-bit entry for kexec_file_load";
	if (len < HEADER_END)
		return "truncated inside the setup header";
	return NULL;
}

/* What kexec_file_load needs of the fields: NULL, or the reason. */
static const char *check_fields(const struct bzimage *bz, uint64_t file_size)
{
	if (!(bz->loadflags & LOADED_HIGH))
		return "a zImage (loaded low), not a bzImage";
	if (!(bz->xloadflags & XLF_KERNEL_64))
		return "not a 64-bit kernel (no XLF_KERNEL_64 entry point)";
	if (!(bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
		return "kernel cannot be loaded above 4 GiB (XLF_CAN_BE_LOADED_ABOVE_4G unset)";
	if (!bz->relocatable)
		return "kernel is not relocatable";
	if (bz->setup_size + bz->syssize16 > file_size)
		return "truncated: the setup header describes more bytes than the file has";
	if (!bz->syssize16 || !bz->payload_length ||
	    bz->payload_offset + bz->payload_length > bz->setup_size + bz->syssize16)
		return "malformed: the compressed payload lies outside the kernel";
	if (!bz->cmdline_size || !bz->init_size)
		return "malformed: zero cmdline_size or init_size";
	return NULL;
}

int bzimage_parse(const uint8_t *head, size_t len, uint64_t file_size,
		  struct bzimage *bz, const char **why)
{
	uint32_t cert_off, cert_size;
	uint16_t kv;

	memset(bz, 0, sizeof(*bz));
	bz->file_size = file_size;
	bz->payload_format = "unknown";
	if (len > file_size)
		len = (size_t)file_size;
	*why = check_header(head, len, file_size, bz);
	if (*why)
		return -ENOEXEC;
	read_fields(head, bz);
	*why = check_fields(bz, file_size);
	if (*why)
		return -ENOEXEC;
	kv = le16(head + OFF_KERNEL_VERSION);
	if (kv) {
		uint64_t at = (uint64_t)kv + 0x200;
		if (at >= bz->setup_size || at >= len ||
		    copy_version(head + at, len - (size_t)at, bz)) {
			*why = "malformed: the kernel version string is not readable";
			return -ENOEXEC;
		}
	}
	/* the EFI stub's certificate table: a signed kernel */
	bz->pe_cert_size = pesig_locate(head, len, &cert_off, &cert_size) ? 0 : cert_size;
	if (bz->payload_offset + 6 <= len)
		bz->payload_format = bzimage_payload_format(head + bz->payload_offset, 6);
	return 0;
}

int bzimage_read(const char *path, struct bzimage *bz, const char **why)
{
	uint8_t *head, magic[6];
	struct stat st;
	ssize_t n;
	int fd, r;

	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return -ENOEXEC;
	}
	head = malloc(BZIMAGE_HEAD_MAX);
	if (!head) {
		close(fd);
		return -ENOMEM;
	}
	n = pread(fd, head, BZIMAGE_HEAD_MAX, 0);
	if (n < 0) {
		r = -errno;
		goto out;
	}
	r = bzimage_parse(head, (size_t)n, (uint64_t)st.st_size, bz, why);
	if (!r && !strcmp(bz->payload_format, "unknown") &&
	    pread(fd, magic, sizeof(magic), (off_t)bz->payload_offset) == (ssize_t)sizeof(magic))
		bz->payload_format = bzimage_payload_format(magic, sizeof(magic));
out:
	free(head);
	close(fd);
	return r;
}
