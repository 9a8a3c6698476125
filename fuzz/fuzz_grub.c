/* libFuzzer: grub.cfg parsing, default resolution and grubenv lookup. */
#include "boot/grub.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct grub_menu m;
	const char *spec;
	char v[256];

	if (!grub_parse((const char *)data, size, &m)) {
		grub_default(&m, "1>2", "x>0", &spec);
		grub_default(&m, NULL, NULL, &spec);
		grub_menu_free(&m);
	}
	grubenv_get((const char *)data, size, "saved_entry", v, sizeof(v));
	return 0;
}
