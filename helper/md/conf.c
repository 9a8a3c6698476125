/* mdadm.conf with mdadm 4.2's semantics: the line handlers follow config.c's
 * devline, homehostline, autoline and conf_test_metadata (arrayline is in
 * md/conf_array.c), on the words md/conf_lex.c reads (lib.c conf_word).
 * Written afresh; where mdadm has a quirk we keep it and say so. Files and
 * directories: md/conf_load.c. */
#include "md/conf.h"
#include "md/conf_parse.h"
#include "md/conf_words.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

/* What the handlers share (md/conf_parse.h) */

int conf_next_line_word(struct conf_parser *p)
{
	return conf_next_word(&p->rd, 0, &p->w);
}

void conf_warn(struct conf_parser *p, unsigned line, const char *fmt, ...)
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

int conf_put(struct conf_parser *p, char *dst, size_t size, const char *src, const char *what)
{
	size_t n = strlen(src);

	if (p->w.overflow || n >= size) {
		conf_warn(p, p->w.line, "%s longer than %zu characters", what, size - 1);
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int conf_has_prefix(const char *w, const char *key)
{
	return !strncasecmp(w, key, strlen(key));
}

/* The lines other than ARRAY */

static int device_line(struct conf_parser *p)
{
	struct md_conf *conf = p->conf;
	const char *w;
	int err;

	conf->device_line_seen = 1;
	while (conf_next_line_word(p)) {
		w = p->w.s;
		if (!strcasecmp(w, "partitions"))
			w = "partitions";
		else if (!strcasecmp(w, "containers"))
			w = "containers";
		else if (w[0] != '/') {
			conf_warn(p, p->w.line, "unrecognised word on DEVICE line: %s", w);
			continue;
		}
		if (conf->ndevices >= MD_CONF_MAX_WORDS) {
			conf_warn(p, p->w.line, "more than %d DEVICE words", MD_CONF_MAX_WORDS);
			return -E2BIG;
		}
		err = conf_put(p, conf->devices[conf->ndevices], sizeof(conf->devices[0]), w,
			  "DEVICE word");
		if (err)
			return err;
		conf->ndevices++;
	}
	return 0;
}

static int homehost_line(struct conf_parser *p)
{
	struct md_conf *conf = p->conf;
	const char *w;
	int err;

	while (conf_next_line_word(p)) {
		w = p->w.s;
		if (!strcasecmp(w, "<ignore>")) {
			conf->homehost_ignore = 1;
		} else if (!conf->homehost[0]) {
			/* an empty (quoted) name means none, like <none> */
			if (!w[0] || !strcasecmp(w, "<none>"))
				w = "<none>";
			err = conf_put(p, conf->homehost, sizeof(conf->homehost), w, "HOMEHOST");
			if (err)
				return err;
		}
	}
	return 0;
}

static int auto_line(struct conf_parser *p)
{
	struct md_conf *conf = p->conf;
	int seen = conf->auto_seen, err;

	conf->auto_seen = 1;
	while (conf_next_line_word(p)) {
		if (seen)
			continue;	/* only the first AUTO line counts */
		if (conf->nauto >= MD_CONF_MAX_WORDS) {
			conf_warn(p, p->w.line, "more than %d AUTO words", MD_CONF_MAX_WORDS);
			return -E2BIG;
		}
		err = conf_put(p, conf->autos[conf->nauto], sizeof(conf->autos[0]), p->w.s,
			  "AUTO word");
		if (err)
			return err;
		conf->nauto++;
	}
	return 0;
}

/* CREATE matters only in that mdadm exits on a bad auto=. */
static int create_line(struct conf_parser *p)
{
	while (conf_next_line_word(p)) {
		if (!conf_has_prefix(p->w.s, "auto="))
			continue;
		if (p->w.overflow) {
			conf_warn(p, p->w.line, "CREATE word longer than %d characters",
				    CONF_WORD_MAX - 1);
			return -E2BIG;
		}
		if (!conf_auto_ok(p->w.s + 5)) {
			conf_warn(p, p->w.line, "auto= arg of \"%s\" unrecognised", p->w.s + 5);
			return -EINVAL;
		}
	}
	return 0;
}

static void skip_line(struct conf_parser *p)
{
	while (conf_next_line_word(p))
		;
}

static int parse(struct conf_parser *p)
{
	unsigned line;
	int err = 0;

	while (!err && conf_next_word(&p->rd, 1, &p->w)) {
		line = p->w.line;
		switch (conf_keyword(p->w.s)) {
		case KW_DEVICES: err = device_line(p); break;
		case KW_ARRAY: err = conf_array_line(p, line); break;
		case KW_HOMEHOST: err = homehost_line(p); break;
		case KW_AUTO: err = auto_line(p); break;
		case KW_CREATE: err = create_line(p); break;
		case KW_POLICY:
		case KW_PART_POLICY:
			p->conf->policy_seen = 1;
			skip_line(p);
			break;
		case -1:
			conf_warn(p, line, "Unknown keyword %s", p->w.s);
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

int md_conf_parse_named(const char *text, size_t len, const char *name, struct md_conf *conf)
{
	struct conf_parser p;	/* about 4 KiB, mostly the word buffer */

	if (!conf || (!text && len))
		return -EINVAL;
	p.conf = conf;
	p.file = name;
	conf_reader_init(&p.rd, text, len);
	return parse(&p);
}

int md_conf_parse_append(const char *text, size_t len, struct md_conf *conf)
{
	return md_conf_parse_named(text, len, NULL, conf);
}

int md_conf_parse(const char *text, size_t len, struct md_conf *conf)
{
	if (!conf)
		return -EINVAL;
	md_conf_init(conf);
	return md_conf_parse_append(text, len, conf);
}

/* Questions about the parsed configuration */

enum auto_value { AUTO_YES, AUTO_NO, AUTO_HOMEHOST };

int md_conf_auto_allows(const struct md_conf *conf, const char *metadata, int is_homehost)
{
	enum auto_value dflt = AUTO_YES, v = AUTO_YES;
	int homehost = 0, target, matched = 0;
	const char *w;
	unsigned i;

	if (!conf || !metadata || (target = conf_auto_format(metadata)) < 0)
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
		matched = conf_auto_format(w + 1) == target;
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
