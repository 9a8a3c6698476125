/* The --help texts: helper/NAME.help and helper/cmd/NAME.help, stored in the
 * binary as one xz blob (mk/help-blob.sh makes it at build time) and
 * decoded only when a help text is shown. */
#ifndef WB_HELP_H
#define WB_HELP_H

#include <stddef.h>

struct help {
	char *texts;	/* "NAME\0TEXT\0" for each text */
	size_t len;
};

/* Decode the texts: 0 or -errno (-ENOMEM, -EBADMSG). */
int help_open(struct help *h);
/* The text of NAME (a command, or "warmboot", "exit-status"), or NULL. */
const char *help_find(const struct help *h, const char *name);
void help_close(struct help *h);

#endif
