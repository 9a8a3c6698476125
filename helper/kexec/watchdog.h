/* The hardware watchdog that guards a jump: `exec --watchdog` arms
 * /dev/watchdog and keeps it open across the jump, so a next kernel that
 * hangs before its early userspace takes the watchdog over is reset through
 * firmware. The state comes from sysfs: watchdog0 is /dev/watchdog. */
#ifndef WB_KEXEC_WATCHDOG_H
#define WB_KEXEC_WATCHDOG_H

#define WATCHDOG_DEV "/dev/watchdog"

struct watchdog_state {
	char identity[64];	/* "i6300ESB timer" */
	int active, nowayout;
	int stop_on_reboot;	/* watchdog.stop_on_reboot: -1 the driver decides */
};

/* The state of watchdog0: 0, -ENOENT when there is none. */
int watchdog_read(struct watchdog_state *w);
/* Why the watchdog cannot guard a jump, or NULL when it can: the watchdog
 * core stops it at the jump (a reboot notifier) unless
 * watchdog.stop_on_reboot=0. */
const char *watchdog_unusable(const struct watchdog_state *w);
/* Open /dev/watchdog, set *seconds (the driver may round it: *seconds is
 * what it took) and ping: the fd (left open: closing without the magic 'V'
 * would leave it armed too, but the fd says it is ours) or -errno; on
 * failure a watchdog opened is disarmed again. */
int watchdog_arm(int *seconds);
int watchdog_keepalive(int fd);
/* The magic close: write 'V', close. A nowayout watchdog stays armed. */
int watchdog_disarm(int fd);

#endif
