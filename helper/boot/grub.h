/* A reader for the subset of GRUB's script language grub-mkconfig writes:
 * menuentry and submenu blocks with titles and ids, linux/initrd lines,
 * `set default=` and the grubenv block. No script is executed, and no file
 * is read here: bootcfg.c reads grub.cfg and grubenv. */
#ifndef WB_GRUB_H
#define WB_GRUB_H

#include "lib/array.h"

#include <stddef.h>

#define GRUB_MAX_INITRDS 4

struct grub_item {
	int submenu;		/* 1 for a submenu, 0 for a menuentry */
	int parent;		/* index of the enclosing submenu, -1 at the top */
	char title[256];
	char id[256];
	char linux_path[1024];	/* "" when the entry boots no Linux kernel */
	char cmdline[4096];
	char initrd[GRUB_MAX_INITRDS][1024];
	int ninitrd;
};

struct grub_menu {
	ARRAY(struct grub_item) items;	/* in file order */
	char default_spec[512];	/* the literal of `set default=`, else "0" */
	int default_is_saved;	/* set default="${saved_entry}" */
	int uses_next_entry;	/* the script honours ${next_entry} */
};

/* Parse grub.cfg text (need not be NUL-terminated). -ENOMEM only: unknown
 * lines are ignored. */
int grub_parse(const char *text, size_t len, struct grub_menu *m);
void grub_menu_free(struct grub_menu *m);

/* Look up key in a grubenv block; "" if absent. */
void grubenv_get(const char *text, size_t len, const char *key, char *out, size_t outlen);

/* The entry grub boots by default given the grubenv values (either may be
 * NULL or ""): next_entry wins, then saved_entry when the script uses it,
 * then the `set default=` literal. A spec is "N", a title or an id, with
 * '>' between submenu levels. Like GRUB, an unknown spec falls back to the
 * first entry. Returns the item index, or -1 when there is no bootable
 * entry. *spec_used gets the spec that was resolved. */
int grub_default(const struct grub_menu *m, const char *next_entry,
		 const char *saved_entry, const char **spec_used);

#endif
