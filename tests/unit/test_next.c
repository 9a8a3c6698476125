/* kexec/next.c: the note next-sync writes, the next reboot's decision, the
 * ISO time of status. */
#include "t.h"
#include "kexec/next.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *note_root(const char *text)
{
	static char dir[512];
	char path[600];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/next", t_tmpdir());
	snprintf(path, sizeof(path), "%s/run", dir);
	mkdir(dir, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/run/warmboot", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s" REBOOT_NOTE_PATH, dir);
	if (text) {
		f = fopen(path, "w");
		fputs(text, f);
		fclose(f);
	} else {
		remove(path);
	}
	setenv("WARMBOOT_ROOT", dir, 1);
	return dir;
}

TEST(iso_time_is_utc_across_leap_days_and_before_the_epoch)
{
	char buf[32];

	reboot_time_iso(0, buf, sizeof(buf));
	CHECK_STR(buf, "1970-01-01T00:00:00Z");
	reboot_time_iso(951782400, buf, sizeof(buf));
	CHECK_STR(buf, "2000-02-29T00:00:00Z");
	reboot_time_iso(1764609600 + 3599, buf, sizeof(buf));
	CHECK_STR(buf, "2025-12-01T18:19:59Z");
	reboot_time_iso(-1, buf, sizeof(buf));
	CHECK_STR(buf, "1969-12-31T23:59:59Z");
}

TEST(next_reboot_follows_the_kernel_and_the_note)
{
	struct kexec_record rec = { .kernel = "/boot/vmlinuz-6.1.0-57-amd64", .loaded_at = 100 };
	struct next_reboot nr;

	note_root(NULL);
	next_reboot_decide(&nr, 0, 0, NULL);
	CHECK_INT(nr.via, REBOOT_FIRMWARE);
	CHECK_STR(nr.reason, "nothing is loaded for kexec");
	next_reboot_decide(&nr, 0, 1, NULL);
	CHECK(strstr(nr.reason, "kexec_load_disabled=1"));
	note_root("via=firmware\nreason=check of default failed (boot): initrd: bad\nsystemd=252\n");
	next_reboot_decide(&nr, 0, 0, NULL);
	CHECK_STR(nr.reason, "check of default failed (boot): initrd: bad");
	CHECK_INT(nr.note.systemd, 252);
	/* a kernel loaded although the note says firmware: the kernel wins */
	next_reboot_decide(&nr, 1, 0, &rec);
	CHECK_INT(nr.via, REBOOT_KEXEC);
	CHECK(nr.initrd_sha256 == NULL);
	/* the note of this very load gives its reason and the initrd's sum */
	note_root("via=kexec\nreason=kept loaded\nkernel=/boot/vmlinuz-6.1.0-57-amd64\n"
		  "loaded_at=100\ninitrd_sha256=ab12\nsetting=kexec\nat=101\n");
	next_reboot_decide(&nr, 1, 0, &rec);
	CHECK_STR(nr.reason, "kept loaded");
	CHECK_STR(nr.initrd_sha256, "ab12");
	CHECK_STR(nr.note.setting, "kexec");
	CHECK_INT(nr.note.at, 101);
	/* another load since: not this note's */
	rec.loaded_at = 200;
	next_reboot_decide(&nr, 1, 0, &rec);
	CHECK(nr.initrd_sha256 == NULL);
	CHECK(strstr(nr.reason, "not kept in step"));
	/* unloaded since next-sync loaded it */
	next_reboot_decide(&nr, 0, 0, NULL);
	CHECK(strstr(nr.reason, "unloaded since"));
	next_reboot_decide(&nr, 1, 0, NULL);
	CHECK(strstr(nr.reason, "another program"));
	unsetenv("WARMBOOT_ROOT");
}
