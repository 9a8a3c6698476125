/* warmboot exec: jump into the kernel `warmboot load` loaded. */
#include "cmd.h"
#include "cmd/kexec.h"
#include "kexec/state.h"
#include "md/kernel.h"
#include "msg.h"
#include "sys/sys.h"
#include "lib/text.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct command cmd_exec;

static const char usage[] =
	"Usage: warmboot exec\n"
	"\n"
	"Jump into the kernel loaded by `warmboot load` (reboot(LINUX_REBOOT_CMD_KEXEC)):\n"
	"sync, stop the md arrays nothing uses and mark the others clean, so no\n"
	"member's event count diverges, then execute the new kernel. Services are\n"
	"not stopped: on a running system use `warmboot reboot` (systemctl kexec).\n"
	"Refuses when nothing is loaded.\n"
	"  -e, --exec   accepted for kexec-tools habits\n";

/* "major:minor" of /sys/block/NAME (and of NAME's partitions) is mounted,
 * or something holds NAME. */
static int md_in_use(const char *name)
{
	char path[512], line[1024], dev[32];
	struct dirent *e;
	FILE *f;
	DIR *d;
	int used = 0;

	snprintf(path, sizeof(path), "%s/sys/block/%s/holders", sys_root(), name);
	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			used |= e->d_name[0] != '.';
		closedir(d);
	}
	snprintf(path, sizeof(path), "/sys/block/%s/dev", name);
	if (used || kexec_read_text(path, dev, sizeof(dev)))
		return used;
	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", sys_root());
	f = fopen(path, "re");
	while (f && !used && fgets(line, sizeof(line), f)) {
		char copy[1024], *w[3];
		/* "ID PARENT MAJOR:MINOR ...", or the source after " - TYPE " is
		 * /dev/mdN or one of its partitions */
		memcpy(copy, line, sizeof(copy));
		if (split_words(copy, w, 3) == 3 && !strcmp(w[2], dev))
			used = 1;
		else {
			char *src = strstr(line, " - "), want[300];
			size_t l;
			snprintf(want, sizeof(want), "/dev/%s", name);
			l = strlen(want);
			if (src && (src = strchr(src + 3, ' ')) && !strncmp(src + 1, want, l) &&
			    (src[1 + l] == ' ' || src[1 + l] == 'p'))
				used = 1;
		}
	}
	if (f)
		fclose(f);
	return used;
}

int exec_quiesce_md(void)
{
	char path[512], state[64], attr[512];
	struct dirent *e;
	DIR *d;
	int failed = 0, r;

	snprintf(path, sizeof(path), "%s/sys/block", sys_root());
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "md", 2))
			continue;
		snprintf(attr, sizeof(attr), "/sys/block/%s/md/array_state", e->d_name);
		if (kexec_read_text(attr, state, sizeof(state)))
			continue;
		if (strcmp(state, "active") && strcmp(state, "active-idle") &&
		    strcmp(state, "clean") && strcmp(state, "write-pending"))
			continue;	/* inactive, read-only, clear: nothing to do */
		if (!md_in_use(e->d_name)) {
			r = md_stop(e->d_name);
			if (!r) {
				info("stopped %s", e->d_name);
				continue;
			}
			warn(-r, "unable to stop %s, marking it clean", e->d_name);
		}
		if (!strcmp(state, "clean"))
			continue;
		r = sys_write_attr(attr, "clean");
		if (r) {
			error(-r, "unable to mark %s clean", e->d_name);
			failed++;
		}
	}
	closedir(d);
	return failed;
}

int kexec_exec_loaded(void)
{
	int r = kexec_is_loaded();

	if (r < 0) {
		fatal(-r, "unable to read %s/sys/kernel/kexec_loaded", sys_root());
		return EXIT_SYSTEM;
	}
	if (!r) {
		fatal(0, "no kernel is loaded: run `warmboot load` first");
		return EXIT_REFUSED;
	}
	sys_sync();
	r = exec_quiesce_md();
	if (r)
		warn(0, "%d md array(s) could not be quiesced; the kernel marks them"
		     " clean on the way down", r);
	sys_sync();
	r = sys_reboot(WB_REBOOT_CMD_KEXEC);
	fatal(r ? -r : 0, "reboot(LINUX_REBOOT_CMD_KEXEC) returned");
	return EXIT_SYSTEM;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exec", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+eh", opts, NULL)) != -1) {
		switch (c) {
		case 'e': break;
		case 'h': return cmd_help(&cmd_exec);
		default:
			return cmd_usage_error(&cmd_exec, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_exec, "unexpected argument '%s'", argv[optind]);
	return kexec_exec_loaded();
}

const struct command cmd_exec = {
	.name = "exec",
	.summary = "jump into the loaded kernel (after sync and md quiesce)",
	.usage = usage,
	.run = run,
};
