/* Matching scanned members against mdadm.conf ARRAY lines (mdadm 4.2's
 * ident_matches) and gathering the members of one array to plan. */
#include "md/select.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

/* name= matches "NAME" or "host:NAME" when host is ours (or not required). */
static int name_matches(const char *found, const char *required,
			const char *homehost, int require_homehost)
{
	const char *colon;
	size_t l;

	if (!strcmp(found, required))
		return 1;
	colon = strchr(found, ':');
	if (!colon || strcmp(colon + 1, required))
		return 0;
	l = (size_t)(colon - found);
	return !require_homehost || (homehost && !strcmp(homehost, "any")) ||
	       (homehost && strlen(homehost) == l && !strncmp(found, homehost, l));
}

static int devices_match(const char *list, const char *path)
{
	char buf[512], *save, *word;

	snprintf(buf, sizeof(buf), "%s", list);
	for (word = strtok_r(buf, ",", &save); word; word = strtok_r(NULL, ",", &save))
		if (!fnmatch(word, path, 0))
			return 1;
	return 0;
}

int md_ident_matches(const struct md_conf_array *id, const struct md_seen *s,
		     const char *homehost, int require_homehost)
{
	const struct md_member *m = &s->found.m;

	if (id->uuid_set && memcmp(id->uuid, m->uuid, 16))
		return 0;
	if (id->name[0] && (m->format == MD_FMT_090 ||
			    !name_matches(m->name, id->name, homehost, require_homehost)))
		return 0;
	if (id->super_minor >= 0 &&
	    (m->format != MD_FMT_090 || m->preferred_minor != id->super_minor))
		return 0;
	if (id->devices[0] && !devices_match(id->devices, s->path))
		return 0;
	return id->uuid_set || id->name[0] || id->super_minor >= 0 || id->devices[0];
}

const struct md_conf_array *md_ident_find(const struct md_conf *conf,
					  const struct md_seen *s,
					  const char *homehost, int require_homehost)
{
	unsigned i;

	for (i = 0; conf && i < conf->narrays; i++)
		if (!conf->arrays[i].has_container &&
		    md_ident_matches(&conf->arrays[i], s, homehost, require_homehost))
			return &conf->arrays[i];
	return NULL;
}

unsigned md_collect(const struct md_scan *scan, unsigned first,
		    const struct md_conf_array *ident, const char *homehost,
		    int require_homehost, struct plan_member *out, unsigned max)
{
	const struct md_member *a = &scan->dev.v[first].found.m;
	unsigned i, n = 0;

	for (i = first; i < scan->dev.n && n < max; i++) {
		const struct md_seen *s = &scan->dev.v[i];

		if (s->err || s->found.format < 0 || s->found.problem ||
		    !md_same_array(a, &s->found.m))
			continue;
		if (ident && !md_ident_matches(ident, s, homehost, require_homehost))
			continue;
		out[n].path = s->path;
		out[n].major = s->major;
		out[n].minor = s->minor;
		out[n].m = &s->found.m;
		/* mdadm puts the members of the inactive array it merges
		 * with at the head of its device list */
		out[n].bound = s->held_by[0] && s->held_inactive;
		out[n].order = s->order + (out[n].bound ? 0 : scan->dev.n);
		n++;
	}
	return n;
}
