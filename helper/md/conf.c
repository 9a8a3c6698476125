/* mdadm.conf with mdadm 4.2's semantics: the tokenizer follows lib.c
 * conf_word/conf_line, the line handlers config.c's arrayline, devline,
 * homehostline, autoline and conf_test_metadata. Written afresh; where mdadm
 * has a quirk we keep it and say so. */
#include "md/conf.h"
#include "md/super.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Longest word kept; longer ones are refused where they matter. */
enum { WORD_MAX = 4096 };
/* mdadm's UnSet (0xfffe): a super-minor= of this value reads as absent. */
enum { MDADM_UNSET = 0xfffe };

struct reader {
	const unsigned char *text;
	size_t len, pos;
	int back;		/* one pushed-back character (ungetc), or -1 */
	unsigned line;		/* 1 + newlines consumed from text */
};

struct word {
	char s[WORD_MAX];
	size_t n;		/* characters kept in s */
	int overflow;		/* the word was longer than WORD_MAX - 1 */
	unsigned line;		/* line of its first character */
};

struct parser {
	struct md_conf *conf;
	struct reader rd;
	struct word w;
	const char *file;	/* for messages; NULL for text */
};

static int rd_get(struct reader *r)
{
	int c;

	if (r->back >= 0) {
		c = r->back;
		r->back = -1;
		return c;
	}
	if (r->pos >= r->len)
		return -1;
	c = r->text[r->pos++];
	if (c == '\n')
		r->line++;
	return c;
}

static void rd_unget(struct reader *r, int c)
{
	if (c >= 0)
		r->back = c;
}

static void word_add(struct word *w, int c, char tail[6])
{
	if (w->n < WORD_MAX - 1)
		w->s[w->n++] = (char)c;
	else
		w->overflow = 1;
	memmove(tail, tail + 1, 5);
	tail[5] = (char)c;
}

/* One word, as conf_word: with allow_key a word may start a line (a
 * keyword); without, a character in column 0 ends the logical line and is
 * left for the next call. Returns 1 with a word, 0 at the end of the line
 * or text. */
static int rd_word(struct reader *r, int allow_key, struct word *w)
{
	char tail[6] = { 0 };
	size_t kept = 0;
	int c, quote, found = 0;

	w->n = 0;
	w->overflow = 0;
	while (!found) {
		c = rd_get(r);
		if (c == '#')
			while (c >= 0 && c != '\n')
				c = rd_get(r);
		if (c < 0)
			break;
		if (c == '\n')
			continue;
		if (c != ' ' && c != '\t' && !allow_key) {
			rd_unget(r, c);
			break;
		}
		quote = 0;
		while (c == ' ' || c == '\t')
			c = rd_get(r);
		if (c >= 0 && c != '\n' && c != '#') {
			w->line = r->line;
			while (c >= 0 && c != '\n' && (quote || (c != ' ' && c != '\t'))) {
				found = 1;
				if (quote && c == quote) {
					quote = 0;
				} else if (!quote && (c == '\'' || c == '"')) {
					quote = c;
				} else {
					word_add(w, c, tail);
					kept++;
				}
				c = rd_get(r);
				/* mdadm's hack for kernels printing "active(auto-read-only)"
				 * in /proc/mdstat applies to mdadm.conf too. */
				if (c == '(' && kept >= 6 && !memcmp(tail, "active", 6))
					c = ' ';
			}
		}
		rd_unget(r, c);
	}
	w->s[w->n] = 0;
	/* A NUL byte ends the word as a C string, and then it did fit. */
	if (strlen(w->s) < w->n)
		w->overflow = 0;
	if (!strcmp(w->s, "auto-read-only)"))
		strcpy(w->s, "(auto-read-only)");
	return found;
}

