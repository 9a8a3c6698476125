/* warmboot assemble: bring up md arrays with mdadm 4.2's decisions. */
#include "cmd.h"
#include "lib/json.h"
#include "md/conf.h"
#include "md/describe.h"
#include "md/naming.h"
#include "md/personality.h"
#include "md/plan.h"
#include "md/report.h"
#include "md/scan.h"
#include "md/select.h"
#include "md/kernel.h"
#include "md/wait.h"
#include "modules/modules.h"
#include "msg.h"
#include "sys/sys.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct command cmd_assemble;

struct options {
	int scan, dry_run, json, readonly, wait_secs;
	const char *config, *homehost, *uuid, *name, *mddev;
	char **members;
	int nmembers;
	struct plan_policy pol;
	int runstop_set;
};

struct context {
	struct options *o;
	struct md_conf *conf;
	int have_conf;
	char homehost_buf[256];
	const char *homehost;
	int require_homehost;
	struct json j;
	int rc;
	unsigned started;	/* arrays started or left assembled */
	char target[32];	/* the inactive array MD-DEVICE names, or "" */
	char merge[32];		/* the inactive array the current plan finishes */
};

/* Minors taken by arrays this run started, beyond what sysfs shows. */
static unsigned char taken[512];

static int minor_busy(int minor, void *ctx)
{
	(void)ctx;
	return (minor >= 0 && minor < 512 && taken[minor]) || md_minor_busy(minor, NULL);
}

static void bump(struct context *c, int rc)
{
	if (rc > c->rc)
		c->rc = rc;
}

/* One option of getopt_long: 0, -1 for --help, or the usage error. */
static int parse_option(int c, char **argv, struct options *o)
{
	char *end;

	switch (c) {
	case 's': o->scan = 1; break;
	case 'u': o->uuid = optarg; break;
	case 'N': o->name = optarg; break;
	case 'R': o->pol.runstop = 1; o->runstop_set = 1; break;
	case 'D': o->pol.runstop = -1; o->runstop_set = 1; break;
	case 'f': o->pol.force = 1; break;
	case 'o': o->readonly = 1; break;
	case 'c': o->config = optarg; break;
	case 'H': o->homehost = optarg; break;
	case 'w':
		o->wait_secs = (int)strtol(optarg, &end, 10);
		if (*end || o->wait_secs < 0 || o->wait_secs > 3600)
			return cmd_usage_error(&cmd_assemble, "bad --wait '%s'", optarg);
		break;
	case 'n': o->dry_run = 1; break;
	case 'j': o->json = 1; break;
	case 'h': return -1;
	default:
		return cmd_usage_error(&cmd_assemble, "unknown option '%s'", argv[optind - 1]);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "scan", no_argument, NULL, 's' },
		{ "uuid", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'N' },
		{ "run", no_argument, NULL, 'R' },
		{ "no-degraded", no_argument, NULL, 'D' },
		{ "force", no_argument, NULL, 'f' },
		{ "readonly", no_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "homehost", required_argument, NULL, 'H' },
		{ "wait", required_argument, NULL, 'w' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+su:N:RDfoc:H:w:njh", opts, NULL)) != -1)
		if ((err = parse_option(c, argv, o)))
			return err;
	if (optind < argc) {
		o->mddev = argv[optind++];
		o->members = argv + optind;
		o->nmembers = argc - optind;
	}
	if (!o->scan && !o->mddev && !o->uuid && !o->name)
		return cmd_usage_error(&cmd_assemble, "name an array or give --scan");
	return 0;
}

/* warmboot.degraded=0|no|false on the kernel command line refuses degraded starts. */
static void policy_from_cmdline(struct options *o)
{
	char path[512], line[4096], *p;
	FILE *f;

	if (o->runstop_set)
		return;
	snprintf(path, sizeof(path), "%s/proc/cmdline", sys_root());
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		for (p = strtok(line, " \n"); p; p = strtok(NULL, " \n")) {
			if (strncmp(p, "warmboot.degraded=", 18))
				continue;
			p += 18;
			if (!strcmp(p, "0") || !strcmp(p, "no") || !strcmp(p, "false"))
				o->pol.runstop = -1;
			else
				o->pol.runstop = 0;
		}
	}
	fclose(f);
}

