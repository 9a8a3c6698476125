/* assemble --wait: rescan on each block uevent (or every 100 ms without
 * netlink) until every array seen has the members it records as working. */
#include "md/wait.h"
#include "lib/clock.h"
#include "lib/uevent.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Members present for the array, and those its freshest superblock
 * records as working (what mdadm needs to start it without --run). */
static void count_members(const struct md_scan *scan, const uint8_t uuid[16],
			  unsigned *have, unsigned *need)
{
	const struct md_member *fresh = NULL;
	unsigned i;
	uint32_t r;

	*have = *need = 0;
	for (i = 0; i < scan->dev.n; i++) {
		const struct md_member *m = &scan->dev.v[i].found.m;
		if (scan->dev.v[i].found.format < 0 || scan->dev.v[i].found.problem ||
		    memcmp(m->uuid, uuid, 16))
			continue;
		if (m->role < m->raid_disks)
			(*have)++;
		if (!fresh || m->events > fresh->events)
			fresh = m;
	}
	for (r = 0; fresh && r < fresh->nroles; r++)
		if (fresh->roles[r] < fresh->raid_disks)
			(*need)++;
}

int md_scan_complete(const struct md_scan *scan, const struct md_conf *conf)
{
	unsigned i, have, need;

	for (i = 0; i < scan->dev.n; i++) {
		const struct md_seen *s = &scan->dev.v[i];
		if (s->found.format < 0 || s->found.problem)
			continue;
		count_members(scan, s->found.m.uuid, &have, &need);
		if (have < need)
			return 0;
	}
	for (i = 0; conf && i < conf->narrays; i++) {
		if (!conf->arrays[i].uuid_set || !strcmp(conf->arrays[i].devname, "<ignore>"))
			continue;
		count_members(scan, conf->arrays[i].uuid, &have, &need);
		if (!have)
			return 0;
	}
	return 1;
}

int md_wait_for_members(const struct md_conf *conf, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	struct md_scan scan;
	int fd, err, done;

	/* listen before looking, so no event falls between the two */
	fd = uevent_open();
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
		if (uevent_wait(fd, (int)(deadline - now_ms()), "SUBSYSTEM=block") < 0)
			usleep(100000);
		usleep(20000);	/* let a burst of uevents settle */
		uevent_drain(fd, NULL);
	}
	if (fd >= 0)
		close(fd);
	return err;
}
