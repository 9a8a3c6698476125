/* help.c: the texts decoded from the blob, found by name. */
#include "t.h"
#include "help.h"

#include <stdio.h>
#include <string.h>

TEST(help_finds_every_text_by_name)
{
	static const char *const names[] = {
		"warmboot", "exit-status", "modules", "examine", "scan", "assemble",
		"stop", "entries", "check", "load", "exec", "reboot", "status", "unload",
	};
	struct help h;
	char usage[64];
	size_t i;

	CHECK_INT(help_open(&h), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *text = help_find(&h, names[i]);

		if (!text) {
			t_fail(__FILE__, __LINE__, "no text %s", names[i]);
			continue;
		}
		CHECK(text[strlen(text) - 1] == '\n');
		if (i < 2)
			continue;
		snprintf(usage, sizeof(usage), "Usage: warmboot %s", names[i]);
		CHECK(!strncmp(text, usage, strlen(usage)));
	}
	CHECK(!help_find(&h, "bogus"));
	CHECK(!help_find(&h, ""));
	CHECK(!strncmp(help_find(&h, "exit-status"), "\nExit status: 0 success;", 24));
	help_close(&h);
	CHECK(!h.texts);
}