static int load_config(struct context *c)
{
	char buf[512];
	int err;

	c->conf = calloc(1, sizeof(*c->conf));
	if (!c->conf)
		return -ENOMEM;
	if (c->o->config && !strcmp(c->o->config, "none"))
		return 0;
	if (c->o->config) {
		err = md_conf_load(c->o->config, c->conf);
		if (err) {
			fatal(-err, "unable to read %s", c->o->config);
			return err;
		}
		c->have_conf = 1;
		return 0;
	}
	err = md_conf_load_system(c->conf, buf, sizeof(buf));
	if (!err)
		c->have_conf = 1;
	else if (err != -ENOENT)
		warn(-err, "unable to read %s", buf);
	return 0;
}

static void setup_homehost(struct context *c)
{
	c->homehost = md_conf_homehost(c->conf, c->o->homehost, c->homehost_buf,
				       sizeof(c->homehost_buf));
	c->require_homehost = !c->conf->homehost_ignore;
}

static const char *metadata_family(const struct md_member *m)
{
	return m->format == MD_FMT_090 ? "0.90" : "1.x";
}

/* Why the kernel bases the array on this member: mdadm's most_recent. */
static const char *freshest_reason(const struct plan *p, char *buf, size_t len)
{
	snprintf(buf, len, "events %llu, %s", (unsigned long long)p->mem[p->freshest].m->events,
		 p->freshest_ties ? "first in mdadm's device order among equals" : "the most");
	return buf;
}

static void report_plan_json(struct context *c, const struct plan *p,
			     const struct md_naming *nm, const char *uuid, const char *result)
{
	const struct md_member *a = p->mem[p->freshest >= 0 ? p->freshest : 0].m;
	char why[128];
	unsigned i;

	json_object_begin(&c->j, NULL);
	json_string(&c->j, "uuid", uuid);
	json_string(&c->j, "name", a->format == MD_FMT_090 ? NULL : a->name);
	json_string(&c->j, "device", nm->devnm[0] ? nm->devnm : NULL);
	json_string(&c->j, "link", nm->link[0] ? nm->link : NULL);
	json_string(&c->j, "level", md_level_name(a->level));
	json_uint(&c->j, "raid_disks", p->raid_disks);
	json_string(&c->j, "decision", plan_outcome_text(p->outcome));
	json_string(&c->j, "reason", p->why);
	json_string(&c->j, "result", result);
	json_bool(&c->j, "clean", p->clean);
	json_string(&c->j, "most_recent", p->freshest >= 0 ? p->mem[p->freshest].path : NULL);
	json_string(&c->j, "most_recent_reason", p->freshest >= 0 ?
		    freshest_reason(p, why, sizeof(why)) : NULL);
	json_string(&c->j, "inactive_in", c->merge[0] ? c->merge : NULL);
	json_array_begin(&c->j, "members");
	for (i = 0; i < p->n; i++) {
		json_object_begin(&c->j, NULL);
		json_string(&c->j, "device", p->mem[i].path);
		json_string(&c->j, "use", plan_use_text(p->mem[i].use));
		json_int(&c->j, "slot", p->mem[i].slot);
		json_uint(&c->j, "events", p->mem[i].m->events);
		json_bool(&c->j, "bound", p->mem[i].bound);
		json_object_end(&c->j);
	}
	json_array_end(&c->j);
	json_object_end(&c->j);
}

static unsigned count_bound(const struct plan *p)
{
	unsigned i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->mem[i].bound;
	return n;
}

/* An array left (or kept) assembled but not running: what and why. */
static void report_inactive(const struct plan *p, const struct md_naming *nm,
			    const char *uuid, const char *result)
{
	const struct md_member *a = p->mem[p->freshest].m;
	const char *dev = nm->link[0] ? nm->link : nm->devnm;

	warn(0, "array %s%s%s %s in %s (%u of %u members), not started: %s; "
	     "`warmboot assemble --run %s` starts it",
	     uuid, a->name[0] ? " name=" : "", a->name, result, nm->devnm,
	     p->okcnt, p->raid_disks, p->why, dev);
}

