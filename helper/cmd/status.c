/* warmboot status: is a kernel loaded, and which. */
#include "cmd.h"
#include "lib/json.h"
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
};

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
	if (json)
		print_json(&st);
	else
		print_text(&st);
	return st.loaded ? EXIT_OK : EXIT_PROBLEM;
}

const struct command cmd_status = {
	.name = "status",
	.summary = "show whether and which kernel is loaded for kexec",
	.run = run,
};
