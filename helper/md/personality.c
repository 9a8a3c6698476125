/* Loading an md personality before RUN_ARRAY: a minimal initramfs has no
 * modprobe for the kernel's request_module(), so warmboot resolves the
 * personality's alias (md-raid1, md-linear, ...) through libkmod itself. */
#include "md/personality.h"
#include "md/describe.h"
#include "md/super.h"
#include "lib/file.h"
#include "modules/modules.h"
#include "sys/sys.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

/* "Personalities : [raid1] [raid6] ..." in root/proc/mdstat */
static int registered_under(const char *root, int level)
{
	char path[512], line[512], want[32];
	const char *name = md_level_name(level);
	FILE *f;
	int hit = 0;

	if (!name)
		return 0;
	snprintf(want, sizeof(want), "[%s]", name);
	snprintf(path, sizeof(path), "%s/proc/mdstat", root);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "Personalities", 13))
		hit = strstr(line, want) != NULL;
	fclose(f);
	return hit;
}

int md_personality_registered(int level)
{
	return registered_under(sys_root(), level);
}

/* The file "DIR/linear.ko.zst" (len bytes at path) is module mod. */
static int names_module(const char *path, size_t len, const char *mod)
{
	const char *base = path + len;
	size_t n = strlen(mod), i;

	while (base > path && base[-1] != '/')
		base--;
	if ((size_t)(path + len - base) < n + 3 || strncmp(base + n, ".ko", 3) ||
	    (base + n + 3 < path + len && base[n + 3] != '.'))
		return 0;
	for (i = 0; i < n; i++)
		if (base[i] != mod[i] && !((base[i] == '-' || base[i] == '_') &&
					   (mod[i] == '-' || mod[i] == '_')))
			return 0;
	return 1;
}

int md_module_listed(const char *text, const char *module)
{
	const char *p = text;

	while (p && *p) {
		size_t line = strcspn(p, "\n");

		/* modules.dep: "PATH: DEPENDENCIES" */
		if (names_module(p, strcspn(p, ":\n"), module))
			return 1;
		p += line + (p[line] ? 1 : 0);
	}
	return 0;
}

/* 1 or 0 for the list root/dir/release/file, -errno when unreadable. */
static int tree_file_lists(const char *root, const char *dir, const char *release,
			   const char *file, const char *module)
{
	char path[PATH_MAX], *text;
	size_t len;
	int err, hit;

	snprintf(path, sizeof(path), "%s%s/%s/%s", root, dir, release, file);
	err = read_file(path, (size_t)64 << 20, &text, &len);
	if (err)
		return err;
	hit = md_module_listed(text, module);
	free(text);
	return hit;
}

static int dir_has_module(const char *root, const char *dir, const char *release,
			  const char *module)
{
	int dep = tree_file_lists(root, dir, release, "modules.dep", module);
	int builtin = dep == 1 ? 1 : tree_file_lists(root, dir, release, "modules.builtin", module);

	if (dep == 1 || builtin == 1)
		return 1;
	return dep < 0 ? dep : builtin;
}

int md_module_in_tree(const char *root, const char *release, const char *module)
{
	int r = dir_has_module(root, "/lib/modules", release, module);

	return r >= 0 ? r : dir_has_module(root, "/usr/lib/modules", release, module);
}

int md_personality_available(int level, const char *root, const char *release)
{
	const char *name = md_level_name(level);
	const char *module = name ? md_personality_module(name) : NULL;

	if (!module)
		return -EINVAL;
	if (registered_under(root, level))
		return 1;
	return md_module_in_tree(root, release, module);
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
