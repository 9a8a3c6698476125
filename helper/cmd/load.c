/* warmboot load: load the next kernel with kexec_file_load. */
#include "cmd.h"
#include "cmd/kexec.h"

const struct command cmd_load;

static const char usage[] =
	"Usage: warmboot load [ENTRY|KERNEL] [--initrd FILE] [--append ARGS]\n"
	"                     [--command-line ARGS] [--reuse-cmdline]\n"
	"                     [--remove NAME]... [--root DIR] [--force]\n"
	"\n"
	"Load the next kernel with kexec_file_load, for `warmboot exec`.\n"
	"ENTRY is `default` (the boot loader's default entry, the default when\n"
	"none is given), `latest`, a kernel version or a kernel path (see\n"
	"`warmboot entries`); a path's initrd.img-VERSION is found next to it.\n"
	"\n"
	"The command line is the running one (/proc/cmdline) without BOOT_IMAGE=,\n"
	"initrd= and warmboot.chain=, then the words of --append.\n"
	"  -l, --load            accepted for kexec-tools habits (loading is the\n"
	"                        point of this command); -s likewise\n"
	"  --initrd, --ramdisk FILE   the initrd (default: the entry's)\n"
	"  --append ARGS         add ARGS to the command line (repeatable)\n"
	"  --command-line ARGS   use ARGS instead of the running command line\n"
	"                        (--append is still added)\n"
	"  --reuse-cmdline       start from the running command line (default)\n"
	"  --remove NAME         drop parameter NAME (repeatable)\n"
	"  --root DIR            find entries under DIR instead of /\n"
	"  --force               load even when `warmboot check` finds a fatal\n"
	"                        problem (a malformed bzImage is always refused)\n"
	"Note: unlike kexec-tools, --append adds to the command line; use\n"
	"--command-line to replace it.\n";

static int run(int argc, char **argv)
{
	struct kexec_opts o;
	int r = kexec_opts_parse(&cmd_load, KEXEC_OPTS_LOAD, argc, argv, &o);

	if (r < 0)
		return cmd_help(&cmd_load);
	return r ? r : kexec_cmd_load(&o);
}

const struct command cmd_load = {
	.name = "load",
	.summary = "load the next kernel for kexec (kexec_file_load)",
	.usage = usage,
	.run = run,
};
