/* The watchdog that guards a jump (see kexec/watchdog.h). */
#include "kexec/watchdog.h"
#include "lib/file.h"
#include "sys/sys.h"
#include "sys/watchdog_ioctl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_attr(const char *path, char *buf, size_t len)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s%s", sys_root(), path);
	return read_text(p, buf, len);
}

int watchdog_read(struct watchdog_state *w)
{
	char v[16];
	int r;

	memset(w, 0, sizeof(*w));
	r = read_attr("/sys/class/watchdog/watchdog0/identity", w->identity,
		      sizeof(w->identity));
	if (r)
		return r;
	w->active = !read_attr("/sys/class/watchdog/watchdog0/state", v, sizeof(v)) &&
		    !strcmp(v, "active");
	w->nowayout = !read_attr("/sys/class/watchdog/watchdog0/nowayout", v, sizeof(v)) &&
		      !strcmp(v, "1");
	/* built in or a module, the core's parameter is there once it runs */
	w->stop_on_reboot = read_attr("/sys/module/watchdog/parameters/stop_on_reboot",
				      v, sizeof(v)) ? -1 : atoi(v);
	return 0;
}

const char *watchdog_unusable(const struct watchdog_state *w)
{
	if (w->stop_on_reboot)
		return "the watchdog core stops it at the jump"
		       " (boot with watchdog.stop_on_reboot=0)";
	return NULL;
}

int watchdog_arm(int *seconds)
{
	int fd = sys_open_dev(WATCHDOG_DEV, O_WRONLY), r;

	if (fd < 0)
		return fd;
	r = sys_ioctl(fd, WDIOC_SETTIMEOUT, seconds);
	if (!r)
		r = watchdog_keepalive(fd);
	if (r) {
		watchdog_disarm(fd);
		return r;
	}
	return fd;
}

int watchdog_keepalive(int fd)
{
	return sys_ioctl(fd, WDIOC_KEEPALIVE, NULL);
}

int watchdog_disarm(int fd)
{
	int r = sys_write_dev(fd, "V", 1), c = sys_close_dev(fd);

	return r ? r : c;
}
