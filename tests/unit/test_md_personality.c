/* Unit tests of md/personality: whether a kernel can run a level, from a
 * fixture tree of /proc/mdstat and module trees (Linux 6.8 to 6.13 have no
 * linear, 6.8 on no multipath or faulty). */
#include "t.h"

#include "md/personality.h"
#include "md/super.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REL "6.12.48+deb13-amd64"

static char root[512];

/* A file under the test's root, its directories made on the way. */
static void put(const char *rel, const char *text)
{
	char path[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void fresh_root(const char *name)
{
	snprintf(root, sizeof(root), "%s/%s", t_tmpdir(), name);
	mkdir(root, 0755);
}

/* Debian 13: linear, multipath and faulty are nowhere. */
static void debian13_tree(const char *modules)
{
	char dep[256], builtin[256];

	snprintf(dep, sizeof(dep), "%s/" REL "/modules.dep", modules);
	snprintf(builtin, sizeof(builtin), "%s/" REL "/modules.builtin", modules);
	put(dep, "kernel/drivers/md/raid1.ko.xz: kernel/drivers/md/md-mod.ko.xz\n"
		 "kernel/drivers/md/raid456.ko.zst: kernel/crypto/async_tx/async_xor.ko.zst\n"
		 "kernel/drivers/md/md-mod.ko.xz:\n");
	put(builtin, "kernel/drivers/md/raid0.ko\nkernel/drivers/md/md-linear-x.ko\n");
}

TEST(module_listed_by_file_name_with_any_compression)
{
	const char *dep = "kernel/drivers/md/raid1.ko.xz: kernel/drivers/md/md-mod.ko.xz\n"
			  "kernel/drivers/md/raid456.ko\n";

	CHECK_INT(md_module_listed(dep, "raid1"), 1);
	CHECK_INT(md_module_listed(dep, "raid456"), 1);
	CHECK_INT(md_module_listed(dep, "md_mod"), 0);	/* a dependency, not listed */
	CHECK_INT(md_module_listed(dep, "raid"), 0);
	CHECK_INT(md_module_listed("kernel/drivers/md/md-mod.ko.xz:\n", "md_mod"), 1);
	CHECK_INT(md_module_listed("kernel/drivers/md/linear.kofoo\n", "linear"), 0);
	CHECK_INT(md_module_listed("", "linear"), 0);
}

TEST(debian13_has_no_linear_multipath_faulty)
{
	fresh_root("deb13");
	debian13_tree("lib/modules");
	put("proc/mdstat", "Personalities : [raid1]\nunused devices: <none>\n");
	CHECK_INT(md_personality_available(MD_LEVEL_LINEAR, root, REL), 0);
	CHECK_INT(md_personality_available(MD_LEVEL_MULTIPATH, root, REL), 0);
	CHECK_INT(md_personality_available(MD_LEVEL_FAULTY, root, REL), 0);
	CHECK_INT(md_personality_available(1, root, REL), 1);	/* registered */
	CHECK_INT(md_personality_available(0, root, REL), 1);	/* built in */
	CHECK_INT(md_personality_available(6, root, REL), 1);	/* raid456 module */
	CHECK_INT(md_personality_available(10, root, REL), 0);
	CHECK_INT(md_personality_available(42, root, REL), -EINVAL);
	/* another release's tree says nothing of this one */
	CHECK(md_personality_available(MD_LEVEL_LINEAR, root, "6.1.0-26-amd64") < 0);
}

TEST(linear_back_as_module_builtin_or_registered)
{
	fresh_root("back");
	debian13_tree("lib/modules");
	put("lib/modules/" REL "/modules.builtin", "kernel/drivers/md/linear.ko\n");
	CHECK_INT(md_personality_available(MD_LEVEL_LINEAR, root, REL), 1);
	debian13_tree("lib/modules");
	put("lib/modules/" REL "/modules.dep", "kernel/drivers/md/linear.ko.zst: kernel/drivers/md/md-mod.ko.zst\n");
	CHECK_INT(md_personality_available(MD_LEVEL_LINEAR, root, REL), 1);
	debian13_tree("lib/modules");
	CHECK_INT(md_personality_available(MD_LEVEL_LINEAR, root, REL), 0);
	put("proc/mdstat", "Personalities : [linear] [raid1]\n");
	CHECK_INT(md_personality_available(MD_LEVEL_LINEAR, root, REL), 1);
}

TEST(merged_usr_tree_and_unknown)
{
	fresh_root("usr");
	/* nothing readable: unknown, never missing */
	CHECK(md_personality_available(MD_LEVEL_LINEAR, root, REL) < 0);
	/* mdstat alone (no module tree) does not tell either */
	put("proc/mdstat", "Personalities : [raid1]\n");
	CHECK(md_personality_available(MD_LEVEL_LINEAR, root, REL) < 0);
	CHECK_INT(md_module_in_tree(root, REL, "linear"), -ENOENT);
	debian13_tree("usr/lib/modules");
	CHECK_INT(md_personality_available(MD_LEVEL_LINEAR, root, REL), 0);
	CHECK_INT(md_module_in_tree(root, REL, "raid1"), 1);
	/* modules.dep without modules.builtin: unknown unless listed */
	fresh_root("nobuiltin");
	put("lib/modules/" REL "/modules.dep", "kernel/drivers/md/raid1.ko:\n");
	CHECK_INT(md_module_in_tree(root, REL, "raid1"), 1);
	CHECK(md_module_in_tree(root, REL, "linear") < 0);
}
