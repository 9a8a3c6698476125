/* warmboot status: is a kernel loaded, and which; what the next reboot is. */
#include "cmd.h"
#include "lib/json.h"
#include "kexec/next.h"
#include "kexec/state.h"
#include "msg.h"
#include "sys/sys.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const struct command cmd_status;

/* What status reports. */
struct status {
	int loaded, have_rec, disabled;
	struct kexec_record rec;
	char lockdown[32];	/* "" without the lockdown LSM */
	struct next_reboot next;
};

/* systemd >= 255 kexecs `systemctl reboot` too (logind's REBOOT_VIA_KEXEC). */
#define SYSTEMD_AUTO_KEXEC 255

/* Which reboot commands land in the loaded kernel, by systemd release. */
static const char *kexec_commands(int systemd)
{
	if (!systemd)
		return NULL;
	if (systemd >= SYSTEMD_AUTO_KEXEC)
		return "systemctl reboot, reboot, shutdown -r, systemctl kexec (not with"
		       " SYSTEMCTL_SKIP_AUTO_KEXEC=1 or --force)";
	return "reboot, shutdown -r, systemctl kexec (systemctl reboot and reboot -f"
	       " go through the firmware)";
}

static void json_next(struct json *j, const struct next_reboot *nr)
{
	const struct kexec_record *rec = nr->rec;
	const struct reboot_note *note = &nr->note;

	json_object_begin(j, "next_reboot");
	json_string(j, "via", nr->via == REBOOT_KEXEC ? "kexec" : "firmware");
	json_string(j, "reason", nr->reason);
	if (rec) {
		json_string(j, "release", rec->release);
		json_string(j, "kernel", rec->kernel);
		json_string(j, "initrd", rec->initrd);
		json_string(j, "cmdline", rec->cmdline);
		json_int(j, "loaded_at", rec->loaded_at);
	}
	if (nr->initrd_sha256)
		json_string(j, "initrd_sha256", nr->initrd_sha256);
	else
		json_null(j, "initrd_sha256");
	if (nr->have_note && note->setting[0])
		json_string(j, "setting", note->setting);
	else
		json_null(j, "setting");
	if (nr->have_note && note->systemd)
		json_int(j, "systemd", note->systemd);
	else
		json_null(j, "systemd");
	if (nr->have_note)
		json_int(j, "decided_at", note->at);
	else
		json_null(j, "decided_at");
	json_object_end(j);
}

static void print_next(const struct next_reboot *nr)
{
	const struct kexec_record *rec = nr->rec;
	const char *cmds = nr->have_note ? kexec_commands(nr->note.systemd) : NULL;
	char when[32];

	if (nr->via == REBOOT_FIRMWARE) {
		printf("next reboot: firmware\n");
	} else if (!rec) {
		printf("next reboot: kexec into a kernel warmboot did not load\n");
	} else {
		reboot_time_iso(rec->loaded_at, when, sizeof(when));
		printf("next reboot: kexec into %s with initrd %s%s%s%s and command line \"%s\","
		       " loaded at %s\n", rec->release[0] ? rec->release : rec->kernel,
		       rec->initrd[0] ? rec->initrd : "(none)",
		       nr->initrd_sha256 ? " (sha256 " : "",
		       nr->initrd_sha256 ? nr->initrd_sha256 : "", nr->initrd_sha256 ? ")" : "",
		       rec->cmdline, when);
	}
	printf("why: %s\n", nr->reason);
	if (nr->via == REBOOT_KEXEC && cmds)
		printf("kexec on systemd %d: %s\n", nr->note.systemd, cmds);
}

static void print_json(const struct status *st)
{
	const struct kexec_record *rec = &st->rec;
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_bool(&j, "loaded", st->loaded);
	json_bool(&j, "kexec_disabled", st->disabled);
	if (st->lockdown[0])
		json_string(&j, "lockdown", st->lockdown);
	else
		json_null(&j, "lockdown");
	if (st->loaded && st->have_rec) {
		json_object_begin(&j, "recorded");
		json_string(&j, "kernel", rec->kernel);
		json_string(&j, "initrd", rec->initrd);
		json_string(&j, "release", rec->release);
		json_string(&j, "cmdline", rec->cmdline);
		json_int(&j, "loaded_at", rec->loaded_at);
		json_object_end(&j);
	}
	json_next(&j, &st->next);
	json_object_end(&j);
	json_finish(&j);
}

static void print_text(const struct status *st)
{
	const struct kexec_record *rec = &st->rec;

	printf("loaded: %s\n", st->loaded ? "yes" : "no");
	if (st->loaded && st->have_rec) {
		printf("kernel: %s\n", rec->kernel);
		printf("release: %s\n", rec->release[0] ? rec->release : "-");
		printf("initrd: %s\n", rec->initrd[0] ? rec->initrd : "-");
		printf("cmdline: %s\n", rec->cmdline);
		printf("loaded_at: %lld\n", rec->loaded_at);
	} else if (st->loaded) {
		printf("kernel: (not loaded by warmboot)\n");
	}
	printf("kexec: %s\n", st->disabled ? "disabled (kexec_load_disabled=1)" : "allowed");
	printf("lockdown: %s\n", st->lockdown[0] ? st->lockdown : "-");
	print_next(&st->next);
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct status st = { .loaded = 0 };
	int json = 0, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': return cmd_help(&cmd_status);
		default:
			return cmd_usage_error(&cmd_status, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_status, "unexpected argument '%s'", argv[optind]);
	st.loaded = kexec_is_loaded();
	if (st.loaded < 0) {
		fatal(-st.loaded, "unable to read %s/sys/kernel/kexec_loaded", sys_root());
		return EXIT_SYSTEM;
	}
	st.have_rec = !kexec_record_read(&st.rec);
	st.disabled = kexec_is_disabled() == 1;
	if (kexec_lockdown(st.lockdown, sizeof(st.lockdown)))
		st.lockdown[0] = 0;
	next_reboot_decide(&st.next, st.loaded, st.disabled, st.have_rec ? &st.rec : NULL);
	if (json)
		print_json(&st);
	else
		print_text(&st);
	return st.loaded ? EXIT_OK : EXIT_PROBLEM;
}

const struct command cmd_status = {
	.name = "status",
	.summary = "show which kernel is loaded for kexec and what the next reboot is",
	.run = run,
};
