/* warmboot check: would this kernel and initrd come up here? */
#include "boot/bootcfg.h"
#include "cmd.h"
#include "kexec/cmdline.h"
#include "lib/json.h"
#include "kexec/check.h"
#include "msg.h"
#include "sys/sys.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const struct command cmd_check;

static const char usage[] =
	"Usage: warmboot check [ENTRY|KERNEL] [--initrd FILE] [--append ARGS]\n"
	"                      [--command-line ARGS] [--remove NAME]...\n"
	"                      [--root DIR] [--json]\n"
	"\n"
	"Check a kernel and initrd before kexec: the bzImage header; the initrd's\n"
	"cpio archives (raw, zstd, xz, gzip); its /lib/modules/VERSION against the\n"
	"kernel; the md personalities and storage drivers the running arrays need;\n"
	"warmboot or mdadm and mdadm.conf in it (warnings when it is not an\n"
	"initramfs-tools image); the command line `warmboot load` would use (its\n"
	"length, root=); whether kexec is allowed; memory. Each finding is ok,\n"
	"warning or fatal. ENTRY as for `warmboot load` (default: default).\n"
	"Exit 1 when any finding is fatal.\n"
	"\n"
	"  --initrd FILE        check this initrd instead of the entry's\n"
	"  --append ARGS        as for load (repeatable)\n"
	"  --command-line ARGS  as for load\n"
	"  --remove NAME        as for load (repeatable)\n"
	"  --root DIR           find entries under DIR\n"
	"  --json               print one JSON object\n";

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "initrd", required_argument, NULL, 'i' },
		{ "append", required_argument, NULL, 'a' },
		{ "command-line", required_argument, NULL, 'c' },
		{ "remove", required_argument, NULL, 'x' },
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = NULL, *initrd = NULL, *base = NULL, *why;
	char append[4096] = "";
	const char *remove[32];
	size_t nremove = 0;
	char running[4096], cmdline[4096];
	struct kexec_check_input in;
	struct kexec_findings fs;
	struct boot_list l;
	struct boot_entry e;
	struct json j;
	int json = 0, c, r, fatals;
	size_t i;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': initrd = optarg; break;
		case 'a':
			if (cmdline_add_words(append, sizeof(append), optarg))
				return cmd_usage_error(&cmd_check, "--append arguments too long");
			break;
		case 'c': base = optarg; break;
		case 'x':
			if (nremove == sizeof(remove) / sizeof(remove[0]))
				return cmd_usage_error(&cmd_check, "more than %zu --remove", nremove);
			remove[nremove++] = optarg;
			break;
		case 'r': root = optarg; break;
		case 'j': json = 1; break;
		case 'h': return cmd_help(&cmd_check);
		default:
			return cmd_usage_error(&cmd_check, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 < argc)
		return cmd_usage_error(&cmd_check, "unexpected argument '%s'", argv[optind + 1]);
	r = bootcfg_scan(root, &l);
	if (r) {
		fatal(-r, "unable to list boot entries");
		return EXIT_SYSTEM;
	}
	r = bootcfg_choose(&l, optind < argc ? argv[optind] : "default", &e, &why);
	bootcfg_free(&l);
	if (r) {
		fatal(0, "no kernel for '%s': %s", optind < argc ? argv[optind] : "default", why);
		return EXIT_PROBLEM;
	}
	if (initrd) {
		snprintf(e.initrd[0], sizeof(e.initrd[0]), "%s", initrd);
		e.ninitrd = 1;
	}
	if (!base) {
		r = cmdline_read_running(running, sizeof(running));
		if (r) {
			fatal(-r, "unable to read %s/proc/cmdline", sys_root());
			return EXIT_SYSTEM;
		}
		base = running;
	}
	if (cmdline_compose(base, remove, nremove, append, cmdline, sizeof(cmdline))) {
		fatal(0, "the command line is longer than %zu bytes", sizeof(cmdline) - 1);
		return EXIT_PROBLEM;
	}
	memset(&in, 0, sizeof(in));
	in.kernel = e.kernel;
	in.cmdline = cmdline;
	in.initrds = (const char (*)[PATH_MAX])e.initrd;
	in.ninitrd = e.ninitrd;
	kexec_check_run(&in, &fs);
	fatals = kexec_findings_fatal(&fs);
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_string(&j, "kernel", e.kernel);
		json_string(&j, "release", fs.release);
		json_array_begin(&j, "initrd");
		for (r = 0; r < e.ninitrd; r++)
			json_string(&j, NULL, e.initrd[r]);
		json_array_end(&j);
		json_string(&j, "cmdline", cmdline);
		json_bool(&j, "ok", !fatals);
		json_array_begin(&j, "findings");
		for (i = 0; i < fs.n; i++) {
			json_object_begin(&j, NULL);
			json_string(&j, "level", finding_level_name(fs.v[i].level));
			json_string(&j, "check", fs.v[i].check);
			json_string(&j, "text", fs.v[i].text);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	} else {
		for (i = 0; i < fs.n; i++)
			printf("%-7s %-8s %s\n", finding_level_name(fs.v[i].level), fs.v[i].check,
			       fs.v[i].text);
	}
	kexec_findings_free(&fs);
	return fatals ? EXIT_PROBLEM : EXIT_OK;
}

const struct command cmd_check = {
	.name = "check",
	.summary = "check a kernel and initrd before kexec",
	.usage = usage,
	.run = run,
};
