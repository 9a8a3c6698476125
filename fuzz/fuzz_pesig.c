/* libFuzzer: the Authenticode signature parser, on certificate tables and,
 * the same bytes taken as a PE head, the locator of the table. */
#include "kexec/pesig.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pesig sig;
	uint32_t off, len;

	pesig_parse(data, size, &sig);
	if (!pesig_locate(data, size, &off, &len) && len && (uint64_t)off + len <= size)
		pesig_parse(data + off, len, &sig);
	return 0;
}
