/* grub.cfg and grubenv parser: text in, menu items out. */
#include "boot/grub.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 64
#define MAX_DEPTH 16

struct words {
	char buf[8192];
	char *w[MAX_WORDS];
	int n;
	int opens_block;	/* the line ends in '{' */
};

/* Is the word only a variable reference ($x, ${x})? It expands to a value
 * we do not know; grub-mkconfig's own variables are handled by callers. */
static int is_var(const char *w)
{
	if (w[0] != '$')
		return 0;
	if (w[1] == '{')
		return strchr(w, '}') && !strchr(w, '}')[1];
	for (w++; *w; w++)
		if (!isalnum((unsigned char)*w) && *w != '_')
			return 0;
	return 1;
}

/* Split one line as the GRUB lexer would for our purposes: quotes, escapes,
 * comments. Returns 0, or -1 when the line does not fit. */
static int split_line(const char *p, const char *end, struct words *ws)
{
	size_t o = 0;

	ws->n = 0;
	ws->opens_block = 0;
	for (;;) {
		int in_word = 0;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if (p >= end || *p == '#')
			break;
		if (ws->n == MAX_WORDS)
			return -1;
		ws->w[ws->n] = ws->buf + o;
		while (p < end && *p != ' ' && *p != '\t' && *p != ';') {
			if (o + 2 >= sizeof(ws->buf))
				return -1;
			in_word = 1;
			if (*p == '\'') {
				for (p++; p < end && *p != '\''; p++) {
					if (o + 2 >= sizeof(ws->buf))
						return -1;
					ws->buf[o++] = *p;
				}
				p++;
			} else if (*p == '"') {
				for (p++; p < end && *p != '"'; p++) {
					if (*p == '\\' && p + 1 < end &&
					    strchr("\"\\$", p[1]))
						p++;
					if (o + 2 >= sizeof(ws->buf))
						return -1;
					ws->buf[o++] = *p;
				}
				p++;
			} else if (*p == '\\' && p + 1 < end) {
				ws->buf[o++] = p[1];
				p += 2;
			} else {
				ws->buf[o++] = *p++;
			}
		}
		ws->buf[o++] = 0;
		if (in_word)
			ws->n++;
	}
	if (ws->n && !strcmp(ws->w[ws->n - 1], "{")) {
		ws->opens_block = 1;
		ws->n--;
	}
	return 0;
}

/* menuentry|submenu TITLE [--class C]... [--id ID | $menuentry_id_option ID] */
static void item_header(struct grub_item *it, const struct words *ws)
{
	int i;

	if (ws->n > 1)
		snprintf(it->title, sizeof(it->title), "%s", ws->w[1]);
	for (i = 2; i + 1 < ws->n; i++)
		if (!strcmp(ws->w[i], "--id") || !strcmp(ws->w[i], "$menuentry_id_option") ||
		    !strcmp(ws->w[i], "${menuentry_id_option}")) {
			snprintf(it->id, sizeof(it->id), "%s", ws->w[i + 1]);
			break;
		}
}

static void item_linux(struct grub_item *it, const struct words *ws)
{
	size_t o = 0;
	int i;

	snprintf(it->linux_path, sizeof(it->linux_path), "%s", ws->w[1]);
	it->cmdline[0] = 0;
	for (i = 2; i < ws->n; i++) {
		int n;
		if (is_var(ws->w[i]))
			continue;
		n = snprintf(it->cmdline + o, sizeof(it->cmdline) - o, "%s%s",
			     o ? " " : "", ws->w[i]);
		if (n < 0 || (size_t)n >= sizeof(it->cmdline) - o)
			break;	/* an over-long line keeps its first words */
		o += (size_t)n;
	}
}

static void item_initrd(struct grub_item *it, const struct words *ws)
{
	int i;

	it->ninitrd = 0;
	for (i = 1; i < ws->n && it->ninitrd < GRUB_MAX_INITRDS; i++)
		if (!is_var(ws->w[i]) && ws->w[i][0] != '-')
			snprintf(it->initrd[it->ninitrd++], sizeof(it->initrd[0]), "%s",
				 ws->w[i]);
}

static void set_default(struct grub_menu *m, const char *value)
{
	if (!strcmp(value, "${next_entry}") || !strcmp(value, "$next_entry")) {
		m->uses_next_entry = 1;
		return;
	}
	if (!strcmp(value, "${saved_entry}") || !strcmp(value, "$saved_entry")) {
		m->default_is_saved = 1;
		return;
	}
	m->default_is_saved = 0;
	snprintf(m->default_spec, sizeof(m->default_spec), "%s", value);
}

/* Open blocks: the item index of a menuentry or submenu, -1 for other
 * blocks (if, function, ...). Deeper than MAX_DEPTH only counts. */
struct blocks {
	int item[MAX_DEPTH];
	int depth;
};

static void open_block(struct blocks *b, int item)
{
	if (b->depth < MAX_DEPTH)
		b->item[b->depth] = item;
	b->depth++;
}

/* The innermost open menuentry or submenu, -1 at the top. */
static int current_item(const struct blocks *b)
{
	int i;

	for (i = (b->depth < MAX_DEPTH ? b->depth : MAX_DEPTH) - 1; i >= 0; i--)
		if (b->item[i] >= 0)
			return b->item[i];
	return -1;
}

