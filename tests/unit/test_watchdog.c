/* kexec/watchdog against a fixture sysfs, through the recording layer. */
#include "t.h"
#include "kexec/watchdog.h"
#include "sys/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* $WARMBOOT_ROOT/sys with watchdog0 and the core's parameter. */
static void sysfs(const char *state, const char *nowayout, const char *stop)
{
	static const char *const dirs[] = { "/sys", "/sys/class", "/sys/class/watchdog",
		"/sys/class/watchdog/watchdog0", "/sys/module", "/sys/module/watchdog",
		"/sys/module/watchdog/parameters" };
	const char *files[][2] = {
		{ "/sys/class/watchdog/watchdog0/identity", "i6300ESB timer\n" },
		{ "/sys/class/watchdog/watchdog0/state", state },
		{ "/sys/class/watchdog/watchdog0/nowayout", nowayout },
		{ "/sys/module/watchdog/parameters/stop_on_reboot", stop },
	};
	char p[4096];
	size_t i;
	FILE *f;

	setenv("WARMBOOT_ROOT", t_tmpdir(), 1);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t_tmpdir(), dirs[i]);
		mkdir(p, 0755);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t_tmpdir(), files[i][0]);
		if (!files[i][1]) {
			remove(p);
		} else if ((f = fopen(p, "w"))) {
			fputs(files[i][1], f);
			fclose(f);
		}
	}
}

TEST(read_names_the_watchdog_and_what_the_core_does_at_the_jump)
{
	struct watchdog_state w;

	sysfs("active\n", "1\n", "0\n");
	CHECK_INT(watchdog_read(&w), 0);
	CHECK_STR(w.identity, "i6300ESB timer");
	CHECK_INT(w.active, 1);
	CHECK_INT(w.nowayout, 1);
	CHECK_INT(w.stop_on_reboot, 0);
	CHECK(!watchdog_unusable(&w));
	sysfs("inactive\n", "0\n", "-1\n");
	CHECK_INT(watchdog_read(&w), 0);
	CHECK_INT(w.active, 0);
	CHECK_INT(w.nowayout, 0);
	CHECK_INT(w.stop_on_reboot, -1);
	CHECK(strstr(watchdog_unusable(&w), "watchdog.stop_on_reboot=0") != NULL);
	/* no parameter file: the core's default, the driver decides */
	sysfs("inactive\n", "0\n", NULL);
	CHECK_INT(watchdog_read(&w), 0);
	CHECK_INT(w.stop_on_reboot, -1);
}

TEST(read_without_a_watchdog_is_enoent)
{
	struct watchdog_state w;

	setenv("WARMBOOT_ROOT", "/nonexistent", 1);
	CHECK_INT(watchdog_read(&w), -ENOENT);
}

TEST(arm_sets_the_timeout_and_pings_keeping_the_fd)
{
	int s = 30, fd;

	sys_record_reset();
	fd = watchdog_arm(&s);
	CHECK(fd >= 0);
	CHECK_INT(s, 30);
	CHECK_STR(sys_record_log(), "open_dev /dev/watchdog 0x1\n"
		  "ioctl /dev/watchdog WDIOC_SETTIMEOUT 30\n"
		  "ioctl /dev/watchdog WDIOC_KEEPALIVE\n");
	CHECK_INT(watchdog_disarm(fd), 0);
}

TEST(arm_that_fails_disarms_what_it_opened)
{
	int s = 30;

	sys_record_reset();
	sys_record_fail("WDIOC_KEEPALIVE", EIO);
	CHECK_INT(watchdog_arm(&s), -EIO);
	CHECK_STR(sys_record_log(), "open_dev /dev/watchdog 0x1\n"
		  "ioctl /dev/watchdog WDIOC_SETTIMEOUT 30\n"
		  "ioctl /dev/watchdog WDIOC_KEEPALIVE = -EIO\n"
		  "write_dev /dev/watchdog \"V\"\n");
	sys_record_reset();
	sys_record_fail("open_dev", EBUSY);
	CHECK_INT(watchdog_arm(&s), -EBUSY);
}