static void warn(struct parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(struct parser *p, unsigned line, const char *fmt, ...)
{
	struct md_conf *conf = p->conf;
	char *out;
	va_list ap;
	int n;

	if (conf->nwarnings >= MD_CONF_MAX_WARNINGS) {
		conf->warnings_lost++;
		return;
	}
	out = conf->warnings[conf->nwarnings++];
	if (p->file)
		n = snprintf(out, sizeof(conf->warnings[0]), "%s:%u: ", p->file, line);
	else
		n = snprintf(out, sizeof(conf->warnings[0]), "line %u: ", line);
	if (n < 0 || (size_t)n >= sizeof(conf->warnings[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(out + n, sizeof(conf->warnings[0]) - n, fmt, ap);
	va_end(ap);
}

/* Copy a word into a field; -E2BIG (with a warning) when it does not fit. */
static int put(struct parser *p, char *dst, size_t size, const char *src, const char *what)
{
	size_t n = strlen(src);

	if (p->w.overflow || n >= size) {
		warn(p, p->w.line, "%s longer than %zu characters", what, size - 1);
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

enum keyword {
	KW_DEVICES, KW_ARRAY, KW_MAILADDR, KW_MAILFROM, KW_PROGRAM, KW_CREATE,
	KW_HOMEHOST, KW_HOMECLUSTER, KW_AUTO, KW_POLICY, KW_PART_POLICY, KW_SYSFS,
	KW_MONITORDELAY, KW_COUNT
};

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

static int match_keyword(const char *w)
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

/* parse_uuid: exactly 32 hex digits; ':', '.', ' ' and '-' anywhere. */
static int parse_uuid(const char *s, uint8_t uuid[16])
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

static int map_level(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(pers) / sizeof(pers[0]); i++)
		if (!strcmp(pers[i].name, name))
			return pers[i].level;
	return INT32_MIN;
}

/* mdadm's superlist, in order; names as AUTO and ss->name spell them. */
static const char *const formats[] = { "0.90", "1.x", "ddf", "imsm", "mbr", "gpt" };
enum { NFORMATS = sizeof(formats) / sizeof(formats[0]) };

/* metadata=: the first superlist entry whose match_metadata_desc accepts
 * arg (strcmp). Returns its index and in *norm arg less ignored zeros. */
static int match_metadata(const char *arg, const char **norm)
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
	for (i = 2; i < NFORMATS; i++)
		if (!strcmp(arg, formats[i]))
			return (int)i;
	return -1;
}

/* The format an AUTO word (after its sign) names, as autoline matches:
 * the name in any case, "0"/"1" for 0.90/1.x, or "1." anything. */
static int auto_format(const char *v)
{
	int i;

	for (i = 0; i < NFORMATS; i++) {
		if (!strcasecmp(v, formats[i]))
			return i;
		if (formats[i][1] == '.' && strlen(v) == 1 && v[0] == formats[i][0])
			return i;
		if (i == 1 && !strncmp(v, "1.", 2))
			return i;
	}
	return -1;
}

/* parse_auto's check: no, yes, md, mdp, p, part... with an optional
 * [-]number. mdadm exits on anything else. */
static int auto_ok(const char *s)
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

/* create_mddev's rules for an ARRAY device name. */
static int valid_devname(const char *w)
{
	return !strcasecmp(w, "<ignore>") || !strncmp(w, "/dev/md/", 8) ||
	       (w[0] != '/' && w[0] != '<') ||
	       (!strncmp(w, "/dev/md", 7) && is_number(w + 7)) ||
	       (!strncmp(w, "/dev/md_d", 9) && is_number(w + 9));
}

struct array_state {
	struct md_conf_array a;
	int devname_set, bitmap_set, spare_group_set, container_set, member_set;
};

static int has_prefix(const char *w, const char *key)
{
	return !strncasecmp(w, key, strlen(key));
}

static int array_word(struct parser *p, struct array_state *st)
{
	struct md_conf_array *a = &st->a;
	const char *w = p->w.s;
	unsigned line = p->w.line;
	const char *norm;
	char *end;
	int i;

	if (w[0] == '/' || !strchr(w, '=')) {
		if (!valid_devname(w)) {
			warn(p, line, "%s is an invalid name for an md device - ignored", w);
		} else if (st->devname_set) {
			warn(p, line, "only give one device per ARRAY line: %s and %s",
			     a->devname, w);
		} else {
			st->devname_set = 1;
			if (!strcasecmp(w, "<ignore>"))
				w = "<ignore>";
			return put(p, a->devname, sizeof(a->devname), w, "ARRAY device name");
		}
	} else if (p->w.overflow && (has_prefix(w, "uuid=") || has_prefix(w, "super-minor=") ||
				     has_prefix(w, "disks=") || has_prefix(w, "num-devices=") ||
				     has_prefix(w, "spares=") || has_prefix(w, "metadata=") ||
				     has_prefix(w, "auto="))) {
		/* cut short, it could read differently */
		warn(p, line, "ARRAY word longer than %d characters", WORD_MAX - 1);
		return -E2BIG;
	} else if (has_prefix(w, "uuid=")) {
		if (a->uuid_set)
			warn(p, line, "only specify uuid once, %s ignored", w);
		else if (parse_uuid(w + 5, a->uuid))
			a->uuid_set = 1;
		else
			warn(p, line, "bad uuid: %s", w);
	} else if (has_prefix(w, "super-minor=")) {
		long v = strtol(w + 12, &end, 10);
		/* mdadm keeps an int: values beyond it wrap */
		int minor = (int)v;

		if (a->super_minor != -1)
			warn(p, line, "only specify super-minor once, %s ignored", w);
		else if (!w[12] || *end || minor < 0)
			warn(p, line, "invalid super-minor number: %s", w);
		else
			a->super_minor = minor == MDADM_UNSET ? -1 : minor;
	} else if (has_prefix(w, "name=")) {
		if (a->name[0])
			warn(p, line, "only specify name once, %s ignored", w);
		else if (strlen(w + 5) > 32)
			warn(p, line, "name too long, ignoring %s", w);
		else
			strcpy(a->name, w + 5);
	} else if (has_prefix(w, "bitmap=")) {
		if (st->bitmap_set)
			warn(p, line, "only specify bitmap file once. %s ignored", w);
		st->bitmap_set = a->has_bitmap = 1;
	} else if (has_prefix(w, "devices=")) {
		if (a->devices_set) {
			warn(p, line, "only specify devices once, %s ignored", w);
		} else {
			a->devices_set = 1;
			return put(p, a->devices, sizeof(a->devices), w + 8, "devices=");
		}
	} else if (has_prefix(w, "spare-group=")) {
		if (st->spare_group_set)
			warn(p, line, "only specify one spare group per array. %s ignored", w);
		st->spare_group_set = 1;
	} else if (has_prefix(w, "level=")) {
		a->level = map_level(w + 6);	/* last wins, unknown unsets */
	} else if (has_prefix(w, "disks=")) {
		a->raid_disks = (int)strtol(w + 6, NULL, 10);
	} else if (has_prefix(w, "num-devices=")) {
		a->raid_disks = (int)strtol(w + 12, NULL, 10);
	} else if (has_prefix(w, "spares=")) {
		a->spares = (int)strtol(w + 7, NULL, 10);
	} else if (has_prefix(w, "metadata=")) {
		/* the first known format wins; later ones are not even checked */
		if (a->metadata_type[0])
			return 0;
		i = match_metadata(w + 9, &norm);
		if (i < 0) {
			warn(p, line, "metadata format %s unknown, ignored", w + 9);
			return 0;
		}
		strcpy(a->metadata_type, formats[i]);
		strcpy(a->metadata, norm);
	} else if (has_prefix(w, "auto=")) {
		if (!auto_ok(w + 5)) {
			warn(p, line, "auto type arg of \"%s\" unrecognised", w + 5);
			return -EINVAL;
		}
	} else if (has_prefix(w, "member=")) {
		st->member_set = a->has_container = 1;
		return put(p, a->member, sizeof(a->member), w + 7, "member=");
	} else if (has_prefix(w, "container=")) {
		st->container_set = a->has_container = 1;
		return put(p, a->container, sizeof(a->container), w + 10, "container=");
	} else {
		warn(p, line, "unrecognised word on ARRAY line: %s", w);
	}
	return 0;
}

static int array_line(struct parser *p, unsigned line)
{
	struct md_conf *conf = p->conf;
	struct array_state st;
	struct md_conf_array *a = &st.a;
	int err;

	memset(&st, 0, sizeof(st));
	a->super_minor = -1;
	a->level = INT32_MIN;
	a->raid_disks = -1;
	a->line = line;
	while (rd_word(&p->rd, 0, &p->w))
		if ((err = array_word(p, &st)))
			return err;
	if (!a->uuid_set && !a->devices_set && a->super_minor == -1 && !a->name[0] &&
	    !(st.container_set && st.member_set)) {
		warn(p, line, "ARRAY line %s has no identity information",
		     st.devname_set ? a->devname : "(null)");
		return 0;
	}
	if (conf->narrays >= MD_CONF_MAX_ARRAYS) {
		warn(p, line, "more than %d ARRAY lines", MD_CONF_MAX_ARRAYS);
		return -E2BIG;
	}
	conf->arrays[conf->narrays++] = *a;
	return 0;
}

static int device_line(struct parser *p)
{
	struct md_conf *conf = p->conf;
	const char *w;
	int err;

	conf->device_line_seen = 1;
	while (rd_word(&p->rd, 0, &p->w)) {
		w = p->w.s;
		if (!strcasecmp(w, "partitions"))
			w = "partitions";
		else if (!strcasecmp(w, "containers"))
			w = "containers";
		else if (w[0] != '/') {
			warn(p, p->w.line, "unrecognised word on DEVICE line: %s", w);
			continue;
		}
		if (conf->ndevices >= MD_CONF_MAX_WORDS) {
			warn(p, p->w.line, "more than %d DEVICE words", MD_CONF_MAX_WORDS);
			return -E2BIG;
		}
		err = put(p, conf->devices[conf->ndevices], sizeof(conf->devices[0]), w,
			  "DEVICE word");
		if (err)
			return err;
		conf->ndevices++;
	}
	return 0;
}

static int homehost_line(struct parser *p)
{
	struct md_conf *conf = p->conf;
	const char *w;
	int err;

	while (rd_word(&p->rd, 0, &p->w)) {
		w = p->w.s;
		if (!strcasecmp(w, "<ignore>")) {
			conf->homehost_ignore = 1;
		} else if (!conf->homehost[0]) {
			/* an empty (quoted) name means none, like <none> */
			if (!w[0] || !strcasecmp(w, "<none>"))
				w = "<none>";
			err = put(p, conf->homehost, sizeof(conf->homehost), w, "HOMEHOST");
			if (err)
				return err;
		}
	}
	return 0;
}

static int auto_line(struct parser *p)
{
	struct md_conf *conf = p->conf;
	int seen = conf->auto_seen, err;

	conf->auto_seen = 1;
	while (rd_word(&p->rd, 0, &p->w)) {
		if (seen)
			continue;	/* only the first AUTO line counts */
		if (conf->nauto >= MD_CONF_MAX_WORDS) {
			warn(p, p->w.line, "more than %d AUTO words", MD_CONF_MAX_WORDS);
			return -E2BIG;
		}
		err = put(p, conf->autos[conf->nauto], sizeof(conf->autos[0]), p->w.s,
			  "AUTO word");
		if (err)
			return err;
		conf->nauto++;
	}
	return 0;
}

/* CREATE matters only in that mdadm exits on a bad auto=. */
static int create_line(struct parser *p)
{
	while (rd_word(&p->rd, 0, &p->w)) {
		if (!has_prefix(p->w.s, "auto="))
			continue;
		if (p->w.overflow) {
			warn(p, p->w.line, "CREATE word longer than %d characters", WORD_MAX - 1);
			return -E2BIG;
		}
		if (!auto_ok(p->w.s + 5)) {
			warn(p, p->w.line, "auto= arg of \"%s\" unrecognised", p->w.s + 5);
			return -EINVAL;
		}
	}
	return 0;
}

static void skip_line(struct parser *p)
{
	while (rd_word(&p->rd, 0, &p->w))
		;
}

static int parse(struct parser *p)
{
	unsigned line;
	int err = 0;

	while (!err && rd_word(&p->rd, 1, &p->w)) {
		line = p->w.line;
		switch (match_keyword(p->w.s)) {
		case KW_DEVICES: err = device_line(p); break;
		case KW_ARRAY: err = array_line(p, line); break;
		case KW_HOMEHOST: err = homehost_line(p); break;
		case KW_AUTO: err = auto_line(p); break;
		case KW_CREATE: err = create_line(p); break;
		case KW_POLICY:
		case KW_PART_POLICY:
			p->conf->policy_seen = 1;
			skip_line(p);
			break;
		case -1:
			warn(p, line, "Unknown keyword %s", p->w.s);
			skip_line(p);
			break;
		default:
			skip_line(p);
		}
	}
	return err;
}

void md_conf_init(struct md_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
}

static int parse_text(const char *text, size_t len, struct md_conf *conf, const char *file)
{
	struct parser p;	/* about 4 KiB, mostly the word buffer */

	if (!conf || (!text && len))
		return -EINVAL;
	p.conf = conf;
	p.file = file;
	p.rd.text = (const unsigned char *)text;
	p.rd.len = len;
	p.rd.pos = 0;
	p.rd.back = -1;
	p.rd.line = 1;
	return parse(&p);
}

int md_conf_parse_append(const char *text, size_t len, struct md_conf *conf)
{
	return parse_text(text, len, conf, NULL);
}

int md_conf_parse(const char *text, size_t len, struct md_conf *conf)
{
	if (!conf)
		return -EINVAL;
	md_conf_init(conf);
	return md_conf_parse_append(text, len, conf);
}

/* Read an open regular file whole, refusing more than MD_CONF_MAX_FILE. */
static int read_all(int fd, char **out, size_t *lenp)
{
	size_t cap = MD_CONF_MAX_FILE + 1, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > MD_CONF_MAX_FILE) {
		free(buf);
		return -EFBIG;
	}
	*out = buf;
	*lenp = len;
	return 0;
}

static int load_fd(int fd, const char *name, struct md_conf *conf)
{
	struct stat st;
	size_t len = 0;
	char *text = NULL;
	int err;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return 0;	/* mdadm reads regular files and directories only */
	if (st.st_size > MD_CONF_MAX_FILE)
		return -EFBIG;
	err = read_all(fd, &text, &len);
	if (err)
		return err;
	err = parse_text(text, len, conf, name);
	free(text);
	return err;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* conf_file_or_dir's directory case: *.conf (6+ characters, no leading
 * dot) in strcmp order; files that cannot be opened are skipped. */
static int load_dir(int dfd, struct md_conf *conf)
{
	char **names = NULL, **grow;
	size_t n = 0, cap = 0, i, l;
	struct dirent *de;
	int err = 0, fd;
	DIR *dir = fdopendir(dfd);

	if (!dir) {
		err = -errno;
		close(dfd);
		return err;
	}
	while ((de = readdir(dir))) {
		l = strlen(de->d_name);
		if (!de->d_ino || de->d_name[0] == '.' || l < 6 ||
		    strcmp(de->d_name + l - 5, ".conf"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grow = realloc(names, cap * sizeof(*names));
			if (!grow) {
				err = -ENOMEM;
				break;
			}
			names = grow;
		}
		if (!(names[n] = strdup(de->d_name))) {
			err = -ENOMEM;
			break;
		}
		n++;
	}
	if (!err && n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && !err; i++) {
		fd = openat(dirfd(dir), names[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		err = load_fd(fd, names[i], conf);
		close(fd);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return err;
}

int md_conf_load_append(const char *path, struct md_conf *conf)
{
	struct stat st;
	int fd, err;

	if (!path || !conf)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(fd, conf);	/* takes fd */
	err = load_fd(fd, path, conf);
	close(fd);
	return err;
}

int md_conf_load(const char *path, struct md_conf *conf)
{
	if (!conf)
		return -EINVAL;
	md_conf_init(conf);
	return md_conf_load_append(path, conf);
}

enum auto_value { AUTO_YES, AUTO_NO, AUTO_HOMEHOST };

int md_conf_auto_allows(const struct md_conf *conf, const char *metadata, int is_homehost)
{
	enum auto_value dflt = AUTO_YES, v = AUTO_YES;
	int homehost = 0, target, matched = 0;
	const char *w;
	unsigned i;

	if (!conf || !metadata || (target = auto_format(metadata)) < 0)
		return 1;	/* no policy for it */
	/* autoline: words in order, the first naming this format decides;
	 * yes/no/+all/-all end the line and set the rest. */
	for (i = 0; i < conf->nauto && !matched; i++) {
		w = conf->autos[i];
		if (!strcasecmp(w, "yes")) {
			dflt = AUTO_YES;
			break;
		}
		if (!strcasecmp(w, "no")) {
			dflt = homehost ? AUTO_HOMEHOST : AUTO_NO;
			break;
		}
		if (!strcasecmp(w, "homehost")) {
			homehost = 1;
			continue;
		}
		if (w[0] == '+')
			v = AUTO_YES;
		else if (w[0] == '-')
			v = homehost ? AUTO_HOMEHOST : AUTO_NO;
		else
			continue;
		if (!strcasecmp(w + 1, "all")) {
			dflt = v;
			break;
		}
		matched = auto_format(w + 1) == target;
	}
	if (!matched)
		v = dflt;
	/* conf_test_metadata: "yes" allows, "homehost" allows ours, and
	 * otherwise only "no" denies, so "homehost" alone allows any. */
	if (v == AUTO_YES || (v == AUTO_HOMEHOST && is_homehost))
		return 1;
	return v != AUTO_NO;
}

const char *md_conf_homehost(const struct md_conf *conf, const char *explicit_host,
			     char *buf, size_t len)
{
	const char *h = explicit_host;
	struct utsname u;

	if (!h && conf && conf->homehost[0])
		h = conf->homehost;
	if ((!h || !strcasecmp(h, "<system>")) && uname(&u) == 0) {
		if (!buf || strlen(u.nodename) >= len)
			return NULL;
		strcpy(buf, u.nodename);
		h = buf;
	}
	if (!h || !h[0] || !strcasecmp(h, "<none>"))
		return "";
	return h;
}
