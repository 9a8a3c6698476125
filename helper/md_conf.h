/* mdadm.conf, as mdadm 4.2 reads it: the lines that matter for assembly
 * (ARRAY, DEVICE, HOMEHOST, AUTO); other keywords are accepted and ignored. */
#ifndef WB_MD_CONF_H
#define WB_MD_CONF_H

#include <stddef.h>
#include <stdint.h>

#define MD_CONF_MAX_ARRAYS 256
#define MD_CONF_MAX_WORDS 64

struct md_conf_array {
	char devname[128];	/* "/dev/md0", "/dev/md/data", "data", "<ignore>" or "" */
	int uuid_set;
	uint8_t uuid[16];	/* bytes in the order mdadm prints them */
	char name[33];		/* name= ("" when absent) */
	int super_minor;	/* super-minor=, -1 when absent */
	int level;		/* level= as md level number; INT32_MIN when absent */
	int raid_disks;		/* num-devices= / disks=; -1 when absent */
	int spares;		/* spares= */
	char metadata[16];	/* metadata= as written ("1.2", "0.90", "imsm"...) */
	char devices[512];	/* devices= comma-separated globs ("" when absent) */
	int has_container;	/* container= or member= given (external metadata) */
	unsigned line;		/* line number, for messages */
};

struct md_conf {
	/* DEVICE words in order: globs, "partitions", "containers". No
	 * DEVICE line at all means "partitions containers" (mdadm's default). */
	unsigned ndevices;
	char devices[MD_CONF_MAX_WORDS][256];
	int device_line_seen;
	unsigned narrays;
	struct md_conf_array arrays[MD_CONF_MAX_ARRAYS];
	/* HOMEHOST: "" unset, "<system>" (use hostname), "<none>" (no homehost),
	 * or a name; homehost_ignore set by "<ignore>". */
	char homehost[65];
	int homehost_ignore;
	/* AUTO words in order, e.g. "+1.x", "homehost", "-all". */
	unsigned nauto;
	char autos[MD_CONF_MAX_WORDS][32];
	/* problems found (unknown words, bad uuid...): mdadm warns and goes on */
	unsigned nwarnings;
	char warnings[16][160];
};

/* Parse a whole file's text. Returns 0, or -EINVAL/-E2BIG on limits
 * exceeded (text must be NUL-terminated or len bytes long). */
int md_conf_parse(const char *text, size_t len, struct md_conf *conf);
/* Read and parse path; -errno (e.g. -ENOENT) when it cannot be read. */
int md_conf_load(const char *path, struct md_conf *conf);
/* Whether AUTO allows assembling an array of this metadata ("1.x", "0.90",
 * "imsm"...) that is (is_homehost) or is not ours; mdadm's conf_test_metadata. */
int md_conf_auto_allows(const struct md_conf *conf, const char *metadata, int is_homehost);
/* The homehost to use: explicit (e.g. --homehost) wins, then HOMEHOST,
 * then the hostname when HOMEHOST is unset or <system>. "" means none. */
const char *md_conf_homehost(const struct md_conf *conf, const char *explicit_host,
			     char *buf, size_t len);

#endif