static void report_plan_text(const struct plan *p, const struct md_naming *nm,
			     const char *uuid, const char *result, int dry_run)
{
	const struct md_member *a = p->mem[p->freshest >= 0 ? p->freshest : 0].m;
	const char *dev = nm->link[0] ? nm->link : nm->devnm;
	char why[128];
	unsigned i;

	if (count_bound(p))
		info("%s: inactive in %s with %u members bound", dev, nm->devnm, count_bound(p));
	if (dry_run && p->freshest >= 0)
		info("%s: most recent: %s (%s)", dev[0] ? dev : uuid, p->mem[p->freshest].path,
		     freshest_reason(p, why, sizeof(why)));
	for (i = 0; i < p->n; i++)
		if (!plan_member_used(&p->mem[i]))
			info("%s: %s %s", dev[0] ? dev : uuid, p->mem[i].path,
			     plan_use_text(p->mem[i].use));
	if (!strncmp(result, "left inactive", 13) || !strncmp(result, "still inactive", 14))
		report_inactive(p, nm, uuid, result);
	else if (p->outcome == PLAN_START || p->outcome == PLAN_START_DEGRADED)
		info("%s: %s with %u of %u members%s%s (%s): %s", dev,
		     result, p->okcnt, p->raid_disks,
		     p->sparecnt ? " and spares" : "", p->rebuilding ? ", rebuilding" : "",
		     p->why, uuid);
	else
		msg(p->outcome == PLAN_REFUSED ? MSG_ERROR : MSG_WARN, 0,
		    "array %s%s%s not started: %s", uuid, a->name[0] ? " name=" : "", a->name,
		    p->why);
}

static void report_plan(struct context *c, const struct plan *p, const struct md_naming *nm,
			const char *result)
{
	char uuid[36];

	md_uuid_str(p->mem[p->freshest >= 0 ? p->freshest : 0].m->uuid, uuid);
	if (c->o->json)
		report_plan_json(c, p, nm, uuid, result);
	else
		report_plan_text(p, nm, uuid, result, c->o->dry_run);
}

/* An array whose personality the running kernel lacks (Linux 6.8 to 6.13
 * have no linear) is refused before any member is bound: 1 when refused,
 * and reported here. Unknown (no mdstat, no module tree) is not missing:
 * the kernel decides, as it did before. */
static int refuse_missing_personality(struct context *c, struct plan *plan,
				      const struct md_naming *nm)
{
	static char why[256];
	int level = plan->mem[plan->freshest].m->level;
	const char *name = md_level_name(level), *mod = name ? md_personality_module(name) : NULL;
	const char *dev = nm->link[0] ? nm->link : nm->devnm;
	char release[128];

	if (!mod || modules_running_release(release, sizeof(release)) ||
	    md_personality_available(level, sys_root(), release) != 0)
		return 0;
	snprintf(why, sizeof(why), "kernel %s has no %s personality (not built in, no %s module)",
		 release, name, mod);
	bump(c, EXIT_PROBLEM);
	if (c->o->json) {
		plan->why = why;
		report_plan(c, plan, nm, "not started");
	} else {
		warn(0, "array %s (%s) %s: %s", dev, name,
		     c->o->dry_run ? "would not be started" : "not started", why);
	}
	return 1;
}

/* Whether the plan runs the array (or, with --no-degraded, binds it). */
static int plan_starts(const struct plan *p)
{
	return p->outcome == PLAN_START || p->outcome == PLAN_START_DEGRADED;
}

/* The result to report once md_start succeeded. */
static const char *start_result(const struct context *c, const struct plan *p)
{
	if (plan_starts(p))
		return p->outcome == PLAN_START ? "started" : "started degraded";
	return c->merge[0] ? "still inactive" : "left inactive";
}

/* Name the array; an inactive one keeps the kernel name it has. 0 or
 * reported and bumped. */
static int name_planned(struct context *c, const struct plan *plan,
			const struct md_conf_array *ident, const char *first_path,
			struct md_naming *nm)
{
	int err = md_choose_name(plan->mem[plan->freshest].m, ident, c->conf, c->homehost,
				 c->require_homehost, minor_busy, NULL, nm);

	if (err) {
		error(-err, "no device name for the array of %s", first_path);
		bump(c, EXIT_SYSTEM);
		return err;
	}
	if (c->merge[0]) {
		snprintf(nm->devnm, sizeof(nm->devnm), "%s", c->merge);
		nm->minor = atoi(c->merge + 2);
	}
	return 0;
}

