/* ARRAY lines, as mdadm 4.2's config.c arrayline: a device name and
 * KEY=value words (table array_keys), kept when they identify an array. */
#include "md/conf_parse.h"
#include "md/conf_words.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* mdadm's UnSet (0xfffe): a super-minor= of this value reads as absent. */
enum { MDADM_UNSET = 0xfffe };

struct array_state {
	struct md_conf_array a;
	int devname_set, bitmap_set, spare_group_set, container_set, member_set;
};

/* One KEY=value word of an ARRAY line: w is the word, v its value. */
typedef int array_key_fn(struct conf_parser *p, struct array_state *st, const char *w,
			 const char *v);

static int array_devname(struct conf_parser *p, struct array_state *st, const char *w)
{
	struct md_conf_array *a = &st->a;

	if (!conf_valid_devname(w)) {
		conf_warn(p, p->w.line, "%s is an invalid name for an md device - ignored", w);
	} else if (st->devname_set) {
		conf_warn(p, p->w.line, "only give one device per ARRAY line: %s and %s",
			    a->devname, w);
	} else {
		st->devname_set = 1;
		if (!strcasecmp(w, "<ignore>"))
			w = "<ignore>";
		return conf_put(p, a->devname, sizeof(a->devname), w, "ARRAY device name");
	}
	return 0;
}

static int array_uuid(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	if (st->a.uuid_set)
		conf_warn(p, p->w.line, "only specify uuid once, %s ignored", w);
	else if (conf_parse_uuid(v, st->a.uuid))
		st->a.uuid_set = 1;
	else
		conf_warn(p, p->w.line, "bad uuid: %s", w);
	return 0;
}

static int array_super_minor(struct conf_parser *p, struct array_state *st, const char *w,
			     const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	/* mdadm keeps an int: values beyond it wrap */
	int minor = (int)n;

	if (st->a.super_minor != -1)
		conf_warn(p, p->w.line, "only specify super-minor once, %s ignored", w);
	else if (!v[0] || *end || minor < 0)
		conf_warn(p, p->w.line, "invalid super-minor number: %s", w);
	else
		st->a.super_minor = minor == MDADM_UNSET ? -1 : minor;
	return 0;
}

static int array_name(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	if (st->a.name[0])
		conf_warn(p, p->w.line, "only specify name once, %s ignored", w);
	else if (strlen(v) > 32)
		conf_warn(p, p->w.line, "name too long, ignoring %s", w);
	else
		strcpy(st->a.name, v);
	return 0;
}

static int array_bitmap(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	(void)v;
	if (st->bitmap_set)
		conf_warn(p, p->w.line, "only specify bitmap file once. %s ignored", w);
	st->bitmap_set = st->a.has_bitmap = 1;
	return 0;
}

static int array_devices(struct conf_parser *p, struct array_state *st, const char *w,
			 const char *v)
{
	if (st->a.devices_set) {
		conf_warn(p, p->w.line, "only specify devices once, %s ignored", w);
		return 0;
	}
	st->a.devices_set = 1;
	return conf_put(p, st->a.devices, sizeof(st->a.devices), v, "devices=");
}

static int array_spare_group(struct conf_parser *p, struct array_state *st, const char *w,
			     const char *v)
{
	(void)v;
	if (st->spare_group_set)
		conf_warn(p, p->w.line, "only specify one spare group per array. %s ignored", w);
	st->spare_group_set = 1;
	return 0;
}

static int array_level(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	(void)p, (void)w;
	st->a.level = conf_level(v);	/* last wins, unknown unsets */
	return 0;
}

/* disks= and num-devices= */
static int array_disks(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	(void)p, (void)w;
	st->a.raid_disks = (int)strtol(v, NULL, 10);
	return 0;
}

static int array_spares(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	(void)p, (void)w;
	st->a.spares = (int)strtol(v, NULL, 10);
	return 0;
}

static int array_metadata(struct conf_parser *p, struct array_state *st, const char *w,
			  const char *v)
{
	const char *norm;
	int i;

	(void)w;
	/* the first known format wins; later ones are not even checked */
	if (st->a.metadata_type[0])
		return 0;
	i = conf_metadata(v, &norm);
	if (i < 0) {
		conf_warn(p, p->w.line, "metadata format %s unknown, ignored", v);
		return 0;
	}
	strcpy(st->a.metadata_type, conf_formats[i]);
	strcpy(st->a.metadata, norm);
	return 0;
}

static int array_auto(struct conf_parser *p, struct array_state *st, const char *w, const char *v)
{
	(void)st, (void)w;
	if (conf_auto_ok(v))
		return 0;
	conf_warn(p, p->w.line, "auto type arg of \"%s\" unrecognised", v);
	return -EINVAL;
}

static int array_member(struct conf_parser *p, struct array_state *st, const char *w,
			const char *v)
{
	(void)w;
	st->member_set = st->a.has_container = 1;
	return conf_put(p, st->a.member, sizeof(st->a.member), v, "member=");
}

static int array_container(struct conf_parser *p, struct array_state *st, const char *w,
			   const char *v)
{
	(void)w;
	st->container_set = st->a.has_container = 1;
	return conf_put(p, st->a.container, sizeof(st->a.container), v, "container=");
}

/* arrayline's KEY= words (any case). whole: a word cut short at
 * CONF_WORD_MAX is refused, since it could read differently. */
static const struct {
	const char *key;
	int whole;
	array_key_fn *fn;
} array_keys[] = {
	{ "uuid=", 1, array_uuid },
	{ "super-minor=", 1, array_super_minor },
	{ "name=", 0, array_name },
	{ "bitmap=", 0, array_bitmap },
	{ "devices=", 0, array_devices },
	{ "spare-group=", 0, array_spare_group },
	{ "level=", 0, array_level },
	{ "disks=", 1, array_disks },
	{ "num-devices=", 1, array_disks },
	{ "spares=", 1, array_spares },
	{ "metadata=", 1, array_metadata },
	{ "auto=", 1, array_auto },
	{ "member=", 0, array_member },
	{ "container=", 0, array_container },
};

static int array_word(struct conf_parser *p, struct array_state *st)
{
	const char *w = p->w.s;
	size_t i;

	if (w[0] == '/' || !strchr(w, '='))
		return array_devname(p, st, w);
	for (i = 0; i < sizeof(array_keys) / sizeof(array_keys[0]); i++) {
		if (!conf_has_prefix(w, array_keys[i].key))
			continue;
		if (p->w.overflow && array_keys[i].whole) {
			conf_warn(p, p->w.line, "ARRAY word longer than %d characters",
				    CONF_WORD_MAX - 1);
			return -E2BIG;
		}
		return array_keys[i].fn(p, st, w, w + strlen(array_keys[i].key));
	}
	conf_warn(p, p->w.line, "unrecognised word on ARRAY line: %s", w);
	return 0;
}

int conf_array_line(struct conf_parser *p, unsigned line)
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
	while (conf_next_line_word(p))
		if ((err = array_word(p, &st)))
			return err;
	if (!a->uuid_set && !a->devices_set && a->super_minor == -1 && !a->name[0] &&
	    !(st.container_set && st.member_set)) {
		conf_warn(p, line, "ARRAY line %s has no identity information",
			    st.devname_set ? a->devname : "(null)");
		return 0;
	}
	if (conf->narrays >= MD_CONF_MAX_ARRAYS) {
		conf_warn(p, line, "more than %d ARRAY lines", MD_CONF_MAX_ARRAYS);
		return -E2BIG;
	}
	conf->arrays[conf->narrays++] = *a;
	return 0;
}
