/* warmboot reboot: load, then jump. */
#include "cmd.h"
#include "cmd/kexec.h"
#include "msg.h"
#include "sys/sys.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct command cmd_reboot;

/* systemd runs the show, and we are not PID 1 (early boot). */
static int under_systemd(void)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/run/systemd/system", sys_root());
	return getpid() != 1 && !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int run(int argc, char **argv)
{
	static const char *const systemctl[] = { "/usr/bin/systemctl", "/bin/systemctl" };
	char path[PATH_MAX];
	struct kexec_opts o;
	size_t i;
	int rc, i_help;

	for (i_help = 1; i_help < argc; i_help++)
		if (!strcmp(argv[i_help], "--help") || !strcmp(argv[i_help], "-h"))
			return cmd_help(&cmd_reboot);
	rc = kexec_opts_parse(&cmd_reboot, KEXEC_OPTS_LOAD, argc, argv, &o);
	if (rc < 0)
		return cmd_help(&cmd_reboot);
	if (rc || (rc = kexec_cmd_load(&o)))
		return rc;
	if (!under_systemd())
		return kexec_cmd_exec(0, o.force);
	if ((rc = kexec_cmd_controllers(o.force, NULL)))
		return rc;
	/* the systemctl of this system: under sys_root(), so tests run a fake */
	for (i = 0; i < sizeof(systemctl) / sizeof(systemctl[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", sys_root(), systemctl[i]);
		if (access(path, X_OK))
			continue;
		fflush(NULL);
		execl(path, "systemctl", "kexec", (char *)NULL);
		fatal(errno, "unable to run %s kexec", path);
		return EXIT_SYSTEM;
	}
	fatal(0, "systemd is running but systemctl was not found; the kernel is loaded,"
	      " run `warmboot exec` after stopping services");
	return EXIT_SYSTEM;
}

const struct command cmd_reboot = {
	.name = "reboot",
	.summary = "load the next kernel and jump into it (systemctl kexec)",
	.run = run,
};
