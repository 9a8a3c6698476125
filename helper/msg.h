/* Uniform messages: "warmboot: fatal: unable to open /dev/sdb: Permission denied".
 * Only command code (cmd/, main.c) prints; library code returns -errno. */
#ifndef WB_MSG_H
#define WB_MSG_H

enum msg_level { MSG_FATAL, MSG_ERROR, MSG_WARN, MSG_INFO, MSG_DEBUG };

void msg_set_verbosity(int level);
/* Also copy messages to /dev/kmsg: on by default in early boot. */
void msg_set_kmsg(int on);
void msg_init(void);

/* err is a positive errno to append as ": strerror(err)", or 0. */
void msg(enum msg_level level, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define fatal(err, ...) msg(MSG_FATAL, (err), __VA_ARGS__)
#define error(err, ...) msg(MSG_ERROR, (err), __VA_ARGS__)
#define warn(err, ...) msg(MSG_WARN, (err), __VA_ARGS__)
#define info(...) msg(MSG_INFO, 0, __VA_ARGS__)
#define debug(...) msg(MSG_DEBUG, 0, __VA_ARGS__)

#endif
