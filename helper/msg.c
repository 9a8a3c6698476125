/* Messages as "warmboot: LEVEL: text: strerror" on stderr, filtered by
 * verbosity, and copied to /dev/kmsg in early boot (or $WARMBOOT_KMSG). */
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define RAMFS_MAGIC_ 0x858458f6
#define TMPFS_MAGIC_ 0x01021994

static int verbosity = MSG_INFO;
static int kmsg_fd = -1;

static const char *const level_name[] = {
	[MSG_FATAL] = "fatal", [MSG_ERROR] = "error", [MSG_WARN] = "warning",
	[MSG_INFO] = "info", [MSG_DEBUG] = "debug",
};
/* syslog priorities for /dev/kmsg */
static const int level_prio[] = {
	[MSG_FATAL] = 2, [MSG_ERROR] = 3, [MSG_WARN] = 4,
	[MSG_INFO] = 6, [MSG_DEBUG] = 7,
};

void msg_set_verbosity(int level)
{
	verbosity = level;
}

void msg_set_kmsg(int on)
{
	if (!on) {
		if (kmsg_fd >= 0)
			close(kmsg_fd);
		kmsg_fd = -1;
		return;
	}
	if (kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

/* Early boot means the root is still the initramfs (ramfs or tmpfs): there
 * nobody may read the console, so messages also go to the kernel log. */
static int in_early_boot(void)
{
	struct statfs s;

	if (statfs("/", &s) < 0)
		return 0;
	return s.f_type == RAMFS_MAGIC_ || s.f_type == TMPFS_MAGIC_;
}

void msg_init(void)
{
	const char *e = getenv("WARMBOOT_KMSG");

	if (e && *e)
		msg_set_kmsg(strcmp(e, "0") != 0);
	else
		msg_set_kmsg(in_early_boot());
	e = getenv("WARMBOOT_DEBUG");
	if (e && *e && strcmp(e, "0") != 0)
		verbosity = MSG_DEBUG;
}

void msg(enum msg_level level, int err, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n;

	if ((int)level > verbosity)
		return;
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (err)
		fprintf(stderr, "warmboot: %s: %s: %s\n", level_name[level], text, strerror(err));
	else
		fprintf(stderr, "warmboot: %s: %s\n", level_name[level], text);
	if (kmsg_fd >= 0 && level != MSG_DEBUG) {
		if (err)
			dprintf(kmsg_fd, "<%d>warmboot: %s: %s: %s\n", level_prio[level],
				level_name[level], text, strerror(err));
		else
			dprintf(kmsg_fd, "<%d>warmboot: %s: %s\n", level_prio[level],
				level_name[level], text);
	}
}
