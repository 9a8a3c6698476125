/* The x86 boot protocol setup header of a bzImage (Documentation/arch/x86/
 * boot.rst): enough to decide whether kexec_file_load can take the image and
 * to learn its version, command line limit and memory needs. */
#ifndef WB_BZIMAGE_H
#define WB_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

/* xloadflags bits. */
enum {
	XLF_KERNEL_64 = 1u << 0,
	XLF_CAN_BE_LOADED_ABOVE_4G = 1u << 1,
	XLF_EFI_HANDOVER_32 = 1u << 2,
	XLF_EFI_HANDOVER_64 = 1u << 3,
	XLF_EFI_KEXEC = 1u << 4,
};

struct bzimage {
	uint16_t protocol;	/* 0x020f = 2.15 */
	uint8_t setup_sects;	/* 0 already replaced by 4 */
	uint8_t loadflags;
	uint8_t relocatable;
	uint16_t xloadflags;
	uint32_t cmdline_size;	/* longest command line, without the NUL */
	uint32_t init_size;	/* memory the kernel needs to decompress and run */
	uint32_t syssize16;	/* protected-mode code, bytes (syssize * 16) */
	uint64_t setup_size;	/* real-mode part: (setup_sects + 1) * 512 */
	uint64_t payload_offset; /* from the start of the file */
	uint32_t payload_length;
	uint64_t file_size;
	const char *payload_format; /* "gzip", "xz", "zstd", ... or "unknown" */
	uint32_t pe_cert_size;	/* bytes of an Authenticode signature, 0: none */
	char version[256];	/* the kernel_version string, "" if absent */
	char release[128];	/* its first word: "6.1.0-56-amd64" */
};

/* Bytes of the file bzimage_parse may look at: the version string pointer
 * is 16 bits relative to 0x200, the string itself at most 256 bytes. */
#define BZIMAGE_HEAD_MAX (0x10200 + 256)

/* Parse a bzImage from its first len bytes (up to BZIMAGE_HEAD_MAX) and its
 * full size. Returns 0 with *bz filled, or -ENOEXEC with *why naming the
 * reason (a static string) when it is not a kernel kexec_file_load can take,
 * or is truncated or malformed. */
int bzimage_parse(const uint8_t *head, size_t len, uint64_t file_size,
		  struct bzimage *bz, const char **why);
/* Open, read and parse a file. -errno for I/O errors (*why NULL), -ENOEXEC
 * with *why for a bad image. */
int bzimage_read(const char *path, struct bzimage *bz, const char **why);
/* Name the compression of a payload from its first bytes (n >= 6 useful). */
const char *bzimage_payload_format(const uint8_t *p, size_t n);

#endif
