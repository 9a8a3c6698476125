/* warmboot exec: jump into the kernel `warmboot load` loaded. */
#include "cmd.h"
#include "cmd/kexec.h"

#include <getopt.h>

const struct command cmd_exec;

static const char usage[] =
	"Usage: warmboot exec\n"
	"\n"
	"Jump into the kernel loaded by `warmboot load` (reboot(LINUX_REBOOT_CMD_KEXEC)):\n"
	"sync, stop the md arrays nothing uses and mark the others clean, so no\n"
	"member's event count diverges, then execute the new kernel. Services are\n"
	"not stopped: on a running system use `warmboot reboot` (systemctl kexec).\n"
	"Refuses when nothing is loaded or `warmboot check` refuses a controller.\n"
	"  -e, --exec   accepted for kexec-tools habits\n"
	"  --force      jump despite the controller\n";

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exec", no_argument, NULL, 'e' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, force = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+eh", opts, NULL)) != -1) {
		switch (c) {
		case 'e': break;
		case 'F': force = 1; break;
		case 'h': return cmd_help(&cmd_exec);
		default:
			return cmd_usage_error(&cmd_exec, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_exec, "unexpected argument '%s'", argv[optind]);
	return kexec_cmd_exec(force);
}

const struct command cmd_exec = {
	.name = "exec",
	.summary = "jump into the loaded kernel (after sync and md quiesce)",
	.usage = usage,
	.run = run,
};
