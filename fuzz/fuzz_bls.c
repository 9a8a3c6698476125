/* libFuzzer: Boot Loader Specification entry parsing. */
#include "boot/bls.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bls_entry e;

	bls_parse((const char *)data, size, &e);
	return 0;
}
