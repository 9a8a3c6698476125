#include "md_wait.h"

#include <errno.h>
#include <linux/netlink.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned members_of(const struct md_scan *scan, const uint8_t uuid[16])
{
	unsigned i, n = 0;

	for (i = 0; i < scan->n; i++)
		if (scan->dev[i].found.format >= 0 && !scan->dev[i].found.problem &&
		    !memcmp(scan->dev[i].found.m.uuid, uuid, 16))
			n++;
	return n;
}

static uint32_t expected(const struct md_conf *conf, const struct md_member *m)
{
	unsigned i;

	for (i = 0; conf && i < conf->narrays; i++)
		if (conf->arrays[i].uuid_set && !memcmp(conf->arrays[i].uuid, m->uuid, 16) &&
		    conf->arrays[i].raid_disks > 0)
			return (uint32_t)conf->arrays[i].raid_disks;
	return m->raid_disks;
}

int md_scan_complete(const struct md_scan *scan, const struct md_conf *conf)
{
	unsigned i;

	for (i = 0; i < scan->n; i++) {
		const struct md_seen *s = &scan->dev[i];
		if (s->found.format < 0 || s->found.problem)
			continue;
		if (members_of(scan, s->found.m.uuid) < expected(conf, &s->found.m))
			return 0;
	}
	for (i = 0; conf && i < conf->narrays; i++)
		if (conf->arrays[i].uuid_set && strcmp(conf->arrays[i].devname, "<ignore>") &&
		    !members_of(scan, conf->arrays[i].uuid))
			return 0;
	return 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int uevent_socket(void)
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

/* Drain pending uevents; 1 when one concerned block devices. */
static int block_event(int fd)
{
	char buf[4096];
	ssize_t n;
	int hit = 0;

	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = 0;
		if (memmem(buf, (size_t)n, "SUBSYSTEM=block", 15))
			hit = 1;
	}
	return hit;
}

int md_wait_for_members(const struct md_conf *conf, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	struct md_scan scan;
	int fd, err, done;

	/* listen before looking, so no event falls between the two */
	fd = uevent_socket();
	for (;;) {
		err = md_scan_system(conf, &scan);
		if (err)
			break;
		done = md_scan_complete(&scan, conf);
		md_scan_free(&scan);
		if (done || now_ms() >= deadline) {
			err = done;
			break;
		}
		if (fd < 0) {
			/* no netlink (e.g. a restricted namespace): poll sysfs */
			usleep(100000);
			continue;
		}
		{
			struct pollfd p = { .fd = fd, .events = POLLIN };
			long left = deadline - now_ms();
			if (poll(&p, 1, left > 0 ? (int)left : 0) > 0 && !block_event(fd))
				continue;
			usleep(20000);	/* let a burst of uevents settle */
			block_event(fd);
		}
	}
	if (fd >= 0)
		close(fd);
	return err;
}
