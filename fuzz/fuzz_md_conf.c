/* libFuzzer target for md_conf_parse: any bytes, no crash, no overrun, and
 * the results stay inside the documented bounds. */
#include "md/conf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct md_conf conf;
	static const char *const types[] = { "1.x", "0.90", "ddf", "imsm", "1.2", "x" };
	char buf[65];
	unsigned i;
	int err;

	err = md_conf_parse((const char *)data, size, &conf);
	check(err == 0 || err == -EINVAL || err == -E2BIG);
	check(conf.narrays <= MD_CONF_MAX_ARRAYS);
	check(conf.ndevices <= MD_CONF_MAX_WORDS);
	check(conf.nauto <= MD_CONF_MAX_WORDS);
	check(conf.nwarnings <= MD_CONF_MAX_WARNINGS);
	for (i = 0; i < conf.narrays; i++) {
		const struct md_conf_array *a = &conf.arrays[i];

		check(strlen(a->devname) < sizeof(a->devname));
		check(strlen(a->name) <= 32);
		check(strlen(a->devices) < sizeof(a->devices));
		check(a->uuid_set || a->devices_set || a->super_minor >= 0 || a->name[0] ||
		      (a->container[0] || a->member[0] || a->has_container));
	}
	for (i = 0; i < conf.nwarnings; i++)
		check(strlen(conf.warnings[i]) < sizeof(conf.warnings[0]));
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		md_conf_auto_allows(&conf, types[i], (int)(i & 1));
	md_conf_homehost(&conf, NULL, buf, sizeof(buf));
	return 0;
}
