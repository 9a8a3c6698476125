/* warmboot modules: load drivers by name or alias, or coldplug storage;
 * name the personality modules of md levels. */
#include "cmd.h"
#include "lib/array.h"
#include "lib/json.h"
#include "lib/uevent.h"
#include "md/personality.h"
#include "modules/coldplug.h"
#include "modules/modules.h"
#include "msg.h"
#include "sys/sys.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct command cmd_modules = {
	.name = "modules",
	.summary = "load drivers (by name or alias, or storage coldplug)",
	.run = run,
};

/* Module names met during a run, with the kernel's answer. */
struct name {
	char *name;
	int err;		/* -errno (refused), or 0 */
};

typedef ARRAY(struct name) name_list;

struct run {
	struct modules *m;
	int dry_run, json, storage;
	struct json j;
	/* Modules inserted or found loaded during this run, and those the
	 * kernel refused (not tried again for the next device: one message). */
	name_list done, refused;
	int failed;
	int uevents;		/* uevent socket for the settle wait, or -errno */
};

/* Settle wait of the coldplug: sleep until the kernel adds a device (an
 * NVMe namespace or a SAS disk may end a host's pending state). */
static int wait_uevent(void *data, int timeout_ms)
{
	const struct run *r = data;

	return r->uevents < 0 ? r->uevents : uevent_wait(r->uevents, timeout_ms, NULL);
}

static void log_kmod(void *data, int priority, const char *text)
{
	(void)data;
	(void)priority;
	debug("libkmod: %s", text);
}

