/* The mdadm.conf tokenizer (mdadm 4.2 lib.c conf_word, conf_line): text
 * into words, the syntax md/conf.h describes: blanks separate words,
 * quotes join them, '#' comments, indented lines continue. Words keep no
 * meaning here; md/conf.c gives them one. */
#ifndef WB_MD_CONF_LEX_H
#define WB_MD_CONF_LEX_H

#include <stddef.h>

/* Longest word kept; longer ones are refused where they matter. */
enum { CONF_WORD_MAX = 4096 };

struct conf_reader {
	const unsigned char *text;
	size_t len, pos;
	int back;		/* one pushed-back character (ungetc), or -1 */
	unsigned line;		/* 1 + newlines consumed from text */
};

struct conf_word {
	char s[CONF_WORD_MAX];
	size_t n;		/* characters kept in s */
	int overflow;		/* the word was longer than CONF_WORD_MAX - 1 */
	unsigned line;		/* line of its first character */
};

void conf_reader_init(struct conf_reader *r, const char *text, size_t len);
/* One word, as conf_word: with allow_key a word may start a line (a
 * keyword); without, a character in column 0 ends the logical line and is
 * left for the next call. Returns 1 with a word, 0 at the end of the line
 * or text. */
int conf_next_word(struct conf_reader *r, int allow_key, struct conf_word *w);

#endif