/* Name and start (or bind, or add to the inactive array) a planned array,
 * unless --dry-run: the result to report, NULL when reported already. */
static const char *start_planned(struct context *c, struct plan *plan,
				 const struct md_conf_array *ident, const char *first_path,
				 struct md_naming *nm)
{
	struct md_start_opts so = {
		.readonly = c->o->readonly,
		.load_personality = md_personality_load,
		.existing = c->merge[0] != 0,
	};
	const char *step = "";
	int err;

	if (name_planned(c, plan, ident, first_path, nm))
		return NULL;
	if (refuse_missing_personality(c, plan, nm))
		return NULL;
	if (c->o->dry_run)
		return "planned";
	err = md_start(plan, nm, &so, &step);
	if (so.personality_err)
		warn(-so.personality_err, "unable to load the md-%s personality module",
		     md_level_name(plan->mem[plan->freshest].m->level));
	if (err) {
		error(-err, "unable to %s %s (%s)", plan_starts(plan) ? "start" : "assemble",
		      nm->devnm, step);
		bump(c, EXIT_SYSTEM);
		return "failed";
	}
	c->started++;
	if (nm->minor < 512)
		taken[nm->minor] = 1;
	return start_result(c, plan);
}

/* Members already in a running array are not touched again; any other
 * member of that array arrived late: it is not assembled into a second
 * array (mdadm: "Found some drive for an array that is already active").
 * 1 when the array runs. */
static int already_running(struct context *c, const struct plan_member *mem, unsigned n,
			   const struct md_scan *scan)
{
	const char *devnm = NULL;
	unsigned i, k;

	for (i = 0; i < n && !devnm; i++)
		for (k = 0; k < scan->dev.n; k++)
			if (scan->dev.v[k].path == mem[i].path && scan->dev.v[k].held_by[0] &&
			    !scan->dev.v[k].held_inactive)
				devnm = scan->dev.v[k].held_by;
	if (!devnm)
		return 0;
	for (i = 0; i < n; i++)
		for (k = 0; k < scan->dev.n; k++)
			if (scan->dev.v[k].path == mem[i].path && !scan->dev.v[k].held_by[0]) {
				warn(0, "%s left out: its array runs already as %s (mdadm --re-add)",
				     mem[i].path, devnm);
				bump(c, EXIT_PROBLEM);
			}
	return 1;
}

/* The inactive array some member is bound to, into c->merge ("" if none). */
static void find_merge(struct context *c, const struct plan_member *mem, unsigned n,
		       const struct md_scan *scan)
{
	unsigned i, k;

	c->merge[0] = 0;
	for (i = 0; i < n && !c->merge[0]; i++)
		for (k = 0; k < scan->dev.n; k++)
			if (mem[i].bound && scan->dev.v[k].path == mem[i].path)
				snprintf(c->merge, sizeof(c->merge), "%s", scan->dev.v[k].held_by);
}

/* Plan the array of scan->dev.v[first] and carry it out. An inactive array
 * already in the kernel gets the members that arrived since, as mdadm
 * merges with it, and stays as it was when it cannot start (exit 1). */
static void assemble_one(struct context *c, const struct md_scan *scan, unsigned first,
			 const struct md_conf_array *ident)
{
	static struct plan_member members[PLAN_MAX_MEMBERS];
	static struct plan plan;
	struct md_conf_array named;
	struct md_naming nm;
	const char *result = "not started";
	unsigned n;

	memset(&nm, 0, sizeof(nm));
	if (!ident && c->o->mddev) {
		/* `assemble /dev/mdX MEMBER...` names the array itself */
		memset(&named, 0, sizeof(named));
		snprintf(named.devname, sizeof(named.devname), "%s", c->o->mddev);
		named.super_minor = -1;
		ident = &named;
	}
	n = md_collect(scan, first, ident == &named ? NULL : ident, c->homehost,
		       c->require_homehost, members, PLAN_MAX_MEMBERS);
	if (already_running(c, members, n, scan))
		return;
	find_merge(c, members, n, scan);
	if (plan_array(members, n, &c->o->pol, &plan)) {
		error(0, "array of %s has more members than warmboot handles", scan->dev.v[first].path);
		bump(c, EXIT_REFUSED);
		return;
	}
	if (plan_starts(&plan) || plan.outcome == PLAN_INACTIVE ||
	    (c->merge[0] && plan.outcome != PLAN_REFUSED)) {
		result = start_planned(c, &plan, ident, scan->dev.v[first].path, &nm);
		if (!result)
			return;
	}
	/* mdadm: "assembled ... but not started" is a success under
	 * --no-degraded; an inactive array that still cannot start is not */
	if (!plan_starts(&plan) && plan.outcome != PLAN_INACTIVE)
		bump(c, plan.outcome == PLAN_REFUSED ? EXIT_REFUSED : EXIT_PROBLEM);
	report_plan(c, &plan, &nm, result);
}

