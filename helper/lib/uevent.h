/* Kernel uevents (NETLINK_KOBJECT_UEVENT): lets a wait for new devices sleep
 * until the kernel announces one instead of re-reading sysfs in a loop. */
#ifndef WB_UEVENT_H
#define WB_UEVENT_H

/* A non-blocking socket receiving every kernel uevent; -errno when netlink
 * is not available (a restricted namespace): callers then poll sysfs. Open it
 * before looking at sysfs, so no event falls between the two. */
int uevent_open(void);

/* Reads the uevents pending on fd; 1 when one of them contains text (for
 * example "SUBSYSTEM=block"), or when text is NULL and one announced a new
 * device ("add@"); 0 otherwise. */
int uevent_drain(int fd, const char *text);

/* Waits at most timeout_ms for a uevent as uevent_drain matches: 1 when one
 * came, 0 when the time ran out, -errno on a poll error. */
int uevent_wait(int fd, int timeout_ms, const char *text);

#endif
