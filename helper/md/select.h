/* Which scanned members make up which array to assemble (mdadm's
 * select_devices and ident_matches). */
#ifndef WB_MD_SELECT_H
#define WB_MD_SELECT_H

#include "md/conf.h"
#include "md/plan.h"
#include "md/scan.h"

/* Does a member match an mdadm.conf ARRAY line (uuid=, name=, super-minor=,
 * devices=)? */
int md_ident_matches(const struct md_conf_array *id, const struct md_seen *s,
		     const char *homehost, int require_homehost);
/* The ARRAY line (mdadm's ident) listing the array of member s, or NULL;
 * container lines are passed over. */
const struct md_conf_array *md_ident_find(const struct md_conf *conf,
					  const struct md_seen *s,
					  const char *homehost, int require_homehost);
/* Collect the usable members of the array of scan->dev[first] (skipping
 * those that do not match ident when one is given) into out. */
unsigned md_collect(const struct md_scan *scan, unsigned first,
		    const struct md_conf_array *ident, const char *homehost,
		    int require_homehost, struct plan_member *out, unsigned max);

#endif
