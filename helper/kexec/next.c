/* The next reboot: kexec or firmware, and why. */
#include "kexec/next.h"
#include "lib/file.h"
#include "sys/sys.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum note_kind { NOTE_STR, NOTE_LL, NOTE_INT };

/* The note's keys, where each goes in struct reboot_note. */
static const struct {
	const char *key;
	enum note_kind kind;
	size_t offset, size;
} note_keys[] = {
#define STR(f) { #f, NOTE_STR, offsetof(struct reboot_note, f), sizeof(((struct reboot_note *)0)->f) }
#define NUM(f, k) { #f, k, offsetof(struct reboot_note, f), 0 }
	STR(via), STR(reason), STR(setting), STR(kernel), STR(initrd_sha256),
	NUM(loaded_at, NOTE_LL), NUM(at, NOTE_LL), NUM(systemd, NOTE_INT),
#undef STR
#undef NUM
};

static void note_set(struct reboot_note *note, const char *key, const char *value)
{
	char *base = (char *)note;
	size_t i;

	for (i = 0; i < sizeof(note_keys) / sizeof(note_keys[0]); i++) {
		if (strcmp(key, note_keys[i].key))
			continue;
		if (note_keys[i].kind == NOTE_STR)
			snprintf(base + note_keys[i].offset, note_keys[i].size, "%s", value);
		else if (note_keys[i].kind == NOTE_LL)
			*(long long *)(base + note_keys[i].offset) = strtoll(value, NULL, 10);
		else
			*(int *)(base + note_keys[i].offset) = atoi(value);
		return;
	}
}

int reboot_note_read(struct reboot_note *note)
{
	char path[PATH_MAX], *text, *line, *next;
	size_t len;
	int r;

	memset(note, 0, sizeof(*note));
	snprintf(path, sizeof(path), "%s" REBOOT_NOTE_PATH, sys_root());
	r = read_file(path, 64 * 1024, &text, &len);
	if (r)
		return r;
	for (line = text; line && *line; line = next) {
		char *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		eq = strchr(line, '=');
		if (eq) {
			*eq = 0;
			note_set(note, line, eq + 1);
		}
	}
	free(text);
	return 0;
}

/* The note speaks of this load (next-sync loaded what is loaded now). */
static int note_is_of(const struct reboot_note *note, const struct kexec_record *rec)
{
	return rec && !strcmp(note->via, "kexec") && note->loaded_at == rec->loaded_at &&
	       !strcmp(note->kernel, rec->kernel);
}

static const char *firmware_reason(const struct next_reboot *nr, int disabled)
{
	if (disabled)
		return "kexec is disabled until the next boot (kexec_load_disabled=1)";
	if (!nr->have_note)
		return "nothing is loaded for kexec";
	if (!strcmp(nr->note.via, "firmware"))
		return nr->note.reason;
	return "nothing is loaded for kexec (the kernel next-sync loaded was unloaded since)";
}

void next_reboot_decide(struct next_reboot *nr, int loaded, int disabled,
			const struct kexec_record *rec)
{
	memset(nr, 0, sizeof(*nr));
	nr->have_note = !reboot_note_read(&nr->note);
	if (!loaded) {
		nr->via = REBOOT_FIRMWARE;
		nr->reason = firmware_reason(nr, disabled);
		return;
	}
	nr->via = REBOOT_KEXEC;
	nr->rec = rec;
	if (nr->have_note && note_is_of(&nr->note, rec)) {
		nr->reason = nr->note.reason;
		nr->initrd_sha256 = nr->note.initrd_sha256[0] ? nr->note.initrd_sha256 : NULL;
	} else if (rec) {
		nr->reason = "loaded by `warmboot load` or the kernel hook's preload, not kept in step";
	} else {
		nr->reason = "loaded by another program than warmboot (kexec-tools?)";
	}
}

/* Days since 1970-01-01 to the proleptic Gregorian date (H. Hinnant's
 * civil_from_days). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void reboot_time_iso(long long t, char *buf, size_t len)
{
	long long days = t / 86400, secs = t % 86400, y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, secs / 3600,
		 secs / 60 % 60, secs % 60);
}
