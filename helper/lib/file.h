/* Reading files: two small pieces (an open that retries, a read until done)
 * make both readers, as skalibs builds openreadnclose. Paths are used as
 * given: callers compose sys_root() in front where a test tree applies. */
#ifndef WB_LIB_FILE_H
#define WB_LIB_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* read() until len bytes or end of file, across EINTR and short reads:
 * the count read, or -errno. */
ssize_t read_full(int fd, void *buf, size_t len);
/* A small text file (sysfs, procfs): NUL-terminated into buf, trailing
 * newlines and spaces dropped. 0, -E2BIG when it does not fit in len - 1
 * bytes, or -errno. */
int read_text(const char *path, char *buf, size_t len);
/* A whole file, or what remains of an open one, into a new buffer of
 * *lenp bytes plus a NUL (not counted). -EFBIG when longer than max.
 * 0 or -errno; *out is the caller's to free. */
int read_file(const char *path, size_t max, char **out, size_t *lenp);
int read_fd(int fd, size_t max, char **out, size_t *lenp);

#endif