static int is_word(const char *w, const char *a, const char *b, const char *c)
{
	return !strcmp(w, a) || !strcmp(w, b) || (c && !strcmp(w, c));
}

/* linux and initrd lines inside a menuentry. */
static void item_command(struct grub_item *it, const struct words *ws)
{
	if (is_word(ws->w[0], "linux", "linuxefi", "linux16") && ws->n > 1)
		item_linux(it, ws);
	else if (is_word(ws->w[0], "initrd", "initrdefi", "initrd16"))
		item_initrd(it, ws);
}

/* One line of words: a block opens or closes, or a line of the current
 * menuentry or the top level. -ENOMEM only. */
static int parse_line(struct grub_menu *m, struct blocks *b, const struct words *ws)
{
	int cur = current_item(b), parent = -1;
	struct grub_item *it;

	if (cur >= 0)
		parent = m->items.v[cur].submenu ? cur : m->items.v[cur].parent;
	if (!strcmp(ws->w[0], "}")) {
		if (b->depth)
			b->depth--;
	} else if (is_word(ws->w[0], "menuentry", "submenu", NULL) && ws->opens_block &&
		   (cur < 0 || m->items.v[cur].submenu)) {
		it = array_push(&m->items);
		if (!it)
			return -ENOMEM;
		it->submenu = ws->w[0][0] == 's';
		it->parent = parent;
		item_header(it, ws);
		open_block(b, (int)(m->items.n - 1));
	} else if (ws->opens_block) {
		open_block(b, -1);
	} else if (cur >= 0 && !m->items.v[cur].submenu) {
		item_command(&m->items.v[cur], ws);
	} else if (cur < 0 && ws->n >= 2 && !strcmp(ws->w[0], "set") &&
		   !strncmp(ws->w[1], "default=", 8)) {
		set_default(m, ws->w[1] + 8);
	}
	return 0;
}

int grub_parse(const char *text, size_t len, struct grub_menu *m)
{
	const char *p = text, *end = text + len;
	struct words *ws = malloc(sizeof(*ws));
	struct blocks b = { .depth = 0 };
	int r = 0;

	memset(m, 0, sizeof(*m));
	strcpy(m->default_spec, "0");
	if (!ws)
		return -ENOMEM;
	while (p < end && !r) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (split_line(p, nl ? nl : end, ws) < 0)
			ws->n = 0;
		p = nl ? nl + 1 : end;
		if (ws->n)
			r = parse_line(m, &b, ws);
	}
	free(ws);
	if (r)
		grub_menu_free(m);
	return r;
}

void grub_menu_free(struct grub_menu *m)
{
	array_free(&m->items);
	memset(m, 0, sizeof(*m));
}

void grubenv_get(const char *text, size_t len, const char *key, char *out, size_t outlen)
{
	const char *p = text, *end = text + len;
	size_t klen = strlen(key);

	if (outlen)
		out[0] = 0;
	while (p < end && outlen) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if ((size_t)(le - p) > klen && !memcmp(p, key, klen) && p[klen] == '=') {
			size_t o = 0;
			for (p += klen + 1; p < le && o + 1 < outlen; p++) {
				if (*p == '\\' && p + 1 < le)
					p++;
				out[o++] = *p;
			}
			out[o] = 0;
			return;
		}
		p = nl ? nl + 1 : end;
	}
}

/* The nth child of parent, or the child titled or identified as name. */
static int find_child(const struct grub_menu *m, int parent, const char *name, size_t len)
{
	size_t i;
	long nth = -1, k = 0;
	char *endp;
	char want[512];

	if (len >= sizeof(want))
		return -1;
	memcpy(want, name, len);
	want[len] = 0;
	if (len && isdigit((unsigned char)want[0])) {
		nth = strtol(want, &endp, 10);
		if (*endp)
			nth = -1;
	}
	for (i = 0; i < m->items.n; i++) {
		if (m->items.v[i].parent != parent)
			continue;
		if (nth >= 0 ? k == nth
			     : !strcmp(m->items.v[i].title, want) || !strcmp(m->items.v[i].id, want))
			return (int)i;
		k++;
	}
	return -1;
}

static int resolve(const struct grub_menu *m, const char *spec)
{
	int parent = -1, at = -1;

	while (*spec) {
		size_t len = strcspn(spec, ">");

		at = find_child(m, parent, spec, len);
		if (at < 0)
			return -1;
		parent = at;
		spec += len;
		if (*spec == '>')
			spec++;
	}
	/* a submenu as the default boots its first entry */
	while (at >= 0 && m->items.v[at].submenu)
		at = find_child(m, at, "0", 1);
	return at;
}

int grub_default(const struct grub_menu *m, const char *next_entry,
		 const char *saved_entry, const char **spec_used)
{
	const char *spec = m->default_spec;
	int at;

	if (m->uses_next_entry && next_entry && *next_entry)
		spec = next_entry;
	else if (m->default_is_saved)
		spec = saved_entry && *saved_entry ? saved_entry : "0";
	*spec_used = spec;
	at = resolve(m, spec);
	if (at < 0) {
		*spec_used = "0";
		at = resolve(m, "0");
	}
	return at;
}
