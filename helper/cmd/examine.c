/* warmboot examine: show md superblocks like `mdadm --examine`. */
#include "cmd.h"
#include "lib/json.h"
#include "md/report.h"
#include "md/super.h"
#include "msg.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const struct command cmd_examine;

static void report_also(const char *path, const struct md_found *f)
{
	int g;

	for (g = 0; g < MD_NFORMATS; g++)
		if (f->also & (1u << g))
			warn(0, "%s also carries a %s superblock, ignored: like mdadm,"
			     " warmboot reads the %s one (latest creation time)",
			     path, md_format_name(g), md_format_name(f->format));
}

/* Probe one path and report problems; 0 when a trustworthy superblock was read. */
static int examine_one(const char *path, struct md_found *f)
{
	int err = md_examine_path(path, f);

	if (err) {
		error(-err, "unable to read %s", path);
		return EXIT_SYSTEM;
	}
	if (f->format < 0) {
		if (f->external)
			error(0, "%s: %s metadata is not handled by warmboot: use mdadm",
			      path, f->external);
		else
			error(0, "%s: no md superblock found", path);
		return f->external ? EXIT_REFUSED : EXIT_PROBLEM;
	}
	report_also(path, f);
	if (f->problem) {
		error(0, "%s: %s superblock cannot be trusted: %s", path,
		      md_format_name(f->format), f->problem);
		return EXIT_PROBLEM;
	}
	return EXIT_OK;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "homehost", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char host[256] = "";
	const char *homehost = NULL;
	struct md_found f;
	struct json j;
	int json = 0, c, i, rc = EXIT_OK;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'H': homehost = optarg; break;
		case 'h': return cmd_help(&cmd_examine);
		default:
			return cmd_usage_error(&cmd_examine, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_examine, "no device given");
	if (!homehost && !gethostname(host, sizeof(host) - 1))
		homehost = host;
	if (json) {
		json_init(&j, stdout);
		json_array_begin(&j, NULL);
	}
	for (i = optind; i < argc; i++) {
		int r = examine_one(argv[i], &f);
		if (r > rc)
			rc = r;
		if (f.format < 0)
			continue;
		if (json) {
			md_report_json(&j, argv[i], &f.m, f.problem);
		} else {
			printf("%s:\n", argv[i]);
			md_report_examine(stdout, &f.m, homehost);
			if (i + 1 < argc)
				putchar('\n');
		}
	}
	if (json) {
		json_array_end(&j);
		json_finish(&j);
	}
	return rc;
}

const struct command cmd_examine = {
	.name = "examine",
	.summary = "show the md superblocks of devices or images",
	.run = run,
};
