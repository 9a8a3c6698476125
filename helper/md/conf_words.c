/* mdadm.conf words against mdadm 4.2's tables (config.c keywords, pers,
 * superlist; lib.c parse_uuid; mdopen.c create_mddev). Written afresh. */
#include "md/conf_words.h"
#include "md/conf.h"
#include "md/super.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* mdadm 4.2's keywords, in its order: an abbreviation takes the first. */
static const char *const keywords[KW_COUNT] = {
	[KW_DEVICES] = "devices", [KW_ARRAY] = "array",
	[KW_MAILADDR] = "mailaddr", [KW_MAILFROM] = "mailfrom",
	[KW_PROGRAM] = "program", [KW_CREATE] = "create",
	[KW_HOMEHOST] = "homehost", [KW_HOMECLUSTER] = "homecluster",
	[KW_AUTO] = "auto", [KW_POLICY] = "policy",
	[KW_PART_POLICY] = "part-policy", [KW_SYSFS] = "sysfs",
	[KW_MONITORDELAY] = "monitordelay",
};

int conf_keyword(const char *w)
{
	size_t len = strlen(w);
	int i;

	if (len < 3)
		return -1;
	for (i = 0; i < KW_COUNT; i++)
		if (!strncasecmp(w, keywords[i], len))
			return i;
	return -1;
}

int conf_parse_uuid(const char *s, uint8_t uuid[16])
{
	unsigned hit = 0;
	int n;

	memset(uuid, 0, 16);
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			n = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			n = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			n = *s - 'A' + 10;
		else if (strchr(":. -", *s))
			continue;
		else
			return 0;
		if (hit < 32)
			uuid[hit / 2] |= (uint8_t)(n << (hit % 2 ? 0 : 4));
		hit++;
	}
	return hit == 32;
}

/* mdadm's pers map, looked up with strcmp: case matters. */
static const struct { const char *name; int level; } pers[] = {
	{ "linear", MD_LEVEL_LINEAR }, { "raid0", 0 }, { "0", 0 }, { "stripe", 0 },
	{ "raid1", 1 }, { "1", 1 }, { "mirror", 1 }, { "raid4", 4 }, { "4", 4 },
	{ "raid5", 5 }, { "5", 5 }, { "multipath", MD_LEVEL_MULTIPATH },
	{ "mp", MD_LEVEL_MULTIPATH }, { "raid6", 6 }, { "6", 6 },
	{ "raid10", 10 }, { "10", 10 }, { "faulty", MD_LEVEL_FAULTY },
	{ "container", MD_CONF_LEVEL_CONTAINER },
};

int conf_level(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(pers) / sizeof(pers[0]); i++)
		if (!strcmp(pers[i].name, name))
			return pers[i].level;
	return INT32_MIN;
}

const char *const conf_formats[CONF_NFORMATS] = {
	"0.90", "1.x", "ddf", "imsm", "mbr", "gpt"
};

/* match_metadata_desc of each format in turn, with strcmp */
int conf_metadata(const char *arg, const char **norm)
{
	static const char *const v0[] = { "0", "0.90", "", "0.91", "0.swap", "0.9" };
	static const char *const v1[] = { "1.0", "1.00", "1.1", "1.01", "1.2",
					  "default", "1.02", "1" };
	const char *a = arg;
	size_t i;

	while (a[0] == '0' && a[1] == '0')	/* "we sometimes get 00.90" */
		a++;
	for (i = 0; i < sizeof(v0) / sizeof(v0[0]); i++)
		if (!strcmp(a, v0[i])) {
			*norm = a;
			return 0;
		}
	for (a = arg; *a == '0'; a++)	/* super1 skips all leading zeros */
		;
	for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++)
		if (!strcmp(a, v1[i])) {
			*norm = a;
			return 1;
		}
	*norm = arg;
	for (i = 2; i < CONF_NFORMATS; i++)
		if (!strcmp(arg, conf_formats[i]))
			return (int)i;
	return -1;
}

/* as autoline matches: the name in any case, "0"/"1" for 0.90/1.x, or
 * "1." anything */
int conf_auto_format(const char *v)
{
	int i;

	for (i = 0; i < CONF_NFORMATS; i++) {
		if (!strcasecmp(v, conf_formats[i]))
			return i;
		if (conf_formats[i][1] == '.' && strlen(v) == 1 && v[0] == conf_formats[i][0])
			return i;
		if (i == 1 && !strncmp(v, "1.", 2))
			return i;
	}
	return -1;
}

/* parse_auto's check: no, yes, md, mdp, p, part... with an optional
 * [-]number */
int conf_auto_ok(const char *s)
{
	const char *e = s + strlen(s);
	size_t len;

	if (!*s || !strcasecmp(s, "no") || !strcasecmp(s, "yes") || !strcasecmp(s, "md"))
		return 1;
	while (e > s && isdigit((unsigned char)e[-1]))
		e--;
	if (e > s && e[-1] == '-')
		e--;
	len = (size_t)(e - s);
	return (len == 2 && !strncasecmp(s, "md", 2)) ||
	       (len == 3 && !strncasecmp(s, "yes", 3)) ||
	       (len == 3 && !strncasecmp(s, "mdp", 3)) ||
	       (len == 1 && (s[0] == 'p' || s[0] == 'P')) ||
	       (len >= 4 && !strncasecmp(s, "part", 4));
}

static int is_number(const char *w)
{
	if (!*w)
		return 0;
	for (; *w; w++)
		if (!isdigit((unsigned char)*w))
			return 0;
	return 1;
}

int conf_valid_devname(const char *w)
{
	return !strcasecmp(w, "<ignore>") || !strncmp(w, "/dev/md/", 8) ||
	       (w[0] != '/' && w[0] != '<') ||
	       (!strncmp(w, "/dev/md", 7) && is_number(w + 7)) ||
	       (!strncmp(w, "/dev/md_d", 9) && is_number(w + 9));
}
