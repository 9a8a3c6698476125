/* Kernel command lines: words separated by spaces, a word `name=value` or
 * `name`, double quotes protecting spaces (`name="a b"`), as the kernel's
 * next_arg() splits them. */
#ifndef WB_CMDLINE_H
#define WB_CMDLINE_H

#include <stddef.h>

/* Next word of *s (skipping leading blanks), or NULL at the end; *len gets
 * its length and *s moves past it. */
const char *cmdline_next(const char **s, size_t *len);
/* Length of the parameter name of a word (up to '=' or its end). */
size_t cmdline_name_len(const char *word, size_t len);

/* The command line for the next kernel: the words of base without those
 * named in drop[0..ndrop) or in the one-shot list below, then the words of
 * append. Writes it to out; -E2BIG when it does not fit in outlen (never
 * truncated). base and append may be NULL. */
int cmdline_compose(const char *base, const char *const *drop, size_t ndrop,
		    const char *append, char *out, size_t outlen);
/* Adds the words of more to the NUL-terminated words in buf (size len),
 * one space between: repeated --append options accumulate. -E2BIG when they
 * do not fit (buf unchanged). */
int cmdline_add_words(char *buf, size_t len, const char *more);

/* Parameters never carried over to the next kernel: boot loader additions
 * and warmboot's one-shot parameters (so that a chain can never loop). */
extern const char *const cmdline_one_shot[];

#endif
