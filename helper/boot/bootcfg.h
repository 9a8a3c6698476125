/* What a Debian system could boot: /boot/vmlinuz-VERSION with its
 * initrd.img-VERSION, the /vmlinuz, /vmlinuz.old, /boot/vmlinuz symlinks, the
 * default entry of GRUB's grub.cfg and Boot Loader Specification entries.
 * This file reads /boot; grub.c and bls.c only parse the text it reads.
 * Paths are those of the files to open: under root. */
#ifndef WB_BOOTCFG_H
#define WB_BOOTCFG_H

#include "lib/array.h"

#include <limits.h>
#include <stddef.h>

#define BOOT_MAX_INITRDS 4

enum boot_source { BOOT_DEBIAN, BOOT_SYMLINK, BOOT_GRUB, BOOT_BLS };

struct boot_entry {
	enum boot_source source;
	int is_default;		/* the boot loader's default entry */
	char origin[PATH_MAX];	/* the file it came from: link, grub.cfg, .conf */
	char title[256];
	char id[256];
	char version[128];
	char kernel[PATH_MAX];
	char initrd[BOOT_MAX_INITRDS][PATH_MAX];
	int ninitrd;
	char cmdline[4096];	/* from grub/BLS; "" for plain files */
};

struct boot_list {
	ARRAY(struct boot_entry);	/* v[0..n) */
	char root[PATH_MAX];	/* "" for / */
};

const char *boot_source_name(enum boot_source s);

/* Find every entry under root ("/" or "" for this system). Entries that
 * cannot be read are skipped; -errno only for allocation failures. Sorted
 * newest first in Debian version order. */
int bootcfg_scan(const char *root, struct boot_list *l);
void bootcfg_free(struct boot_list *l);

/* Choose an entry: "default" (the boot loader's, else /vmlinuz), "latest",
 * a version ("6.1.0-56-amd64") or a kernel path. A path that names no known
 * entry still gives a bare one in *out (with initrd.img-VERSION next to it
 * when that exists). -ENOENT with *why when nothing matches. */
int bootcfg_choose(const struct boot_list *l, const char *spec,
		   struct boot_entry *out, const char **why);

/* The entry spec names under root (bootcfg_scan, then bootcfg_choose),
 * its initrd replaced by initrd when that is not NULL: what `check` and
 * `load` boot. -ENOENT with *why when nothing matches; -errno with *why
 * NULL when the entries cannot be listed. */
int bootcfg_find(const char *root, const char *spec, const char *initrd,
		 struct boot_entry *out, const char **why);

#endif
