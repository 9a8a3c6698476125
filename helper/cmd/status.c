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

static const char usage[] =
	"Usage: warmboot status [--json]\n"
	"\n"
	"Show whether a kernel is loaded for kexec (/sys/kernel/kexec_loaded),\n"
	"what warmboot recorded when it loaded it (/run/warmboot/kexec), and\n"
	"whether kexec is allowed here. Exit 0 when a kernel is loaded, 1 when not.\n"
	"  --json   print one JSON object\n";

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kexec_record rec;
	char lockdown[32] = "";
	struct json j;
	int json = 0, c, loaded, have_rec, disabled;

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
	loaded = kexec_is_loaded();
	if (loaded < 0) {
		fatal(-loaded, "unable to read %s/sys/kernel/kexec_loaded", sys_root());
		return EXIT_SYSTEM;
	}
	have_rec = !kexec_record_read(&rec);
	disabled = kexec_is_disabled() == 1;
	if (kexec_lockdown(lockdown, sizeof(lockdown)))
		lockdown[0] = 0;
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_bool(&j, "loaded", loaded);
		json_bool(&j, "kexec_disabled", disabled);
		if (lockdown[0])
			json_string(&j, "lockdown", lockdown);
		else
			json_null(&j, "lockdown");
		if (loaded && have_rec) {
			json_object_begin(&j, "recorded");
			json_string(&j, "kernel", rec.kernel);
			json_string(&j, "initrd", rec.initrd);
			json_string(&j, "release", rec.release);
			json_string(&j, "cmdline", rec.cmdline);
			json_int(&j, "loaded_at", rec.loaded_at);
			json_object_end(&j);
		}
		json_object_end(&j);
		json_finish(&j);
		return loaded ? EXIT_OK : EXIT_PROBLEM;
	}
	printf("loaded: %s\n", loaded ? "yes" : "no");
	if (loaded && have_rec) {
		printf("kernel: %s\n", rec.kernel);
		printf("release: %s\n", rec.release[0] ? rec.release : "-");
		printf("initrd: %s\n", rec.initrd[0] ? rec.initrd : "-");
		printf("cmdline: %s\n", rec.cmdline);
		printf("loaded_at: %lld\n", rec.loaded_at);
	} else if (loaded) {
		printf("kernel: (not loaded by warmboot)\n");
	}
	printf("kexec: %s\n", disabled ? "disabled (kexec_load_disabled=1)" : "allowed");
	printf("lockdown: %s\n", lockdown[0] ? lockdown : "-");
	return loaded ? EXIT_OK : EXIT_PROBLEM;
}

const struct command cmd_status = {
	.name = "status",
	.summary = "show whether and which kernel is loaded for kexec",
	.usage = usage,
	.run = run,
};
