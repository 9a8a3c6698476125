/* warmboot unload: drop the loaded kernel. */
#include "cmd.h"
#include "kexec/state.h"
#include "msg.h"
#include "sys/sys.h"

#include <getopt.h>
#include <stdio.h>

const struct command cmd_unload;

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unload", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kexec_failure f;
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+uh", opts, NULL)) != -1) {
		switch (c) {
		case 'u': break;
		case 'h': return cmd_help(&cmd_unload);
		default:
			return cmd_usage_error(&cmd_unload, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_unload, "unexpected argument '%s'", argv[optind]);
	r = sys_kexec_file_load(-1, -1, "", KEXEC_FILE_UNLOAD);
	if (r) {
		kexec_classify(-r, &f);
		fatal(-r, "unable to unload: %s", f.what);
		return EXIT_SYSTEM;
	}
	r = kexec_record_remove();
	if (r)
		warn(-r, "unloaded, but unable to remove %s" KEXEC_RECORD_PATH, sys_root());
	return EXIT_OK;
}

const struct command cmd_unload = {
	.name = "unload",
	.summary = "unload the kernel loaded for kexec",
	.run = run,
};
