/* warmboot stop: stop md arrays that nothing uses. */
#include "cmd.h"
#include "md/kernel.h"
#include "msg.h"
#include "sys/sys.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct command cmd_stop;

/* In use: something holds it (dm, another md) or it is mounted. */
static int in_use(const char *devnm)
{
	char path[512], line[1024];
	struct dirent *e;
	DIR *d;
	FILE *f;
	int used = 0;
	size_t l;

	snprintf(path, sizeof(path), "%s/sys/block/%s/holders", sys_root(), devnm);
	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				used = 1;
		closedir(d);
	}
	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", sys_root());
	f = fopen(path, "re");
	if (!f)
		return used;
	/* the mount source after " - TYPE " is /dev/mdN or a link to it */
	snprintf(path, sizeof(path), "/dev/%s", devnm);
	l = strlen(path);
	while (!used && fgets(line, sizeof(line), f)) {
		char *src = strstr(line, " - ");
		if (src && (src = strchr(src + 3, ' ')) && !strncmp(src + 1, path, l) &&
		    (src[1 + l] == ' ' || src[1 + l] == 'p'))
			used = 1;
	}
	fclose(f);
	return used;
}

static int stop_one(const char *devnm)
{
	int err, inactive = md_array_inactive(devnm);

	if (in_use(devnm)) {
		warn(0, "%s is in use, left running", devnm);
		return EXIT_PROBLEM;
	}
	err = md_stop(devnm);
	if (err) {
		error(-err, "unable to stop %s", devnm);
		return err == -EBUSY ? EXIT_PROBLEM : EXIT_SYSTEM;
	}
	info("stopped %s%s", devnm, inactive ? " (inactive)" : "");
	return EXIT_OK;
}

static int stop_all(void)
{
	char path[512];
	struct dirent *e;
	DIR *d;
	int rc = EXIT_OK, r;

	snprintf(path, sizeof(path), "%s/sys/block", sys_root());
	d = opendir(path);
	if (!d) {
		fatal(errno, "unable to list %s", path);
		return EXIT_SYSTEM;
	}
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "md", 2) || !md_minor_busy(atoi(e->d_name + 2), NULL))
			continue;
		r = stop_one(e->d_name);
		if (r > rc)
			rc = r;
	}
	closedir(d);
	return rc;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scan", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char devnm[64];
	int scan = 0, c, i, rc = EXIT_OK, r, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+sh", opts, NULL)) != -1) {
		switch (c) {
		case 's': scan = 1; break;
		case 'h': return cmd_help(&cmd_stop);
		default:
			return cmd_usage_error(&cmd_stop, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (scan == (optind < argc))
		return cmd_usage_error(&cmd_stop, "give --scan or array devices, not both");
	if (scan)
		return stop_all();
	for (i = optind; i < argc; i++) {
		err = md_devnm_of(argv[i], devnm, sizeof(devnm));
		if (err) {
			error(-err, "%s is not an md array", argv[i]);
			r = EXIT_PROBLEM;
		} else {
			r = stop_one(devnm);
		}
		if (r > rc)
			rc = r;
	}
	return rc;
}

const struct command cmd_stop = {
	.name = "stop",
	.summary = "stop md arrays that nothing uses",
	.run = run,
};