/* The entry of name in l, or NULL. */
static const struct name *names_find(const name_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static void names_add(name_list *l, const char *name, int err)
{
	struct name *e = array_push(l);

	/* out of memory only costs a repeated attempt */
	if (!e)
		return;
	e->name = strdup(name);
	e->err = err;
	if (!e->name)
		l->n--;
}

static void names_free(name_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	array_free(l);
}

/* The device's path as the system names it (without the fixture root). */
static const char *dev_path(const struct coldplug_dev *dev)
{
	size_t n = strlen(sys_root());

	return strncmp(dev->syspath, sys_root(), n) ? dev->syspath : dev->syspath + n;
}

static void emit(struct run *r, const struct modules_step *s, const char *what,
		 const struct coldplug_dev *dev, const char *result, int err,
		 const struct modules_inserted *how)
{
	if (!r->json)
		return;
	json_object_begin(&r->j, NULL);
	json_string(&r->j, "module", s->name);
	if (s->path)
		json_string(&r->j, "path", s->path);
	else
		json_null(&r->j, "path");
	json_string(&r->j, "options", s->options);
	if (s->install)
		json_string(&r->j, "install", s->install);
	json_string(&r->j, "for", what);
	if (dev)
		json_string(&r->j, "device", dev_path(dev));
	json_bool(&r->j, "required", s->required);
	json_string(&r->j, "result", result);
	if (how)
		json_string(&r->j, "method", modules_method_name(how->method));
	if (err)
		json_string(&r->j, "error", strerror(err));
	json_object_end(&r->j);
}

/* What the kernel's answer means, for the message. */
static const char *insert_hint(int err)
{
	switch (err) {
	case ENOEXEC: return " (wrong version magic or architecture?)";
	case ENOENT: return " (unknown symbol or parameter, see dmesg)";
	case EKEYREJECTED: case EBADMSG: case ENOKEY:
		return " (module signature rejected)";
	case EPERM: return " (module loading disabled or not permitted)";
	case ENODEV: return " (no matching hardware or CPU feature)";
	default: return "";
	}
}

/* Inserts one step; 1 inserted, 0 nothing to do, -errno failed. */
static int insert_step(struct run *r, const struct modules_step *s, const char *what,
		       const struct coldplug_dev *dev)
{
	const struct name *refused;
	struct modules_inserted how;
	int e;

	if (names_find(&r->done, s->name) || modules_is_live(s->name)) {
		emit(r, s, what, dev, "live", 0, NULL);
		return 0;
	}
	refused = names_find(&r->refused, s->name);
	if (refused) {
		e = refused->err;
		debug("%s: %s was refused before in this run, not tried again", what, s->name);
		emit(r, s, what, dev, "failed", -e, NULL);
		return e;
	}
	e = modules_insert_file(s->path, s->options, &how);
	if (e < 0) {
		names_add(&r->refused, s->name, e);
		const char *kind = s->required ? "" : "soft dependency ";

		if (!s->path)
			msg(s->required ? MSG_ERROR : MSG_WARN, 0,
			    "could not insert %s%s: no module file in %s", kind,
			    s->name, modules_dir(r->m));
		else if (!how.by_kernel)
			msg(s->required ? MSG_ERROR : MSG_WARN, -e,
			    "could not read %s%s (%s)", kind, s->name, s->path);
		else
			msg(s->required ? MSG_ERROR : MSG_WARN, -e,
			    "could not insert %s%s%s", kind, s->name, insert_hint(-e));
		emit(r, s, what, dev, "failed", -e, &how);
		return e;
	}
	names_add(&r->done, s->name, 0);
	if (!r->json)
		printf("insmod %s %s\n", s->path, s->options);
	emit(r, s, what, dev, "loaded", 0, &how);
	return 1;
}

/* A blacklisted step: a device's driver is skipped quietly, a module named
 * on the command line fails. 1 when it counts as a failure. */
static int blacklisted(const struct run *r, const struct modules_step *s, const char *what,
		       const struct coldplug_dev *dev)
{
	if (r->storage && dev) {
		info("%s: %s is blacklisted by modprobe.d, not loaded", dev_path(dev), s->name);
		return 0;
	}
	error(0, "%s: module %s is blacklisted by modprobe.d", what, s->name);
	return 1;
}

static void install_skipped(const struct run *r, const struct modules_step *s)
{
	if (r->dry_run && !r->json)
		printf("install %s %s\n", s->install, s->options);
	else if (!r->dry_run)
		warn(0, "%s: modprobe.d install command not run (no shell): %s", s->name,
		     s->install);
}

static void would_load(struct run *r, const struct modules_step *s, const char *what,
		       const struct coldplug_dev *dev)
{
	/* Like modprobe -n, names repeat; coldplug lists each once. */
	if (dev && names_find(&r->done, s->name))
		return;
	if (dev)
		names_add(&r->done, s->name, 0);
	if (!r->json)
		printf("insmod %s %s\n", s->path ? s->path : s->name, s->options);
	emit(r, s, what, dev, "would-load", 0, NULL);
}

/* Carries out (or prints) a plan. Returns the number of failures; *inserted
 * counts the modules inserted. */
static int run_plan(struct run *r, const struct modules_plan *p, const char *what,
		    const struct coldplug_dev *dev, int *inserted)
{
	int stopped = -1, failures = 0;
	size_t i;

	for (i = 0; i < p->steps.n; i++) {
		const struct modules_step *s = &p->steps.v[i];
		int e;

		if (s->chain == stopped) {
			emit(r, s, what, dev, "skipped", 0, NULL);
			continue;
		}
		switch (s->action) {
		case MODULES_BUILTIN:
			emit(r, s, what, dev, "builtin", 0, NULL);
			break;
		case MODULES_LIVE:
			emit(r, s, what, dev, "live", 0, NULL);
			break;
		case MODULES_BLACKLISTED:
			failures += blacklisted(r, s, what, dev);
			emit(r, s, what, dev, "blacklisted", 0, NULL);
			break;
		case MODULES_INSTALL_CMD:
			install_skipped(r, s);
			emit(r, s, what, dev, "install-skipped", 0, NULL);
			break;
		case MODULES_INSMOD:
			if (r->dry_run) {
				would_load(r, s, what, dev);
				break;
			}
			e = insert_step(r, s, what, dev);
			if (e > 0)
				(*inserted)++;
			if (e < 0 && s->required) {
				stopped = s->chain;
				failures++;
			}
			break;
		}
	}
	return failures;
}

/* `device SYSPATH MODALIAS: MODULE...`: the chain that drives the device,
 * each module once. */
static void print_device(const struct modules_plan *plan, const struct coldplug_dev *dev)
{
	const struct modules_step *v = plan->steps.v;
	size_t i, k;

	printf("device %s %s:", dev_path(dev), dev->modalias);
	for (i = 0; i < plan->steps.n; i++) {
		if (!v[i].required)
			continue;
		for (k = 0; k < i; k++)
			if (v[k].required && !strcmp(v[k].name, v[i].name))
				break;
		if (k == i)
			printf(" %s", v[i].name);
	}
	printf("\n");
}

/* Resolves and loads one name or alias (or device modalias). Returns the
 * number of failures. */
static int load_one(struct run *r, const char *what, unsigned flags,
		    const struct coldplug_dev *dev, int *inserted)
{
	struct modules_plan plan = { 0 };
	int e, failures = 1;

	e = modules_plan_add(r->m, what, flags, &plan);
	if (e == -ENOENT && dev) {
		info("%s: no driver for %s in %s", dev_path(dev), what, modules_dir(r->m));
		failures = 0;
	} else if (e == -ENOENT) {
		error(0, "%s: no such module or alias in %s", what, modules_dir(r->m));
	} else if (e < 0) {
		error(-e, "%s: could not resolve", what);
	} else {
		failures = run_plan(r, &plan, what, dev, inserted);
		if (dev && !r->json)
			print_device(&plan, dev);
	}
	modules_plan_free(&plan);
	return failures;
}

static int load_device(void *data, const struct coldplug_dev *dev)
{
	struct run *r = data;
	int inserted = 0, failures;

	if (access(dev->syspath, F_OK)) {
		info("%s: gone before its driver was loaded", dev_path(dev));
		return 0;
	}
	failures = load_one(r, dev->modalias, MODULES_APPLY_BLACKLIST, dev, &inserted);
	r->failed += failures;
	return failures ? -1 : inserted > 0;
}

static int parse_ms(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 600000)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

struct options {
	const char *dir, *kver;
	int dry_run, json, storage, for_level;
	int settle_ms;
	char **names;		/* the NAMEs, or with --for-level the LEVELs */
	int nnames;
};

/* 0, -1 for --help, or the exit status of a usage error. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "storage", no_argument, NULL, 's' },
		{ "settle", required_argument, NULL, 'S' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "dir", required_argument, NULL, 'd' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "for-level", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->settle_ms = 10000;
	opterr = 0;
	/* --for-level ends the options: levels such as -1 are not options */
	while (!o->for_level && (c = getopt_long(argc, argv, ":nh", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->storage = 1; break;
		case 'S':
			if (parse_ms(optarg, &o->settle_ms) < 0)
				return cmd_usage_error(&cmd_modules, "invalid --settle '%s'", optarg);
			break;
		case 'n': o->dry_run = 1; break;
		case 'd': o->dir = optarg; break;
		case 'k': o->kver = optarg; break;
		case 'j': o->json = 1; break;
		case 'L': o->for_level = 1; break;
		case 'h': return -1;
		case ':':
			return cmd_usage_error(&cmd_modules, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(&cmd_modules, "unknown option '%s'", argv[optind - 1]);
		}
	}
	o->names = argv + optind;
	o->nnames = argc - optind;
	if (o->for_level && (o->storage || o->dry_run || o->json || o->dir || o->kver))
		return cmd_usage_error(&cmd_modules, "--for-level takes no other options");
	if (o->for_level && !o->nnames)
		return cmd_usage_error(&cmd_modules, "no md level named");
	if (o->dir && o->kver)
		return cmd_usage_error(&cmd_modules, "--dir and --kernel exclude each other");
	if (!o->nnames && !o->storage)
		return cmd_usage_error(&cmd_modules, "no module named (or --storage)");
	return 0;
}

/* --for-level: each level's personality module on its own line. */
static int print_level_modules(char **levels, int n)
{
	int i, unknown = 0;

	for (i = 0; i < n; i++) {
		const char *m = md_personality_module(levels[i]);

		if (m) {
			printf("%s\n", m);
		} else {
			warn(0, "unknown md level %s", levels[i]);
			unknown = 1;
		}
	}
	fflush(stdout);
	return unknown ? EXIT_PROBLEM : EXIT_OK;
}

/* --storage: the coldplug rounds, each device's drivers by load_device. */
static void coldplug_storage(struct run *r, int settle_ms)
{
	char sysdevices[PATH_MAX], sysclass[PATH_MAX];
	struct coldplug c;
	int e;

	snprintf(sysdevices, sizeof(sysdevices), "%s/sys/devices", sys_root());
	memset(&c, 0, sizeof(c));
	snprintf(sysclass, sizeof(sysclass), "%s/sys/class", sys_root());
	c.sysdevices = sysdevices;
	c.sysclass = sysclass;
	c.max_rounds = 8;
	c.settle_ms = r->dry_run ? 0 : settle_ms;
	c.poll_ms = 10;
	c.load = load_device;
	c.data = r;
	/* listening before the first scan: no device appears unseen */
	r->uevents = r->dry_run ? -ENOTSUP : uevent_open();
	c.wait = wait_uevent;
	e = modules_coldplug(&c);
	if (r->uevents >= 0)
		close(r->uevents);
	if (e < 0) {
		error(-e, "unable to read %s", sysdevices);
		r->failed++;
	}
	if (c.late[0])
		warn(0, "%s: still finding disks after %d ms", c.late, settle_ms);
	debug("storage coldplug: %d rounds, %d sysfs scans", c.rounds, c.scans);
}

static void json_begin(struct run *r)
{
	json_init(&r->j, stdout);
	json_object_begin(&r->j, NULL);
	json_string(&r->j, "dir", modules_dir(r->m));
	json_bool(&r->j, "dry_run", r->dry_run);
	json_array_begin(&r->j, "actions");
}

static void json_end(struct run *r)
{
	json_array_end(&r->j);
	json_int(&r->j, "failed", r->failed);
	json_object_end(&r->j);
	json_finish(&r->j);
}

static int run(int argc, char **argv)
{
	struct options o;
	struct run r;
	int i, e, inserted = 0;

	e = parse_args(argc, argv, &o);
	if (e)
		return e < 0 ? cmd_help(&cmd_modules) : e;
	if (o.for_level)
		return print_level_modules(o.names, o.nnames);
	memset(&r, 0, sizeof(r));
	r.dry_run = o.dry_run;
	r.json = o.json;
	r.storage = o.storage;
	e = modules_open(&r.m, o.dir, o.kver, log_kmod, NULL);
	if (e < 0) {
		fatal(-e, "unable to load the module indexes of %s",
		      o.dir ? o.dir : o.kver ? o.kver : "the running kernel");
		return EXIT_SYSTEM;
	}
	if (r.json)
		json_begin(&r);
	if (r.storage)
		coldplug_storage(&r, o.settle_ms);
	for (i = 0; i < o.nnames; i++)
		r.failed += load_one(&r, o.names[i], 0, NULL, &inserted);
	if (r.json)
		json_end(&r);
	fflush(stdout);
	modules_close(r.m);
	names_free(&r.done);
	names_free(&r.refused);
	return r.failed ? EXIT_PROBLEM : EXIT_OK;
}
