/* What single mdadm.conf words mean, from mdadm 4.2's own tables: the
 * keywords, level names (pers), metadata names (superlist), UUID text,
 * auto= values and the ARRAY device names create_mddev accepts. */
#ifndef WB_MD_CONF_WORDS_H
#define WB_MD_CONF_WORDS_H

#include <stdint.h>

enum conf_keyword {
	KW_DEVICES, KW_ARRAY, KW_MAILADDR, KW_MAILFROM, KW_PROGRAM, KW_CREATE,
	KW_HOMEHOST, KW_HOMECLUSTER, KW_AUTO, KW_POLICY, KW_PART_POLICY, KW_SYSFS,
	KW_MONITORDELAY, KW_COUNT
};

/* The keyword w names (3+ characters, any case, the first in mdadm's
 * order for an abbreviation), or -1. */
int conf_keyword(const char *w);
/* parse_uuid: exactly 32 hex digits; ':', '.', ' ' and '-' anywhere.
 * 1 when valid. */
int conf_parse_uuid(const char *s, uint8_t uuid[16]);
/* level=: the md level number of a name in mdadm's map (case-sensitive),
 * or INT32_MIN. */
int conf_level(const char *name);

/* mdadm's superlist, in order; names as AUTO and ss->name spell them. */
enum { CONF_NFORMATS = 6 };
extern const char *const conf_formats[CONF_NFORMATS];
/* metadata=: the index of the first format whose match_metadata_desc
 * accepts arg, or -1; *norm is arg less the zeros it ignores. */
int conf_metadata(const char *arg, const char **norm);
/* The format an AUTO word (after its sign) names, or -1. */
int conf_auto_format(const char *v);
/* Whether parse_auto accepts an auto= value (mdadm exits otherwise). */
int conf_auto_ok(const char *s);
/* create_mddev's rules for an ARRAY device name. */
int conf_valid_devname(const char *w);

#endif
