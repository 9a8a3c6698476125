#include "t.h"
#include "boot/bls.h"
#include "boot/bootcfg.h"
#include "kexec/cmdline.h"
#include "boot/grub.h"
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
	char *buf = NULL;

	*len = 0;
	return read_file(path, 1 << 20, &buf, len) ? NULL : buf;
}

static const char *compose(const char *base, const char *const *drop, size_t n,
			   const char *append)
{
	static char out[512];
	int r = cmdline_compose(base, drop, n, append, out, sizeof(out));

	return r ? "(error)" : out;
}

TEST(cmdline_drops_one_shot_and_removed)
{
	static const char *const drop[] = { "quiet", "console", "nohz_full" };

	CHECK_STR(compose("BOOT_IMAGE=/boot/vmlinuz-6.1 root=/dev/md0 ro initrd=/x"
			  " warmboot.chain=/boot/next quiet", NULL, 0, "foo=1"),
		  "root=/dev/md0 ro quiet foo=1");
	CHECK_STR(compose("root=/dev/md0 console=ttyS0 console=tty0 quiet splash", drop, 2,
			  NULL), "root=/dev/md0 splash");
	CHECK_STR(compose("  a=\"x y\"   b  ", NULL, 0, "c=\"1 2\""), "a=\"x y\" b c=\"1 2\"");
	CHECK_STR(compose(NULL, NULL, 0, NULL), "");
	/* names, not prefixes; '-' and '_' alike */
	CHECK_STR(compose("initrdx=1 warmboot.chain_x=2 nohz-full=1", drop + 2, 1, NULL),
		  "initrdx=1 warmboot.chain_x=2");
}

TEST(cmdline_never_truncates)
{
	char out[8];

	CHECK_INT(cmdline_compose("abc def", NULL, 0, NULL, out, sizeof(out)), 0);
	CHECK_STR(out, "abc def");
	CHECK_INT(cmdline_compose("abc defg", NULL, 0, NULL, out, sizeof(out)), -E2BIG);
	CHECK_INT(cmdline_compose("abc", NULL, 0, "defg", out, sizeof(out)), -E2BIG);
}

TEST(cmdline_add_words_accumulates_without_truncating)
{
	char buf[10] = "";

	CHECK_INT(cmdline_add_words(buf, sizeof(buf), "a=1"), 0);
	CHECK_INT(cmdline_add_words(buf, sizeof(buf), ""), 0);
	CHECK_INT(cmdline_add_words(buf, sizeof(buf), "b c"), 0);
	CHECK_STR(buf, "a=1 b c");
	CHECK_INT(cmdline_add_words(buf, sizeof(buf), "dd"), -E2BIG);
	CHECK_STR(buf, "a=1 b c");
	CHECK_INT(cmdline_add_words(buf, sizeof(buf), "d"), 0);
	CHECK_STR(buf, "a=1 b c d");
}

static int grub_fixture(struct grub_menu *m)
{
	size_t len;
	char *text = slurp(t_fixture("boot/debian/boot/grub/grub.cfg"), &len);
	int r = grub_parse(text, len, m);

	free(text);
	return r;
}

TEST(grub_mkconfig_menu)
{
	struct grub_menu m;
	int i, top = 0;

	CHECK_INT(grub_fixture(&m), 0);
	CHECK_INT(m.items.n, 7);	/* 2 + 4 in the submenu + UEFI firmware */
	for (i = 0; i < (int)m.items.n; i++)
		top += m.items.v[i].parent < 0;
	CHECK_INT(top, 3);
	CHECK(m.items.v[1].submenu);
	CHECK_STR(m.items.v[1].title, "Advanced options for Debian GNU/Linux");
	CHECK_STR(m.items.v[0].linux_path, "/vmlinuz-6.1.0-56-amd64");
	CHECK_STR(m.items.v[0].cmdline, "root=/dev/md0 ro quiet");
	CHECK_STR(m.items.v[0].initrd[0], "/initrd.img-6.1.0-56-amd64");
	CHECK_INT(m.items.v[4].parent, 1);
	CHECK_STR(m.items.v[4].id, "gnulinux-6.1.0-9-amd64-advanced-4d7e5b1c-2f3a-4b6c-9d8e-0a1b2c3d4e5f");
	CHECK_STR(m.items.v[3].cmdline, "root=/dev/md0 ro single");
	CHECK(m.default_is_saved);
	CHECK(m.uses_next_entry);
	grub_menu_free(&m);
}

