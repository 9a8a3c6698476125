/* mdadm 4.2: Assemble.c's trust decision and mdopen.c's create_mddev. */
#include "md/naming.h"
#include "lib/sha1.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int md_match_home(const struct md_member *m, const char *homehost)
{
	size_t l = homehost ? strlen(homehost) : 0;
	uint8_t h[20];
	int i;

	if (!l)
		return 0;
	if (m->format != MD_FMT_090)
		return l < MD_NAME_MAX && m->name[l] == ':' && !strncmp(m->name, homehost, l);
	sha1(homehost, l, h);
	/* set_uuid2 and set_uuid3 as stored (little-endian) hold the hash */
	for (i = 0; i < 8; i++)
		if (h[i] != m->uuid[8 + (i & ~3) + 3 - (i & 3)])
			return 0;
	return 1;
}

/* "5", "md5", "/dev/md5", "/dev/md/5" -> 5; else -1 */
static int numeric_name(const char *name)
{
	char *end;
	long v;

	if (!strncmp(name, "/dev/", 5))
		name += 5;
	if (!strncmp(name, "md", 2))
		name += 2;
	if (*name == '/')
		name++;
	if (!isdigit((unsigned char)*name))
		return -1;
	v = strtol(name, &end, 10);
	return *end || v < 0 || v > 1 << 20 ? -1 : (int)v;
}

static int conf_reserves(const struct md_conf *conf, int minor)
{
	unsigned i;

	for (i = 0; conf && i < conf->narrays; i++)
		if (!strncmp(conf->arrays[i].devname, "/dev/md", 7) &&
		    numeric_name(conf->arrays[i].devname) == minor)
			return 1;
	return 0;
}

static int free_minor(const struct md_conf *conf, int (*busy)(int, void *), void *ctx)
{
	int minor;

	for (minor = 127; minor >= 0; minor--)
		if (!busy(minor, ctx) && !conf_reserves(conf, minor))
			return minor;
	for (minor = 128; minor < 512; minor++)
		if (!busy(minor, ctx) && !conf_reserves(conf, minor))
			return minor;
	return -1;
}

static void sanitize(char *dst, size_t len, const char *src)
{
	size_t i;

	snprintf(dst, len, "%s", src);
	for (i = 0; dst[i]; i++)
		if (dst[i] == '/')
			dst[i] = '-';
		else if (dst[i] == ' ' || dst[i] == '\t')
			dst[i] = '_';
}

/* From an ARRAY line's device name: "/dev/mdN", "/dev/md/NAME" or "NAME". */
static int name_from_conf(const char *dev, char *cname, size_t len, int *num)
{
	*num = -1;
	cname[0] = 0;
	if (!dev[0] || !strcmp(dev, "<ignore>"))
		return 0;
	if (!strncmp(dev, "/dev/md/", 8)) {
		snprintf(cname, len, "%s", dev + 8);
		*num = numeric_name(cname);
	} else if (!strncmp(dev, "/dev/md", 7)) {
		*num = numeric_name(dev);
		if (*num < 0)
			return -EINVAL;
	} else if (dev[0] != '/') {
		snprintf(cname, len, "%s", dev);
		*num = numeric_name(cname);
	} else {
		return -EINVAL;
	}
	return 0;
}

int md_choose_name(const struct md_member *m, const struct md_conf_array *ident,
		   const struct md_conf *conf, const char *homehost, int require_homehost,
		   int (*busy)(int minor, void *ctx), void *ctx, struct md_naming *out)
{
	char name[MD_NAME_MAX + 16], cname[200];
	int num = -1, local, err;
	const char *colon;

	memset(out, 0, sizeof(*out));
	if (m->format == MD_FMT_090)
		snprintf(name, sizeof(name), "%d", m->preferred_minor);
	else
		snprintf(name, sizeof(name), "%s", m->name);
	local = md_match_home(m, homehost) || md_match_home(m, "any");
	if (local && m->format != MD_FMT_090 && (colon = strchr(name, ':')))
		memmove(name, colon + 1, strlen(colon));
	if (ident)
		local = 1;	/* listed arrays are trusted by name */
	if (name[0] && !local && !require_homehost)
		local = 1;
	if (local && (colon = strchr(name, ':')))
		memmove(name, colon + 1, strlen(colon));
	cname[0] = 0;
	if (ident && ident->devname[0]) {
		err = name_from_conf(ident->devname, cname, sizeof(cname), &num);
		if (err)
			return err;
		if (num >= 0 && busy(num, ctx))
			return -EBUSY;
	} else if (name[0]) {
		if (local && (num = numeric_name(name)) >= 0 && busy(num, ctx))
			num = -1;
		sanitize(cname, sizeof(cname) - 8, name);
		/* a foreign name without "host:" gets a suffix, as mdadm does */
		if (!local && !strchr(cname, ':'))
			strcat(cname, "_0");
	}
	if (num < 0)
		num = free_minor(conf, busy, ctx);
	if (num < 0)
		return -ENOSPC;
	out->minor = num;
	out->local = local;
	snprintf(out->devnm, sizeof(out->devnm), "md%d", num);
	if (cname[0])
		snprintf(out->link, sizeof(out->link), "/dev/md/%s", cname);
	return 0;
}
