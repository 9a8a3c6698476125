/* What the mdadm.conf line handlers share (md/conf.c, md/conf_array.c):
 * the parser over one text, its next word, and how problems are recorded. */
#ifndef WB_MD_CONF_PARSE_H
#define WB_MD_CONF_PARSE_H

#include "md/conf.h"
#include "md/conf_lex.h"

struct conf_parser {
	struct md_conf *conf;
	struct conf_reader rd;
	struct conf_word w;
	const char *file;	/* for messages; NULL for text */
};

/* The next word of the current logical line into p->w: 1, or 0 at its end. */
int conf_next_line_word(struct conf_parser *p);
/* Record a problem as mdadm would warn about it ("file:line: ..."); past
 * MD_CONF_MAX_WARNINGS only counted. */
void conf_warn(struct conf_parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Copy the word src into a field; -E2BIG (with a warning) when it does not
 * fit or the word was cut short. */
int conf_put(struct conf_parser *p, char *dst, size_t size, const char *src, const char *what);
/* Whether w starts with key, in any case. */
int conf_has_prefix(const char *w, const char *key);

/* An ARRAY line after its keyword (line: the keyword's). 0 or -errno. */
int conf_array_line(struct conf_parser *p, unsigned line);

#endif
