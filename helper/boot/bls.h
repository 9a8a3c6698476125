/* Boot Loader Specification type #1 entries (loader/entries/NAME.conf):
 * the parser of one entry's text; bootcfg.c reads the directory. */
#ifndef WB_BLS_H
#define WB_BLS_H

#include <stddef.h>

#define BLS_MAX_INITRDS 4

struct bls_entry {
	char title[256];
	char version[128];
	char machine_id[64];
	char sort_key[128];
	char linux_path[1024];
	char initrd[BLS_MAX_INITRDS][1024];
	int ninitrd;
	char options[4096];	/* all `options` lines, joined by spaces */
};

/* Parse one entry file's text. 0, or -EINVAL when it names no kernel
 * (`linux`), or -E2BIG when an initrd or options do not fit. */
int bls_parse(const char *text, size_t len, struct bls_entry *e);

#endif
