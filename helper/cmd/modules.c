/* warmboot modules: load drivers by name or alias, or coldplug storage. */
#include "cmd.h"
#include "lib/array.h"
#include "lib/json.h"
#include "modules/modules.h"
#include "modules/coldplug.h"
#include "msg.h"
#include "sys/sys.h"
#include "lib/uevent.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"Usage: warmboot modules [OPTIONS] NAME|ALIAS...\n"
	"       warmboot modules --storage [OPTIONS] [NAME|ALIAS...]\n"
	"\n"
	"Load kernel modules with their dependencies and soft dependencies, as\n"
	"modprobe does: options, blacklists and install commands come from\n"
	"/etc/modprobe.d, /run/modprobe.d, /usr/local/lib/modprobe.d and\n"
	"/lib/modprobe.d; built-in and already loaded modules count as loaded;\n"
	"install commands are reported and not run. Modules may be .ko, .ko.xz,\n"
	".ko.zst or .ko.gz.\n"
	"\n"
	"  --storage        coldplug storage without udev: load the drivers of\n"
	"                   storage devices in /sys/devices (PCI class 01, virtio\n"
	"                   block and SCSI, SCSI disks), repeating while new\n"
	"                   devices appear; then the NAMEs, if any\n"
	"  --settle MS      with --storage, wait up to MS milliseconds after a\n"
	"                   round for new devices (default 1000)\n"
	"  --dry-run, -n    print what would be loaded, as `modprobe -n -v`\n"
	"  --dir DIR        resolve against the module directory DIR\n"
	"  --kernel VER     resolve against /lib/modules/VER\n"
	"  --json           print the actions as JSON\n"
	"\n"
	"Output: one `insmod PATH OPTIONS` line per module inserted (or, with\n"
	"--dry-run, to be inserted); with --storage also one line per device:\n"
	"`device SYSPATH MODALIAS: MODULE...`.\n"
	"Exit status 1 when some module could not be loaded.\n";

static int run(int argc, char **argv);

