/* warmboot scan: every md member on the machine, grouped by array. */
#include "cmd.h"
#include "lib/json.h"
#include "md/conf.h"
#include "md/describe.h"
#include "md/kernel.h"
#include "md/report.h"
#include "md/scan.h"
#include "msg.h"
#include "sys/sys.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct command cmd_scan;

/* Index of the first member of each array, in discovery order. */
static int first_of_array(const struct md_scan *s, unsigned i)
{
	unsigned k;

	for (k = 0; k < i; k++)
		if (s->dev.v[k].found.format >= 0 &&
		    md_same_array(&s->dev.v[k].found.m, &s->dev.v[i].found.m))
			return 0;
	return 1;
}

static int usable(const struct md_seen *d)
{
	return !d->err && d->found.format >= 0;
}

/* One message per device that cannot be used; returns the worst exit code. */
static int report_problems(const struct md_scan *s, struct json *j)
{
	unsigned i;
	int rc = EXIT_OK;

	for (i = 0; i < s->dev.n; i++) {
		const struct md_seen *d = &s->dev.v[i];
		char why[256] = "";

		if (d->err) {
			error(-d->err, "unable to read %s", d->path);
			snprintf(why, sizeof(why), "unreadable: %s", strerror(-d->err));
		} else if (d->found.format >= 0 && d->found.problem) {
			error(0, "%s: %s superblock cannot be trusted: %s", d->path,
			      md_format_name(d->found.format), d->found.problem);
			snprintf(why, sizeof(why), "%s", d->found.problem);
		} else if (d->found.external) {
			warn(0, "%s: %s metadata is not handled by warmboot: use mdadm",
			     d->path, d->found.external);
			snprintf(why, sizeof(why), "%s metadata not handled", d->found.external);
		} else {
			continue;
		}
		if (j) {
			json_object_begin(j, NULL);
			json_string(j, "device", d->path);
			json_string(j, "problem", why);
			json_object_end(j);
		}
		rc = EXIT_PROBLEM;
	}
	return rc;
}

/* The kernel array holding members of the array of s->dev.v[first]. */
static const struct md_seen *held(const struct md_scan *s, unsigned first)
{
	unsigned k;

	for (k = first; k < s->dev.n; k++)
		if (s->dev.v[k].held_by[0] && md_same_array(&s->dev.v[first].found.m,
							   &s->dev.v[k].found.m))
			return &s->dev.v[k];
	return NULL;
}

static void print_held(const struct md_seen *h, struct json *j)
{
	const char *state = h && h->held_inactive ? "inactive" : "running";

	if (j) {
		json_string(j, "kernel_device", h ? h->held_by : NULL);
		json_string(j, "kernel_state", h ? state : NULL);
	} else if (h) {
		printf("  in %s: %s\n", h->held_by, state);
	}
}

static void print_array(const struct md_scan *s, unsigned first, int brief, struct json *j)
{
	const struct md_member *a = &s->dev.v[first].found.m;
	unsigned k, spares = 0;
	char uuid[36];

	for (k = first; k < s->dev.n; k++)
		if (usable(&s->dev.v[k]) && !s->dev.v[k].found.problem &&
		    md_same_array(a, &s->dev.v[k].found.m) &&
		    s->dev.v[k].found.m.role >= MD_ROLE_MAX &&
		    s->dev.v[k].found.m.role != MD_ROLE_JOURNAL)
			spares++;
	if (brief) {
		md_report_array_line(stdout, a, spares);
		return;
	}
	md_uuid_str(a->uuid, uuid);
	if (j) {
		json_object_begin(j, NULL);
		json_string(j, "uuid", uuid);
		json_string(j, "metadata", md_format_name(a->format));
		json_string(j, "name", a->format == MD_FMT_090 ? NULL : a->name);
		json_string(j, "level", md_level_name(a->level));
		json_uint(j, "raid_disks", a->raid_disks);
		print_held(held(s, first), j);
		json_array_begin(j, "members");
	} else {
		printf("array %s metadata=%s level=%s raid-devices=%u%s%s\n", uuid,
		       md_format_name(a->format),
		       md_level_name(a->level) ? md_level_name(a->level) : "-unknown-",
		       a->raid_disks, a->name[0] ? " name=" : "", a->name);
		print_held(held(s, first), NULL);
	}
	for (k = first; k < s->dev.n; k++) {
		const struct md_seen *d = &s->dev.v[k];
		char role[32];

		if (!usable(d) || d->found.problem || !md_same_array(a, &d->found.m))
			continue;
		if (j)
			md_report_json(j, d->path, &d->found.m, NULL);
		else
			printf("  %-16s %-16s events=%llu %s\n", d->path,
			       md_role_text(d->found.m.role, role, sizeof(role)),
			       (unsigned long long)d->found.m.events,
			       d->found.m.clean ? "clean" : "active");
	}
	if (j) {
		json_array_end(j);
		json_object_end(j);
	}
}

/* Loads the config named, or the default one when it exists. */
static int load_conf(const char *path, struct md_conf *conf, int *have)
{
	char buf[512];
	int err;

	*have = 0;
	if (path) {
		err = md_conf_load(path, conf);
		if (err) {
			fatal(-err, "unable to read %s", path);
			return EXIT_SYSTEM;
		}
		*have = 1;
		return EXIT_OK;
	}
	err = md_conf_load_system(conf, buf, sizeof(buf));
	if (!err)
		*have = 1;
	else if (err != -ENOENT)
		warn(-err, "unable to read %s, scanning every device", buf);
	return EXIT_OK;
}

/* The block devices, limited by DEVICE lines of the config: an exit code. */
static int scan_devices(const char *config, struct md_scan *scan)
{
	struct md_conf *conf = calloc(1, sizeof(*conf));
	int have_conf, rc, err;

	if (!conf) {
		fatal(ENOMEM, "unable to scan");
		return EXIT_SYSTEM;
	}
	rc = load_conf(config, conf, &have_conf);
	if (rc) {
		free(conf);
		return rc;
	}
	err = md_scan_system(have_conf ? conf : NULL, scan);
	free(conf);
	if (!err)
		md_scan_mark_bound(scan);
	if (err) {
		fatal(-err, "unable to list block devices in %s/sys/class/block", sys_root());
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}

/* Arrays, then problems (as text, or one JSON document): an exit code. */
static int print_scan(const struct md_scan *scan, int brief, int json)
{
	struct json j;
	unsigned i;
	int rc;

	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "arrays");
	}
	for (i = 0; i < scan->dev.n; i++)
		if (usable(&scan->dev.v[i]) && !scan->dev.v[i].found.problem &&
		    first_of_array(scan, i))
			print_array(scan, i, brief && !json, json ? &j : NULL);
	if (json) {
		json_array_end(&j);
		json_array_begin(&j, "problems");
	}
	rc = report_problems(scan, json ? &j : NULL);
	if (json) {
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	}
	return rc;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "brief", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	struct md_scan scan;
	int brief = 0, json = 0, c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+bjc:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': brief = 1; break;
		case 'j': json = 1; break;
		case 'c': config = optarg; break;
		case 'h': return cmd_help(&cmd_scan);
		default:
			return cmd_usage_error(&cmd_scan, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_scan, "unexpected argument '%s'", argv[optind]);
	rc = scan_devices(config, &scan);
	if (rc)
		return rc;
	rc = print_scan(&scan, brief, json);
	md_scan_free(&scan);
	return rc;
}

const struct command cmd_scan = {
	.name = "scan",
	.summary = "find md members on all block devices, grouped by array",
	.run = run,
};
