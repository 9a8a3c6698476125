/* The command-level part the kexec commands share: options, messages and
 * exit codes around the library calls (see cmd/kexec.h). */
#include "cmd/kexec.h"
#include "cmd.h"
#include "kexec/check.h"
#include "kexec/cmdline.h"
#include "kexec/controllers.h"
#include "kexec/keyring.h"
#include "kexec/load.h"
#include "kexec/quiesce.h"
#include "kexec/state.h"
#include "kexec/watchdog.h"
#include "lib/file.h"
#include "msg.h"
#include "sys/sys.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const struct option check_options[] = {
	{ "initrd", required_argument, NULL, 'i' },
	{ "append", required_argument, NULL, 'a' },
	{ "command-line", required_argument, NULL, 'c' },
	{ "remove", required_argument, NULL, 'x' },
	{ "root", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'j' },
	{ "watchdog", required_argument, NULL, 'w' },
	{ "force", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option load_options[] = {
	{ "load", no_argument, NULL, 'l' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "ramdisk", required_argument, NULL, 'i' },
	{ "append", required_argument, NULL, 'a' },
	{ "command-line", required_argument, NULL, 'c' },
	{ "reuse-cmdline", no_argument, NULL, 'R' },
	{ "remove", required_argument, NULL, 'x' },
	{ "root", required_argument, NULL, 'r' },
	{ "force", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One option of either table: 0, -1 for --help, or EXIT_USAGE. */
static int take_option(const struct command *self, int c, char **argv, struct kexec_opts *o)
{
	switch (c) {
	case 'l': case 's': case 'R': return 0;	/* kexec-tools habits */
	case 'i': o->initrd = optarg; return 0;
	case 'c': o->command_line = optarg; return 0;
	case 'r': o->root = optarg; return 0;
	case 'F': o->force = 1; return 0;
	case 'j': o->json = 1; return 0;
	case 'w': return kexec_cmd_watchdog_arg(self, optarg, &o->watchdog);
	case 'a':
		if (cmdline_add_words(o->append, sizeof(o->append), optarg))
			return cmd_usage_error(self, "--append arguments too long");
		return 0;
	case 'x':
		if (o->nremove == KEXEC_MAX_REMOVE)
			return cmd_usage_error(self, "more than %d --remove", KEXEC_MAX_REMOVE);
		o->remove[o->nremove++] = optarg;
		return 0;
	case 'h': return -1;
	default:
		return cmd_usage_error(self, "unknown option '%s'", argv[optind - 1]);
	}
}

int kexec_opts_parse(const struct command *self, enum kexec_opts_of which, int argc,
		     char **argv, struct kexec_opts *o)
{
	const struct option *table = which == KEXEC_OPTS_CHECK ? check_options : load_options;
	const char *shorts = which == KEXEC_OPTS_CHECK ? "h" : "lsh";
	int c, r;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, table, NULL)) != -1)
		if ((r = take_option(self, c, argv, o)))
			return r;
	if (optind < argc)
		o->spec = argv[optind++];
	if (optind < argc)
		return cmd_usage_error(self, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int kexec_cmd_entry(const struct kexec_opts *o, struct boot_entry *e)
{
	const char *spec = o->spec ? o->spec : "default", *why;
	int r = bootcfg_find(o->root, spec, o->initrd, e, &why);

	if (r && !why) {
		fatal(-r, "unable to list boot entries");
		return EXIT_SYSTEM;
	}
	if (r) {
		fatal(0, "no kernel for '%s': %s", spec, why);
		return EXIT_PROBLEM;
	}
	return 0;
}

int kexec_cmd_cmdline(const struct kexec_opts *o, char *out, size_t len)
{
	/* /proc/cmdline is at most COMMAND_LINE_SIZE (2048 on x86) plus what
	 * bootconfig adds; the next kernel's line must fit len anyway */
	char running[4096], path[PATH_MAX];
	const char *base = o->command_line;
	int r;

	if (!base) {
		snprintf(path, sizeof(path), "%s/proc/cmdline", sys_root());
		r = read_text(path, running, sizeof(running));
		if (r) {
			fatal(-r, "unable to read the running command line %s", path);
			return EXIT_SYSTEM;
		}
		base = running;
	}
	if (cmdline_compose(base, o->remove, o->nremove, o->append, out, len)) {
		fatal(0, "the command line is longer than %zu bytes", len - 1);
		return EXIT_PROBLEM;
	}
	return 0;
}

static int read_kernel(const char *kernel, struct bzimage *bz)
{
	const char *why;
	int r = bzimage_read(kernel, bz, &why);

	if (r == -ENOEXEC) {
		fatal(0, "refusing to load %s: %s", kernel, why);
		return EXIT_REFUSED;
	} else if (r) {
		fatal(-r, "unable to read kernel %s", kernel);
		return EXIT_SYSTEM;
	}
	return 0;
}

static int report_refusal(const struct kexec_load_input *in, struct kexec_load_result *res)
{
	size_t i;

	if (res->step == KEXEC_LOAD_CMDLINE) {
		fatal(0, "refusing to load %s: the command line has %zu bytes, the kernel"
		      " takes at most %u", in->kernel, strlen(in->cmdline), in->bz->cmdline_size);
		return EXIT_REFUSED;
	}
	for (i = 0; i < res->findings.n; i++)
		if (res->findings.v[i].level == FINDING_FATAL)
			error(0, "%s: %s", res->findings.v[i].check, res->findings.v[i].text);
	fatal(0, "refusing to load %s: `warmboot check` found fatal problems"
	      " (--force loads anyway)", in->kernel);
	kexec_findings_free(&res->findings);
	return EXIT_PROBLEM;
}

/* What `warmboot check` says of the image under lockdown. */
static void explain_lockdown(const char *kernel, const char *mode)
{
	char text[640];

	if (lockdown_judge(kernel, mode, text, sizeof(text)) == LOCKDOWN_TRUSTED)
		msg(MSG_INFO, 0, "%s; it refused the image all the same: the key may be"
		    " revoked (.blacklist) or the image changed after signing", text);
	else
		msg(MSG_INFO, 0, "%s", text);
}

static int report_load_failure(const struct kexec_load_input *in,
			       struct kexec_load_result *res, int err)
{
	struct kexec_failure f;

	switch (res->step) {
	case KEXEC_LOAD_CMDLINE:
	case KEXEC_LOAD_CHECKS:
		return report_refusal(in, res);
	case KEXEC_LOAD_KERNEL:
		fatal(-err, "unable to open kernel %s", in->kernel);
		break;
	case KEXEC_LOAD_INITRD:
		fatal(-err, "unable to open initrd %s", res->path);
		break;
	case KEXEC_LOAD_BUFFER:
		fatal(-err, "unable to create a buffer for %d initrds", in->ninitrd);
		break;
	case KEXEC_LOAD_COPY:
		fatal(-err, "unable to copy initrd %s", res->path);
		break;
	case KEXEC_LOAD_SYSCALL:
		kexec_classify(-err, &f);
		fatal(-err, "kexec_file_load of %s refused: %s", in->kernel, f.what);
		if (f.lockdown[0])
			explain_lockdown(in->kernel, f.lockdown);
		else if (f.hint)
			msg(MSG_INFO, 0, "%s", f.hint);
		break;
	}
	return EXIT_SYSTEM;
}

int kexec_cmd_load(const struct kexec_opts *o)
{
	static char cmdline[4096];
	struct kexec_load_result res;
	struct kexec_load_input in;
	struct boot_entry e;
	struct bzimage bz;
	int r;

	if ((r = kexec_cmd_entry(o, &e)) || (r = read_kernel(e.kernel, &bz)))
		return r;
	if (kexec_cmd_cmdline(o, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;	/* what load has always answered here */
	in = (struct kexec_load_input){
		.kernel = e.kernel, .bz = &bz, .cmdline = cmdline, .force = o->force,
		.initrds = (const char (*)[PATH_MAX])e.initrd, .ninitrd = e.ninitrd,
	};
	r = kexec_load(&in, &res);
	if (r)
		return report_load_failure(&in, &res, r);
	if (res.record_err)
		warn(-res.record_err, "loaded, but unable to record it in %s" KEXEC_RECORD_PATH,
		     sys_root());
	info("loaded %s (%s)%s%s", e.kernel, bz.release[0] ? bz.release : "no version",
	     e.ninitrd ? " with " : " without initrd", e.ninitrd ? e.initrd[0] : "");
	return EXIT_OK;
}

static void report_quiesce(const struct quiesce_report *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		const struct quiesced *a = &q->v[i];

		if (a->stopped)
			info("stopped %s", a->name);
		if (a->stop_err)
			warn(-a->stop_err, "unable to stop %s, marking it clean", a->name);
		if (a->clean_err)
			error(-a->clean_err, "unable to mark %s clean", a->name);
	}
}

int kexec_cmd_watchdog_arg(const struct command *self, const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < 1 || v > 3600)
		return cmd_usage_error(self, "bad --watchdog '%s' (1 to 3600 seconds)", arg);
	*out = (int)v;
	return 0;
}

/* Why watchdog0 cannot guard the jump, NULL when it can (w filled). */
static const char *watchdog_problem(struct watchdog_state *w)
{
	if (watchdog_read(w))
		return "there is no watchdog (/sys/class/watchdog/watchdog0)";
	return watchdog_unusable(w);
}

void kexec_cmd_watchdog_finding(struct kexec_findings *fs, int seconds)
{
	struct finding *f = array_push(fs);
	struct watchdog_state w;
	const char *why = watchdog_problem(&w);

	if (!f)
		return;
	*f = (struct finding){ .level = why ? FINDING_FATAL : FINDING_OK, .check = "watchdog" };
	if (why)
		snprintf(f->text, sizeof(f->text), "--watchdog %d cannot guard the jump: %s",
			 seconds, why);
	else
		snprintf(f->text, sizeof(f->text), "%s resets the machine when the next kernel"
			 " hangs %d s%s", w.identity, seconds, w.nowayout ? " (nowayout)" : "");
}

/* Open and arm the watchdog before anything changes: the fd, or a negative
 * exit code (the message printed). */
static int arm_watchdog(int seconds)
{
	struct watchdog_state w;
	const char *why = watchdog_problem(&w);
	int fd, asked = seconds;

	if (why) {
		fatal(0, "--watchdog %d cannot guard the jump: %s", seconds, why);
		return -EXIT_REFUSED;
	}
	fd = watchdog_arm(&seconds);
	if (fd < 0) {
		fatal(-fd, "unable to arm " WATCHDOG_DEV " (%s) for %d s", w.identity, asked);
		return -EXIT_SYSTEM;
	}
	info("watchdog %s armed: %d s for the next kernel to take it over", w.identity, seconds);
	return fd;
}

/* One finding (fs) or message (fs NULL, refusals only) per controller. */
static void report_controller(const struct controller *c, int force, struct kexec_findings *fs)
{
	struct finding *f = fs ? array_push(fs) : NULL;
	char text[sizeof(f->text)];

	int n = snprintf(text, sizeof(text), "controller %s %s:%s", c->pci, c->driver, c->disks);

	if (c->refuse)
		snprintf(text + n, sizeof(text) - n, ": %s %s", c->refuse, c->ref);
	if (!fs && c->refuse)
		msg(force ? MSG_WARN : MSG_FATAL, 0, "%s%s", text, force ? "" : " (--force to jump)");
	if (!f)
		return;
	f->level = !c->refuse ? FINDING_OK : force ? FINDING_WARN : FINDING_FATAL;
	strcpy(f->check, "storage");
	strcpy(f->text, text);
}

int kexec_cmd_controllers(int force, struct kexec_findings *fs)
{
	controller_list l;
	int refused = 0;
	size_t i;
	int r = kexec_controllers(sys_root(), &l);

	/* no /sys/block: no disks (a test tree); other errors are worth a word */
	if (r && r != -ENOENT)
		warn(-r, "unable to read %s/sys/block", sys_root());
	if (r)
		return 0;
	for (i = 0; i < l.n; i++) {
		report_controller(&l.v[i], force, fs);
		refused |= l.v[i].refuse && !force;
	}
	array_free(&l);
	return refused ? EXIT_REFUSED : 0;
}

int kexec_cmd_exec(int watchdog, int force)
{
	struct quiesce_report q;
	int r = kexec_is_loaded(), wfd = -1;

	if (r < 0) {
		fatal(-r, "unable to read %s/sys/kernel/kexec_loaded", sys_root());
		return EXIT_SYSTEM;
	}
	if (!r) {
		fatal(0, "no kernel is loaded: run `warmboot load` first");
		return EXIT_REFUSED;
	}
	if (kexec_cmd_controllers(force, NULL))
		return EXIT_REFUSED;
	if (watchdog && (wfd = arm_watchdog(watchdog)) < 0)
		return -wfd;
	sys_sync();
	r = kexec_quiesce_md(&q);
	report_quiesce(&q);
	array_free(&q);
	if (r)
		warn(0, "%d md array(s) could not be quiesced; the kernel marks them"
		     " clean on the way down", r);
	sys_sync();
	/* the deadline starts now, not before the quiesce */
	if (wfd >= 0 && (r = watchdog_keepalive(wfd)))
		warn(-r, "unable to ping " WATCHDOG_DEV);
	r = sys_reboot(WB_REBOOT_CMD_KEXEC);
	fatal(r ? -r : 0, "reboot(LINUX_REBOOT_CMD_KEXEC) returned");
	if (wfd >= 0 && watchdog_disarm(wfd))
		warn(0, WATCHDOG_DEV " stays armed (nowayout?)");
	return EXIT_SYSTEM;
}