TEST(grub_default_resolution)
{
	struct grub_menu m;
	const char *spec;

	CHECK_INT(grub_fixture(&m), 0);
	CHECK_INT(grub_default(&m, NULL, NULL, &spec), 0);
	CHECK_INT(grub_default(&m, "", "1>2", &spec), 4);
	CHECK_INT(grub_default(&m, "1>3", "1>2", &spec), 5);	/* next_entry wins */
	CHECK_STR(spec, "1>3");
	CHECK_INT(grub_default(&m, NULL, "Advanced options for Debian GNU/Linux>"
			       "Debian GNU/Linux, with Linux 6.1.0-9-amd64", &spec), 4);
	CHECK_INT(grub_default(&m, NULL, "gnulinux-advanced-4d7e5b1c-2f3a-4b6c-9d8e-0a1b2c3d4e5f>"
			       "gnulinux-6.1.0-56-amd64-recovery-4d7e5b1c-2f3a-4b6c-9d8e-0a1b2c3d4e5f",
			       &spec), 3);
	CHECK_INT(grub_default(&m, NULL, "1", &spec), 2);	/* a submenu: its first */
	CHECK_INT(grub_default(&m, NULL, "no such entry", &spec), 0); /* like GRUB */
	CHECK_STR(spec, "0");
	grub_menu_free(&m);
}

TEST(grub_quoting_and_literal_default)
{
	static const char cfg[] =
		"set default=\"1\"\n"
		"menuentry \"It's \\\"quoted\\\"\" --id first {\n"
		"  linux (hd0,gpt2)/boot/vmlinuz-a root=/dev/sda1 $vt_handoff ro # note\n"
		"}\n"
		"menuentry 'It'\\''s' --id second {\n"
		"  linux /vmlinuz-b\n"
		"  initrd /ucode.img /initrd.img-b\n"
		"}\n";
	struct grub_menu m;
	const char *spec;

	CHECK_INT(grub_parse(cfg, sizeof(cfg) - 1, &m), 0);
	CHECK_INT(m.items.n, 2);
	CHECK_STR(m.items.v[0].title, "It's \"quoted\"");
	CHECK_STR(m.items.v[0].cmdline, "root=/dev/sda1 ro");
	CHECK_STR(m.items.v[0].linux_path, "(hd0,gpt2)/boot/vmlinuz-a");
	CHECK_STR(m.items.v[1].title, "It's");
	CHECK_INT(m.items.v[1].ninitrd, 2);
	CHECK_INT(grub_default(&m, "x", NULL, &spec), 1);	/* no ${next_entry} in the script */
	grub_menu_free(&m);
}

TEST(grubenv_values)
{
	size_t len;
	char *env = slurp(t_fixture("boot/debian/boot/grub/grubenv"), &len);
	char v[512];

	CHECK_INT(len, 1024);
	grubenv_get(env, len, "saved_entry", v, sizeof(v));
	CHECK(!strncmp(v, "gnulinux-advanced-", 18));
	grubenv_get(env, len, "next_entry", v, sizeof(v));
	CHECK_STR(v, "");
	free(env);
}