static int wanted(struct context *c, const struct md_seen *s, const struct md_conf_array *ident)
{
	struct options *o = c->o;
	uint8_t uuid[16];

	if (o->uuid && (md_uuid_parse(o->uuid, uuid) || memcmp(uuid, s->found.m.uuid, 16)))
		return 0;
	if (o->name) {
		const char *colon = strchr(s->found.m.name, ':');
		if (strcmp(s->found.m.name, o->name) && (!colon || strcmp(colon + 1, o->name)))
			return 0;
	}
	if (o->mddev && !o->nmembers && !o->uuid && !o->name) {
		/* the array named by its mdadm.conf line */
		return ident && !strcmp(ident->devname, o->mddev);
	}
	if (ident && !strcmp(ident->devname, "<ignore>"))
		return 0;
	if (!ident && c->have_conf && !o->uuid && !o->name && !o->nmembers &&
	    !md_conf_auto_allows(c->conf, metadata_family(&s->found.m),
				 md_match_home(&s->found.m, c->homehost)))
		return 0;
	return 1;
}

static int first_member(const struct md_scan *s, unsigned i)
{
	unsigned k;

	for (k = 0; k < i; k++)
		if (s->dev.v[k].found.format >= 0 && !s->dev.v[k].found.problem &&
		    md_same_array(&s->dev.v[k].found.m, &s->dev.v[i].found.m))
			return 0;
	return 1;
}

static void report_bad(const struct md_scan *scan)
{
	unsigned i;

	for (i = 0; i < scan->dev.n; i++) {
		const struct md_seen *s = &scan->dev.v[i];
		if (s->err && s->found.format < 0 && scan->dev.v[i].path[0])
			debug("unable to read %s: %s", s->path, strerror(-s->err));
		else if (s->found.format >= 0 && s->found.problem)
			warn(0, "%s left out: %s superblock cannot be trusted: %s", s->path,
			     md_format_name(s->found.format), s->found.problem);
		else if (s->found.external)
			warn(0, "%s: %s metadata is not handled by warmboot: use mdadm",
			     s->path, s->found.external);
	}
}

static int scan_now(struct context *c, struct md_scan *scan)
{
	int err = c->o->nmembers ? md_scan_paths(c->o->members, (unsigned)c->o->nmembers, scan)
				 : md_scan_system(c->have_conf ? c->conf : NULL, scan);
	if (err)
		return err;
	md_scan_mark_bound(scan);
	return 0;
}

static int conf_lists_arrays(const struct md_conf *conf)
{
	unsigned k;

	for (k = 0; k < conf->narrays; k++)
		if (strcmp(conf->arrays[k].devname, "<ignore>"))
			return 1;
	return 0;
}

/* The first readable, trusted member of its array in scan order. */
static int first_usable(const struct md_scan *scan, unsigned i)
{
	const struct md_seen *s = &scan->dev.v[i];

	return s->found.format >= 0 && !s->found.problem && first_member(scan, i);
}

/* Arrays listed in mdadm.conf, in its order: the first member matching
 * each ARRAY line stands for its array. */
static void assemble_listed(struct context *c, struct md_scan *scan)
{
	unsigned i, k;

	for (k = 0; k < c->conf->narrays; k++)
		for (i = 0; i < scan->dev.n; i++) {
			if (!first_usable(scan, i) ||
			    !md_ident_matches(&c->conf->arrays[k], &scan->dev.v[i], c->homehost,
					      c->require_homehost))
				continue;
			if (wanted(c, &scan->dev.v[i], &c->conf->arrays[k]))
				assemble_one(c, scan, i, &c->conf->arrays[k]);
			break;
		}
}

