/* libFuzzer: the initrd walker (cpio archives, zero padding, gzip/xz/zstd
 * parts) on arbitrary files, with a small unpack limit. */
#include "kexec/initrd.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int visit(void *ctx, const struct cpio_entry *e)
{
	(void)ctx;
	/* ask for data now and then, as the checks do for modules.builtin */
	return !e->data && e->size < 64 ? CPIO_WANT_DATA : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct initrd_info info;
	const char *why;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-initrd-%d", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	initrd_scan(path, 1 << 20, visit, NULL, &info, &why);
	return 0;
}
