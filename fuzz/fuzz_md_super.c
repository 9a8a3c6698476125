/* libFuzzer target for the md superblock parsers: the input is placed at
 * the head and at the tail of an in-memory image (so 1.1/1.2 and 0.90/1.0
 * all see fuzzed bytes), then probed, chosen, planned and printed. */
#include "lib/json.h"
#include "md/dev.h"
#include "md/plan.h"
#include "md/report.h"
#include "md/super.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_IMAGE (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t image[MAX_IMAGE];
	static FILE *devnull;
	static struct plan plan;
	struct md_probe probes[MD_NFORMATS];
	struct md_dev dev;
	uint64_t size;
	int f, others;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (len > MAX_IMAGE / 2)
		return 0;
	/* sizes from tiny to 1 MiB, not all sector-aligned */
	size = len ? (uint64_t)data[0] * 2053 + len : 0;
	if (size > MAX_IMAGE)
		size = MAX_IMAGE;
	memset(image, 0, size);
	memcpy(image, data, len);
	memcpy(image + size - len, data, len);
	md_dev_init_mem(&dev, image, size);
	if (md_probe_all(&dev, probes) == 0) {
		f = md_choose(probes, &others);
		if (f >= 0) {
			struct plan_member pm = { .path = "x", .m = &probes[f].m };
			struct plan_policy pol = { 0 };
			struct json j;

			md_report_examine(devnull, &probes[f].m, "host");
			md_report_array_line(devnull, &probes[f].m, 1);
			json_init(&j, devnull);
			md_report_json(&j, "x", &probes[f].m, probes[f].why);
			plan_array(&pm, 1, &pol, &plan);
		}
	}
	md_external_signature(&dev);
	return 0;
}