const struct command cmd_modules = {
	.name = "modules",
	.summary = "load drivers (by name or alias, or storage coldplug)",
	.usage = usage,
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

/* Settle wait of the coldplug: sleep until the kernel announces a device
 * with a modalias (module, queue, bdi... events do not need a rescan). */
static int wait_uevent(void *data, int timeout_ms)
{
	const struct run *r = data;

	return r->uevents < 0 ? r->uevents
			      : uevent_wait(r->uevents, timeout_ms, "MODALIAS=");
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
			if (r->storage && dev) {
				info("%s: %s is blacklisted by modprobe.d, not loaded",
				     dev_path(dev), s->name);
			} else {
				error(0, "%s: module %s is blacklisted by modprobe.d", what,
				      s->name);
				failures++;
			}
			emit(r, s, what, dev, "blacklisted", 0, NULL);
			break;
		case MODULES_INSTALL_CMD:
			if (r->dry_run && !r->json)
				printf("install %s %s\n", s->install, s->options);
			else if (!r->dry_run)
				warn(0, "%s: modprobe.d install command not run (no shell): %s",
				     s->name, s->install);
			emit(r, s, what, dev, "install-skipped", 0, NULL);
			break;
		case MODULES_INSMOD:
			if (r->dry_run) {
				/* Like modprobe -n, names repeat; coldplug lists each once. */
				if (dev && names_find(&r->done, s->name))
					break;
				if (dev)
					names_add(&r->done, s->name, 0);
				if (!r->json)
					printf("insmod %s %s\n", s->path ? s->path : s->name,
					       s->options);
				emit(r, s, what, dev, "would-load", 0, NULL);
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

/* Resolves and loads one name or alias (or device modalias). Returns the
 * number of failures. */
static int load_one(struct run *r, const char *what, unsigned flags,
		    const struct coldplug_dev *dev, int *inserted)
{
	struct modules_plan plan = { 0 };
	int e, failures;

	e = modules_plan_add(r->m, what, flags, &plan);
	if (e == -ENOENT && dev) {
		info("%s: no driver for %s in %s", dev_path(dev), what, modules_dir(r->m));
		modules_plan_free(&plan);
		return 0;
	}
	if (e == -ENOENT) {
		error(0, "%s: no such module or alias in %s", what, modules_dir(r->m));
		modules_plan_free(&plan);
		return 1;
	}
	if (e < 0) {
		error(-e, "%s: could not resolve", what);
		modules_plan_free(&plan);
		return 1;
	}
	failures = run_plan(r, &plan, what, dev, inserted);
	if (dev && !r->json) {
		size_t i, k;

		/* The chain that drives the device, each module once. */
		printf("device %s %s:", dev_path(dev), dev->modalias);
		for (i = 0; i < plan.steps.n; i++) {
			if (!plan.steps.v[i].required)
				continue;
			for (k = 0; k < i; k++)
				if (plan.steps.v[k].required &&
				    !strcmp(plan.steps.v[k].name, plan.steps.v[i].name))
					break;
			if (k == i)
				printf(" %s", plan.steps.v[i].name);
		}
		printf("\n");
	}
	modules_plan_free(&plan);
	return failures;
}

static int load_device(void *data, const struct coldplug_dev *dev)
{
	struct run *r = data;
	int inserted = 0, failures;

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

/* "--opt VALUE" or "--opt=VALUE"; NULL when the argument is not --opt. */
static const char *opt_value(const char *opt, int argc, char **argv, int *i, int *missing)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int run(int argc, char **argv)
{
	struct run r;
	const char *dir = NULL, *kver = NULL, *v;
	char sysdevices[PATH_MAX];
	int settle_ms = 1000, i, missing = 0, e, nnames = 0, inserted = 0;
	char **names = calloc((size_t)argc, sizeof(*names));

	if (!names) {
		fatal(ENOMEM, "unable to parse arguments");
		return EXIT_SYSTEM;
	}
	memset(&r, 0, sizeof(r));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			free(names);
			return cmd_help(&cmd_modules);
		} else if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n")) {
			r.dry_run = 1;
		} else if (!strcmp(argv[i], "--json")) {
			r.json = 1;
		} else if (!strcmp(argv[i], "--storage")) {
			r.storage = 1;
		} else if ((v = opt_value("--dir", argc, argv, &i, &missing))) {
			dir = v;
		} else if ((v = opt_value("--kernel", argc, argv, &i, &missing))) {
			kver = v;
		} else if ((v = opt_value("--settle", argc, argv, &i, &missing))) {
			if (parse_ms(v, &settle_ms) < 0) {
				free(names);
				return cmd_usage_error(&cmd_modules, "invalid --settle '%s'", v);
			}
		} else if (missing) {
			free(names);
			return cmd_usage_error(&cmd_modules, "%s needs a value", argv[i]);
		} else if (!strcmp(argv[i], "--")) {
			while (++i < argc)
				names[nnames++] = argv[i];
		} else if (argv[i][0] == '-') {
			free(names);
			return cmd_usage_error(&cmd_modules, "unknown option '%s'", argv[i]);
		} else {
			names[nnames++] = argv[i];
		}
	}
	if (dir && kver) {
		free(names);
		return cmd_usage_error(&cmd_modules, "--dir and --kernel exclude each other");
	}
	if (!nnames && !r.storage) {
		free(names);
		return cmd_usage_error(&cmd_modules, "no module named (or --storage)");
	}

	e = modules_open(&r.m, dir, kver, log_kmod, NULL);
	if (e < 0) {
		fatal(-e, "unable to load the module indexes of %s",
		      dir ? dir : kver ? kver : "the running kernel");
		free(names);
		return EXIT_SYSTEM;
	}
	if (r.json) {
		json_init(&r.j, stdout);
		json_object_begin(&r.j, NULL);
		json_string(&r.j, "dir", modules_dir(r.m));
		json_bool(&r.j, "dry_run", r.dry_run);
		json_array_begin(&r.j, "actions");
	}
	if (r.storage) {
		struct coldplug c;

		snprintf(sysdevices, sizeof(sysdevices), "%s/sys/devices", sys_root());
		memset(&c, 0, sizeof(c));
		c.sysdevices = sysdevices;
		c.max_rounds = 8;
		c.settle_ms = r.dry_run ? 0 : settle_ms;
		c.poll_ms = 10;
		c.load = load_device;
		c.data = &r;
		/* listening before the first scan: no device appears unseen */
		r.uevents = r.dry_run ? -ENOTSUP : uevent_open();
		c.wait = wait_uevent;
		e = modules_coldplug(&c);
		if (r.uevents >= 0)
			close(r.uevents);
		if (e < 0) {
			error(-e, "unable to read %s", sysdevices);
			r.failed++;
		}
		debug("storage coldplug: %d rounds, %d sysfs scans", c.rounds, c.scans);
	}
	for (i = 0; i < nnames; i++)
		r.failed += load_one(&r, names[i], 0, NULL, &inserted);
	if (r.json) {
		json_array_end(&r.j);
		json_int(&r.j, "failed", r.failed);
		json_object_end(&r.j);
		json_finish(&r.j);
	}
	fflush(stdout);
	modules_close(r.m);
	names_free(&r.done);
	names_free(&r.refused);
	free(names);
	return r.failed ? EXIT_PROBLEM : EXIT_OK;
}
