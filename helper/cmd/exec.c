/* warmboot exec: jump into the kernel `warmboot load` loaded. */
#include "cmd.h"
#include "cmd/kexec.h"

#include <getopt.h>

const struct command cmd_exec;

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exec", no_argument, NULL, 'e' },
		{ "watchdog", required_argument, NULL, 'w' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, watchdog = 0, force = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+ehw:F", opts, NULL)) != -1) {
		switch (c) {
		case 'e': break;
		case 'w':
			if (kexec_cmd_watchdog_arg(&cmd_exec, optarg, &watchdog))
				return EXIT_USAGE;
			break;
		case 'F': force = 1; break;
		case 'h': return cmd_help(&cmd_exec);
		default:
			return cmd_usage_error(&cmd_exec, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_exec, "unexpected argument '%s'", argv[optind]);
	return kexec_cmd_exec(watchdog, force);
}

const struct command cmd_exec = {
	.name = "exec",
	.summary = "jump into the loaded kernel (after sync and md quiesce)",
	.run = run,
};
