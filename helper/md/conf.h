/* mdadm.conf, as mdadm 4.2 reads it: the lines that matter for assembly
 * (ARRAY, DEVICE, HOMEHOST, AUTO); other keywords are accepted and ignored.
 *
 * Syntax (mdadm lib.c conf_word/conf_line, config.c): words are separated by
 * spaces and tabs; "..." or '...' quote within a word and never span lines;
 * a '#' where a word could start begins a comment to the end of the line; a
 * line that starts with a space or tab continues the previous logical line
 * (blank and comment lines in between do not end it); the first word is a
 * keyword, case-insensitive and abbreviable to 3+ characters ("arr", "DEV").
 * Unknown keywords and words are recorded in warnings and skipped, as mdadm
 * warns and goes on. */
#ifndef WB_MD_CONF_H
#define WB_MD_CONF_H

#include <stddef.h>
#include <stdint.h>

#define MD_CONF_MAX_ARRAYS 256
#define MD_CONF_MAX_WORDS 64
#define MD_CONF_MAX_WARNINGS 16
/* md_conf_load refuses (-EFBIG) a file larger than this. */
#define MD_CONF_MAX_FILE (1024 * 1024)
/* level= container (mdadm's LEVEL_CONTAINER); the other levels are md's
 * numbers: -1 linear, -4 multipath, -5 faulty, 0, 1, 4, 5, 6, 10. */
#define MD_CONF_LEVEL_CONTAINER (-100)

struct md_conf_array {
	char devname[128];	/* "/dev/md0", "/dev/md/data", "data", "<ignore>" or "" */
	int uuid_set;
	uint8_t uuid[16];	/* bytes in the order mdadm prints them */
	char name[33];		/* name= ("" when absent) */
	int super_minor;	/* super-minor=, -1 when absent */
	int level;		/* level= as md level number; INT32_MIN when absent
				 * or not a name in mdadm's map (case-sensitive) */
	int raid_disks;		/* num-devices= / disks= (atoi, last wins); -1 when absent */
	int spares;		/* spares= (atoi, last wins); 0 when absent */
	char metadata[16];	/* metadata= as written ("1.2", "0.90", "imsm"...),
				 * less leading zeros mdadm skips ("01.2" -> "1.2");
				 * "" when absent or not a known format */
	char metadata_type[8];	/* its format: "0.90", "1.x", "ddf", "imsm", "mbr",
				 * "gpt"; "" when absent */
	int devices_set;	/* devices= given, even empty (then it matches nothing) */
	char devices[512];	/* devices= comma-separated globs ("" when absent) */
	int has_container;	/* container= or member= given (external metadata) */
	char container[128];	/* container= (device name or uuid), last wins */
	char member[32];	/* member= (subarray index), last wins */
	int has_bitmap;		/* bitmap= (an external bitmap file) given */
	unsigned line;		/* line number, for messages */
};

struct md_conf {
	/* DEVICE words in file order: globs (starting with '/'), "partitions",
	 * "containers" (these two lower-cased). ndevices == 0 (no DEVICE line,
	 * or none of its words accepted) means "partitions containers", as in
	 * mdadm. (mdadm walks its list newest-first; that order breaks ties
	 * between equal event counts: md_scan_system's .order.) */
	unsigned ndevices;
	char devices[MD_CONF_MAX_WORDS][256];
	int device_line_seen;
	unsigned narrays;
	struct md_conf_array arrays[MD_CONF_MAX_ARRAYS];
	/* HOMEHOST: "" unset, "<system>" (use hostname; any case as written),
	 * "<none>" (no homehost), or a name; only the first word other than
	 * <ignore> counts, over all HOMEHOST lines. homehost_ignore set by
	 * "<ignore>" anywhere. */
	char homehost[65];
	int homehost_ignore;
	/* AUTO words in order, e.g. "+1.x", "homehost", "-all", from the first
	 * AUTO line only (mdadm ignores later ones). $MDADM_CONF_AUTO is not
	 * read here: a caller emulating it prepends its words to autos. */
	int auto_seen;
	unsigned nauto;
	char autos[MD_CONF_MAX_WORDS][32];
	/* POLICY / PART-POLICY lines were given: they may carry auto=, action=
	 * and domain= rules that this parser does not model. */
	int policy_seen;
	/* problems found (unknown words, bad uuid...): mdadm warns and goes on.
	 * The first MD_CONF_MAX_WARNINGS are kept; warnings_lost counts the rest. */
	unsigned nwarnings;
	unsigned warnings_lost;
	char warnings[MD_CONF_MAX_WARNINGS][160];
};

/* Parse a whole file's text: len bytes (a NUL byte ends the word it is in,
 * as with mdadm's C strings). Returns 0; -EINVAL on a bad argument or where
 * mdadm itself would refuse the file (an unrecognised auto= on an ARRAY or
 * CREATE line makes mdadm exit); -E2BIG when the file exceeds this
 * structure's limits (arrays, words, field sizes). On error conf holds what
 * was parsed so far and a warning saying why. */
int md_conf_parse(const char *text, size_t len, struct md_conf *conf);
/* Read and parse path; -errno (e.g. -ENOENT) when it cannot be read, -EFBIG
 * when larger than MD_CONF_MAX_FILE. A directory is read as mdadm reads
 * /etc/mdadm.conf.d: its "*.conf" files not starting with '.', in strcmp
 * order. */
int md_conf_load(const char *path, struct md_conf *conf);

/* mdadm reads several sources into one state (/etc/mdadm.conf, then
 * /etc/mdadm.conf.d, or the /etc/mdadm/ pair): start with md_conf_init and
 * add each with the _append calls; ARRAY lines accumulate, the first AUTO
 * line and first HOMEHOST name win. */
void md_conf_init(struct md_conf *conf);
int md_conf_parse_append(const char *text, size_t len, struct md_conf *conf);
/* md_conf_parse_append with warnings naming the file ("name:3: ...")
 * instead of "line 3: ...", as the loads do; name may be NULL. */
int md_conf_parse_named(const char *text, size_t len, const char *name, struct md_conf *conf);
int md_conf_load_append(const char *path, struct md_conf *conf);

/* Whether AUTO allows assembling an array of this metadata ("1.x", "0.90",
 * "imsm"..., or a version "1.2", "0" which map to their format) that is
 * (is_homehost) or is not ours; mdadm's autoline + conf_test_metadata.
 * Unknown metadata is allowed. Note: as in mdadm 4.2, a type that AUTO
 * leaves at "homehost" (e.g. "homehost -all") is allowed even when not
 * ours: conf_test_metadata only denies for "no". */
int md_conf_auto_allows(const struct md_conf *conf, const char *metadata, int is_homehost);
/* The homehost to use, as mdadm.c resolves it: explicit (e.g. --homehost)
 * wins, then HOMEHOST, then the hostname (uname) when unset or <system>;
 * "" or "<none>" give "" (none). Returns explicit_host, a string in conf or
 * buf; NULL when the hostname does not fit in buf (65 bytes always do). */
const char *md_conf_homehost(const struct md_conf *conf, const char *explicit_host,
			     char *buf, size_t len);

#endif
