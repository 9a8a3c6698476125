/* libFuzzer: kernel command line splitting and composing. The input is
 * base NUL append: the words of base, less the dropped and one-shot ones,
 * then append; and append added to base as repeated --append does. */
#include "kexec/cmdline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const drop[] = { "root", "warmboot.chain", "" };
	char *in = malloc(size + 2), out[512], acc[256];
	const char *base, *append, *s, *w;
	size_t len;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = in[size + 1] = '\0';
	base = in;
	append = in + strlen(in) + 1;
	for (s = base; (w = cmdline_next(&s, &len));)
		if (cmdline_name_len(w, len) > len)
			abort();
	cmdline_compose(base, drop, 3, append, out, sizeof(out));
	cmdline_compose(base, NULL, 0, NULL, out, 1);
	acc[0] = '\0';
	cmdline_add_words(acc, sizeof(acc), base);
	cmdline_add_words(acc, sizeof(acc), append);
	free(in);
	return 0;
}
