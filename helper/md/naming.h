/* Device names for assembled arrays, as mdadm 4.2 chooses them. */
#ifndef WB_MD_NAMING_H
#define WB_MD_NAMING_H

#include "md/conf.h"
#include "md/super.h"

struct md_naming {
	char devnm[32];		/* kernel name: "md127" */
	char link[160];		/* "/dev/md/data", or "" for none */
	int minor;
	int local;		/* belongs to this host (or trusted by config) */
};

/* Is the array's homehost this host? (1.x "host:" prefix, 0.90 SHA-1 in
 * the UUID); 0 when homehost is NULL or empty. */
int md_match_home(const struct md_member *m, const char *homehost);
/* Choose names. ident is the mdadm.conf ARRAY line that listed the array,
 * or NULL for auto-assembly; busy(minor) tells which md minors are taken. */
int md_choose_name(const struct md_member *m, const struct md_conf_array *ident,
		   const struct md_conf *conf, const char *homehost, int require_homehost,
		   int (*busy)(int minor, void *ctx), void *ctx, struct md_naming *out);

#endif
