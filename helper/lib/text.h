/* Small text helpers for /proc and /sys files (no scanf: it is big). */
#ifndef WB_TEXT_H
#define WB_TEXT_H

#include <stddef.h>

/* The first line of a file, without its newline. 0 or -errno. */
int read_first_line(const char *path, char *buf, size_t len);
/* "8:16" -> 8, 16. 0, or -EINVAL when not MAJOR:MINOR. */
int parse_devnum(const char *text, unsigned *major, unsigned *minor);
/* Split line in place at blanks into at most max words; returns the count. */
int split_words(char *line, char **words, int max);

#endif
