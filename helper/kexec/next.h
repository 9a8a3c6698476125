/* What the next reboot will be: a kexec into the loaded kernel or the
 * firmware, and why, from the kernel's state, warmboot's load record and
 * the note /usr/lib/warmboot/next-sync keeps in /run/warmboot/reboot (for
 * `warmboot status`). All paths are read under sys_root(). */
#ifndef WB_KEXEC_NEXT_H
#define WB_KEXEC_NEXT_H

#include "kexec/state.h"

#include <stddef.h>

#define REBOOT_NOTE_PATH "/run/warmboot/reboot"

/* The note, as next-sync writes it (key=value lines). */
struct reboot_note {
	char via[16];		/* "kexec", "firmware"; "" without a note */
	char reason[1024];
	char setting[16];	/* WARMBOOT_REBOOT as next-sync read it */
	char kernel[PATH_MAX];	/* with loaded_at: which load the note is of */
	long long loaded_at;
	char initrd_sha256[65];
	int systemd;		/* the systemd major, 0 when unknown */
	long long at;		/* when next-sync decided */
};

/* -ENOENT when next-sync never ran this boot. */
int reboot_note_read(struct reboot_note *note);

enum reboot_via { REBOOT_FIRMWARE, REBOOT_KEXEC };

struct next_reboot {
	enum reboot_via via;
	const char *reason;	/* why, in words (points into note or a constant) */
	const struct kexec_record *rec;	/* the loaded kernel; NULL if unknown */
	const char *initrd_sha256;	/* NULL unless the note is of this load */
	struct reboot_note note;
	int have_note;
};

/* Decide from loaded (/sys/kernel/kexec_loaded), disabled, the load record
 * (NULL when warmboot recorded none) and the note. */
void next_reboot_decide(struct next_reboot *nr, int loaded, int disabled,
			const struct kexec_record *rec);

/* Seconds since the epoch as 2026-12-01T17:00:00Z (UTC; without strftime,
 * whose locale and zone code costs 6 KiB of the static binary). */
void reboot_time_iso(long long t, char *buf, size_t len);

#endif
