/* mdadm.conf words, character by character as mdadm's conf_word reads its
 * FILE: one character of push-back, quotes that never span lines, and
 * mdadm's "active(auto-read-only)" hack, which applies here too. */
#include "md/conf_lex.h"

#include <string.h>

void conf_reader_init(struct conf_reader *r, const char *text, size_t len)
{
	r->text = (const unsigned char *)text;
	r->len = len;
	r->pos = 0;
	r->back = -1;
	r->line = 1;
}

static int rd_get(struct conf_reader *r)
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

static void rd_unget(struct conf_reader *r, int c)
{
	if (c >= 0)
		r->back = c;
}

/* tail: the last six characters read into the word, for the hack below */
static void word_add(struct conf_word *w, int c, char tail[6])
{
	if (w->n < CONF_WORD_MAX - 1)
		w->s[w->n++] = (char)c;
	else
		w->overflow = 1;
	memmove(tail, tail + 1, 5);
	tail[5] = (char)c;
}

/* The characters of one word from its first, c, up to a blank or the end
 * of the line outside quotes. Returns the character that ended it. */
static int read_chars(struct conf_reader *r, int c, struct conf_word *w)
{
	char tail[6] = { 0 };
	size_t kept = 0;
	int quote = 0;

	w->line = r->line;
	while (c >= 0 && c != '\n' && (quote || (c != ' ' && c != '\t'))) {
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
	return c;
}

/* Past comments, newlines and blanks to the next word, which is read.
 * Returns 1 with a word, 0 at the end of the logical line or text. */
static int find_word(struct conf_reader *r, int allow_key, struct conf_word *w)
{
	int c, found = 0;

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
		while (c == ' ' || c == '\t')
			c = rd_get(r);
		/* quotes alone ("") make a word too, an empty one */
		if (c >= 0 && c != '\n' && c != '#') {
			found = 1;
			c = read_chars(r, c, w);
		}
		rd_unget(r, c);
	}
	return found;
}

int conf_next_word(struct conf_reader *r, int allow_key, struct conf_word *w)
{
	int found;

	w->n = 0;
	w->overflow = 0;
	found = find_word(r, allow_key, w);
	w->s[w->n] = 0;
	/* A NUL byte ends the word as a C string, and then it did fit. */
	if (strlen(w->s) < w->n)
		w->overflow = 0;
	if (!strcmp(w->s, "auto-read-only)"))
		strcpy(w->s, "(auto-read-only)");
	return found;
}
