#include "t.h"
#include "lib/debver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *a, *op, *b; } cases[] = {
	{ "6.1.0-56-amd64", "gt", "6.1.0-9-amd64" },
	{ "6.1.0-10-amd64", "lt", "6.12.0-1-amd64" },
	{ "6.1.0-56-amd64", "eq", "6.1.0-56-amd64" },
	{ "6.1.0-56-amd64", "lt", "6.1.0-56-cloud-amd64" },
	{ "6.1.0-rc7-amd64", "gt", "6.1.0-amd64" },
	{ "1.0~rc1", "lt", "1.0" },
	{ "1.0~rc1", "gt", "1.0~~" },
	{ "1:0.9", "gt", "2.0" },
	{ "1.0-1", "lt", "1.0-1a" },
	{ "1.0a", "lt", "1.0+" },
	{ "1.0", "eq", "1.00" },
	{ "1.0", "eq", "0:1.0" },
	{ "2.6.32-5-686", "lt", "3.2.0-4-686-pae" },
	{ "", "lt", "0.1" },
};

TEST(table)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = debver_cmp(cases[i].a, cases[i].b);
		int back = debver_cmp(cases[i].b, cases[i].a);
		const char *got = r < 0 ? "lt" : r > 0 ? "gt" : "eq";
		if (strcmp(got, cases[i].op))
			t_fail(__FILE__, __LINE__, "%s %s %s, got %s", cases[i].a,
			       cases[i].op, cases[i].b, got);
		CHECK_INT(r, -back);
	}
}

/* dpkg itself agrees on the same table, when it is installed. */
TEST(agrees_with_dpkg)
{
	size_t i;
	char cmd[512];

	if (system("command -v dpkg >/dev/null 2>&1"))
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "dpkg --compare-versions '%s' %s '%s'",
			 cases[i].a, cases[i].op, cases[i].b);
		if (!cases[i].a[0])
			continue; /* dpkg refuses empty versions */
		CHECK_INT(system(cmd), 0);
	}
}