static void assemble_unlisted(struct context *c, struct md_scan *scan)
{
	unsigned i;

	for (i = 0; i < scan->dev.n; i++) {
		if (!first_usable(scan, i) ||
		    md_ident_find(c->conf, &scan->dev.v[i], c->homehost, c->require_homehost))
			continue;
		if (wanted(c, &scan->dev.v[i], NULL))
			assemble_one(c, scan, i, NULL);
	}
}

/* `assemble [--run] MD-DEVICE` of an inactive array: the array of its
 * bound members, with those that arrived since (mdadm -R, and more). */
static void assemble_target(struct context *c, struct md_scan *scan)
{
	unsigned i, k;

	for (i = 0; i < scan->dev.n; i++) {
		if (strcmp(scan->dev.v[i].held_by, c->target))
			continue;
		for (k = 0; k <= i; k++)
			if (first_usable(scan, k) &&
			    md_same_array(&scan->dev.v[k].found.m, &scan->dev.v[i].found.m)) {
				assemble_one(c, scan, k, md_ident_find(c->conf, &scan->dev.v[k],
								       c->homehost,
								       c->require_homehost));
				return;
			}
	}
}

static void assemble_all(struct context *c, struct md_scan *scan)
{
	report_bad(scan);
	if (c->target[0]) {
		assemble_target(c, scan);
		return;
	}
	assemble_listed(c, scan);
	/* like mdadm --assemble --scan, auto-assemble only when mdadm.conf
	 * lists no array */
	if (conf_lists_arrays(c->conf) && !c->o->uuid && !c->o->name && !c->o->nmembers)
		return;
	assemble_unlisted(c, scan);
}

/* The degraded policy from the kernel command line and the selection. */
static void settle_policy(struct options *o)
{
	policy_from_cmdline(o);
	/* mdadm's start_partial_ok: auto-assembly and arrays taken from
	 * mdadm.conf may start degraded; arrays picked by --uuid, --name or a
	 * member list need every member that was working, or --run */
	o->pol.partial_ok = o->pol.runstop >= 0 &&
		(o->pol.force || (!o->nmembers && !o->uuid && !o->name));
}

/* MD-DEVICE alone naming an inactive array: finish that one. */
static void find_target(struct context *c)
{
	const struct options *o = c->o;

	if (!o->mddev || o->nmembers || o->uuid || o->name ||
	    md_devnm_of(o->mddev, c->target, sizeof(c->target)) ||
	    !md_array_inactive(c->target))
		c->target[0] = 0;
}

/* assemble_all, inside the JSON document with --json. */
static void assemble_and_report(struct context *c, struct md_scan *scan)
{
	if (c->o->json) {
		json_init(&c->j, stdout);
		json_object_begin(&c->j, NULL);
		json_array_begin(&c->j, "arrays");
	}
	assemble_all(c, scan);
	if (c->o->json) {
		json_array_end(&c->j);
		json_object_end(&c->j);
		json_finish(&c->j);
	}
}

static int run(int argc, char **argv)
{
	struct options o;
	struct context c;
	struct md_scan scan;
	int err;

	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	err = parse_args(argc, argv, &o);
	if (err)
		return err < 0 ? cmd_help(&cmd_assemble) : err;
	settle_policy(&o);
	c.o = &o;
	if (load_config(&c)) {
		free(c.conf);
		return EXIT_SYSTEM;
	}
	setup_homehost(&c);
	find_target(&c);
	if (o.wait_secs && !o.nmembers)
		md_wait_for_members(c.have_conf ? c.conf : NULL, o.wait_secs * 1000);
	err = scan_now(&c, &scan);
	if (err) {
		fatal(-err, "unable to list block devices");
		free(c.conf);
		return EXIT_SYSTEM;
	}
	assemble_and_report(&c, &scan);
	if (!c.started && c.rc == EXIT_OK && !o.dry_run && (o.uuid || o.name || o.mddev)) {
		error(0, "no array found to assemble");
		c.rc = EXIT_PROBLEM;
	}
	md_scan_free(&scan);
	free(c.conf);
	return c.rc;
}

const struct command cmd_assemble = {
	.name = "assemble",
	.summary = "assemble md arrays as mdadm --assemble would",
	.run = run,
};
