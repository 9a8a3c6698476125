/* Loading an md personality before RUN_ARRAY: a minimal initramfs has no
 * modprobe for the kernel's request_module(), so warmboot resolves the
 * personality's alias (md-raid1, md-linear, ...) through libkmod itself. */
#include "md/personality.h"
#include "md/describe.h"
#include "md/super.h"
#include "modules/modules.h"
#include "sys/sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The one level -> module table (mdadm's maps.c spellings). */
static const struct {
	const char *level;
	const char *module;
} modules[] = {
	{ "linear", "linear" }, { "-1", "linear" },
	{ "raid0", "raid0" }, { "0", "raid0" }, { "stripe", "raid0" },
	{ "raid1", "raid1" }, { "1", "raid1" }, { "mirror", "raid1" },
	{ "raid4", "raid456" }, { "4", "raid456" },
	{ "raid5", "raid456" }, { "5", "raid456" },
	{ "raid6", "raid456" }, { "6", "raid456" },
	{ "raid10", "raid10" }, { "10", "raid10" },
	{ "multipath", "multipath" }, { "mp", "multipath" },
	{ "faulty", "faulty" },
};

const char *md_personality_module(const char *level)
{
	size_t i;

	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		if (!strcmp(level, modules[i].level))
			return modules[i].module;
	return NULL;
}

/* "Personalities : [raid1] [raid6] ..." in /proc/mdstat */
int md_personality_registered(int level)
{
	char path[512], line[512], want[32];
	const char *name = md_level_name(level);
	FILE *f;
	int hit = 0;

	if (!name)
		return 0;
	snprintf(want, sizeof(want), "[%s]", name);
	snprintf(path, sizeof(path), "%s/proc/mdstat", sys_root());
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "Personalities", 13))
		hit = strstr(line, want) != NULL;
	fclose(f);
	return hit;
}

int md_personality_load(int level)
{
	struct modules_plan plan = { 0 };
	struct modules *m;
	char alias[32];
	const char *name = md_level_name(level);
	size_t i;
	int err;

	if (!name)
		return -EINVAL;
	if (md_personality_registered(level))
		return 0;
	snprintf(alias, sizeof(alias), "md-%s", name);
	err = modules_open(&m, NULL, NULL, NULL, NULL);
	if (err)
		return err;
	err = modules_plan_add(m, alias, 0, &plan);
	for (i = 0; !err && i < plan.steps.n; i++) {
		const struct modules_step *s = &plan.steps.v[i];
		struct modules_inserted how;

		if (s->action == MODULES_INSMOD)
			err = modules_insert_file(s->path, s->options, &how);
	}
	modules_plan_free(&plan);
	modules_close(m);
	return err;
}
