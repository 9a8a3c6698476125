/* Kernel uevents over NETLINK_KOBJECT_UEVENT: open, drain, and a poll
 * with a deadline, so waits sleep until the kernel announces a device. */
#include "lib/uevent.h"
#include "lib/clock.h"

#include <errno.h>
#include <linux/netlink.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int uevent_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int uevent_drain(int fd, const char *text)
{
	char buf[4096];
	ssize_t n;
	int hit = 0;

	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = 0;
		/* a message is "ACTION@DEVPATH\0KEY=VALUE\0...": memmem sees
		 * past the NULs */
		if (text ? memmem(buf, (size_t)n, text, strlen(text)) != NULL
			 : !strncmp(buf, "add@", 4))
			hit = 1;
	}
	return hit;
}

int uevent_wait(int fd, int timeout_ms, const char *text)
{
	long deadline = now_ms() + timeout_ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		long left = deadline - now_ms();
		int r = poll(&p, 1, left > 0 ? (int)left : 0);

		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0 && uevent_drain(fd, text))
			return 1;
		if (left <= 0)
			return 0;
	}
}
