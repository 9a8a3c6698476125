/* warmboot load: load the next kernel with kexec_file_load. */
#include "cmd.h"
#include "cmd/kexec.h"

const struct command cmd_load;

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
	.run = run,
};
