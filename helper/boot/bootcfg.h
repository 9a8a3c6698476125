/* What a Debian system could boot: /boot/vmlinuz-VERSION with its
 * initrd.img-VERSION, the /vmlinuz, /vmlinuz.old, /boot/vmlinuz symlinks, the
 * default entry of GRUB's grub.cfg (grub.c) and Boot Loader Specification
 * entries (bls.c). Paths are those of the files to open: under root. */
#ifndef WB_BOOTCFG_H
#define WB_BOOTCFG_H

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
	struct boot_entry *v;
	size_t n, cap;
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

/* Used by grub.c and bls.c. */
struct boot_entry *bootcfg_add(struct boot_list *l, enum boot_source source);
/* Resolve a boot loader path: under root/boot when /boot is a separate
 * file system (the path is relative to it), else under root. */
void bootcfg_resolve(const struct boot_list *l, const char *base, const char *path,
		     char *out, size_t len);
/* VERSION from ".../vmlinuz-VERSION", "" if the name has no version. */
void bootcfg_version_of(const char *kernel, char *out, size_t len);

int grub_scan(struct boot_list *l);
int bls_scan(struct boot_list *l);

#endif