TEST(bls_entry)
{
	static const char conf[] =
		"title  Debian\n# comment\nversion 6.8.0-1-amd64\n"
		"options root=/dev/md0\noptions  quiet \n"
		"linux /x/linux\ninitrd /x/ucode\ninitrd /x/initrd\n";
	struct bls_entry e;

	CHECK_INT(bls_parse(conf, sizeof(conf) - 1, &e), 0);
	CHECK_STR(e.title, "Debian");
	CHECK_STR(e.options, "root=/dev/md0 quiet");
	CHECK_INT(e.ninitrd, 2);
	CHECK_STR(e.initrd[1], "/x/initrd");
	CHECK_INT(bls_parse("title x\n", 8, &e), -EINVAL);
}

TEST(entries_debian_tree)
{
	struct boot_list l;
	struct boot_entry e;
	const char *why;
	char root[4096];

	snprintf(root, sizeof(root), "%s", t_fixture("boot/debian"));
	CHECK_INT(bootcfg_scan(root, &l), 0);
	CHECK_INT(l.n, 6);
	CHECK_STR(l.v[0].version, "6.1.0-56-amd64");	/* newest first, debver order */
	CHECK_STR(l.v[2].version, "6.1.0-10-amd64");
	CHECK_INT(l.v[2].ninitrd, 0);
	CHECK_STR(l.v[5].version, "6.1.0-9-amd64");
	CHECK_INT(l.v[5].source, BOOT_GRUB);		/* saved_entry in grubenv */
	CHECK(l.v[5].is_default);
	/* grub's /vmlinuz-... is relative to the separate /boot */
	CHECK(strstr(l.v[5].kernel, "/boot/vmlinuz-6.1.0-9-amd64"));
	CHECK_INT(bootcfg_choose(&l, "default", &e, &why), 0);
	CHECK_INT(e.source, BOOT_GRUB);
	CHECK_INT(bootcfg_choose(&l, "latest", &e, &why), 0);
	CHECK_STR(e.version, "6.1.0-56-amd64");
	CHECK_INT(bootcfg_choose(&l, "6.1.0-10-amd64", &e, &why), 0);
	CHECK_INT(bootcfg_choose(&l, "5.10.0-1-amd64", &e, &why), -ENOENT);
	CHECK(why != NULL);
	snprintf(root, sizeof(root), "%s/vmlinuz.old", t_fixture("boot/debian"));
	CHECK_INT(bootcfg_choose(&l, root, &e, &why), 0);
	CHECK_STR(e.version, "6.1.0-9-amd64");
	bootcfg_free(&l);
}

TEST(entries_bls_tree)
{
	struct boot_list l;

	CHECK_INT(bootcfg_scan(t_fixture("boot/bls"), &l), 0);
	CHECK_INT(l.n, 2);	/* broken.conf names no kernel */
	CHECK_STR(l.v[0].version, "6.8.0-1-amd64");
	CHECK_INT(l.v[0].ninitrd, 2);
	CHECK(strstr(l.v[0].kernel, "bls/boot/abc123/6.8.0-1-amd64/linux"));
	CHECK(strstr(l.v[1].kernel, "bls/efi/abc123/6.1.0-9-amd64/linux"));
	bootcfg_free(&l);
}

TEST(entries_find_applies_initrd_and_says_why)
{
	struct boot_entry e;
	const char *why;

	CHECK_INT(bootcfg_find(t_fixture("boot/debian"), "latest", NULL, &e, &why), 0);
	CHECK_STR(e.version, "6.1.0-56-amd64");
	CHECK_INT(bootcfg_find(t_fixture("boot/debian"), "latest", "/x/initrd", &e, &why), 0);
	CHECK_INT(e.ninitrd, 1);
	CHECK_STR(e.initrd[0], "/x/initrd");
	CHECK_INT(bootcfg_find(t_fixture("boot/debian"), "5.10.0-1-amd64", NULL, &e, &why),
		  -ENOENT);
	CHECK_STR(why, "no kernel of this version");
	CHECK_INT(bootcfg_find(t_fixture("boot/debian"), "/nonexistent/vmlinuz", NULL, &e, &why),
		  -ENOENT);
	CHECK_STR(why, "no such kernel file");
}
