/* libFuzzer: the bzImage setup header parser on arbitrary heads. */
#include "kexec/bzimage.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bzimage bz;
	const char *why;

	bzimage_parse(data, size, size, &bz, &why);
	if (size > 8)	/* a file larger than what was read */
		bzimage_parse(data, size - 8, size, &bz, &why);
	/* the head of a real kernel, as bzimage_read reads it: the file is
	 * megabytes, so the size checks pass and the fields behind them run */
	bzimage_parse(data, size, (uint64_t)64 << 20, &bz, &why);
	return 0;
}
