/* warmboot load: load the next kernel with kexec_file_load. */
#include "boot/bootcfg.h"
#include "kexec/bzimage.h"
#include "cmd.h"
#include "kexec/cmdline.h"
#include "kexec/check.h"
#include "cmd/kexec.h"
#include "kexec/state.h"
#include "msg.h"
#include "sys/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

const struct command cmd_load;

static const char usage[] =
	"Usage: warmboot load [ENTRY|KERNEL] [--initrd FILE] [--append ARGS]\n"
	"                     [--command-line ARGS] [--reuse-cmdline]\n"
	"                     [--remove NAME]... [--root DIR] [--force]\n"
	"\n"
	"Load the next kernel with kexec_file_load, for `warmboot exec`.\n"
	"ENTRY is `default` (the boot loader's default entry, the default when\n"
	"none is given), `latest`, a kernel version or a kernel path (see\n"
	"`warmboot entries`); a path's initrd.img-VERSION is found next to it.\n"
	"\n"
	"The command line is the running one (/proc/cmdline) without BOOT_IMAGE=,\n"
	"initrd= and warmboot.chain=, then the words of --append.\n"
	"  -l, --load            accepted for kexec-tools habits (loading is the\n"
	"                        point of this command); -s likewise\n"
	"  --initrd, --ramdisk FILE   the initrd (default: the entry's)\n"
	"  --append ARGS         add ARGS to the command line (repeatable)\n"
	"  --command-line ARGS   use ARGS instead of the running command line\n"
	"                        (--append is still added)\n"
	"  --reuse-cmdline       start from the running command line (default)\n"
	"  --remove NAME         drop parameter NAME (repeatable)\n"
	"  --root DIR            find entries under DIR instead of /\n"
	"  --force               load even when `warmboot check` finds a fatal\n"
	"                        problem (a malformed bzImage is always refused)\n"
	"Note: unlike kexec-tools, --append adds to the command line; use\n"
	"--command-line to replace it.\n";

#define MAX_REMOVE 32

struct load_opts {
	const char *spec, *initrd, *command_line, *root;
	char append[4096];
	const char *remove[MAX_REMOVE];
	size_t nremove;
	int force;
};

static int parse(const struct command *self, int argc, char **argv, struct load_opts *o)
{
	static const struct option opts[] = {
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
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "lsh", opts, NULL)) != -1) {
		switch (c) {
		case 'l': case 's': case 'R': break;
		case 'i': o->initrd = optarg; break;
		case 'c': o->command_line = optarg; break;
		case 'r': o->root = optarg; break;
		case 'F': o->force = 1; break;
		case 'a':
			if (cmdline_add_words(o->append, sizeof(o->append), optarg))
				return cmd_usage_error(self, "--append arguments too long");
			break;
		case 'x':
			if (o->nremove == MAX_REMOVE)
				return cmd_usage_error(self, "more than %d --remove", MAX_REMOVE);
			o->remove[o->nremove++] = optarg;
			break;
		case 'h': return -1;
		default:
			return cmd_usage_error(self, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->spec = argv[optind++];
	if (optind < argc)
		return cmd_usage_error(self, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* One fd holding all initrds: the file itself, or a memfd of their
 * concatenation (the kernel unpacks concatenated cpio archives). */
static int open_initrds(const struct boot_entry *e)
{
	char buf[65536];
	int i, out, in;

	if (e->ninitrd == 1) {
		in = open(e->initrd[0], O_RDONLY | O_CLOEXEC);
		if (in < 0)
			fatal(errno, "unable to open initrd %s", e->initrd[0]);
		return in < 0 ? -1 : in;
	}
	out = memfd_create("warmboot-initrd", MFD_CLOEXEC);
	if (out < 0) {
		fatal(errno, "unable to create a buffer for %d initrds", e->ninitrd);
		return -1;
	}
	for (i = 0; i < e->ninitrd; i++) {
		ssize_t n;

		in = open(e->initrd[i], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fatal(errno, "unable to open initrd %s", e->initrd[i]);
			close(out);
			return -1;
		}
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n) {
				n = -1;
				break;
			}
		close(in);
		if (n < 0) {
			fatal(errno, "unable to copy initrd %s", e->initrd[i]);
			close(out);
			return -1;
		}
	}
	return out;
}

static int build_cmdline(const struct load_opts *o, char *out, size_t len)
{
	char running[4096];
	const char *base = o->command_line;
	int r;

	if (!base) {
		r = cmdline_read_running(running, sizeof(running));
		if (r) {
			fatal(-r, "unable to read the running command line %s/proc/cmdline",
			      sys_root());
			return -1;
		}
		base = running;
	}
	r = cmdline_compose(base, o->remove, o->nremove, o->append, out, len);
	if (r) {
		fatal(0, "the command line is longer than %zu bytes", len - 1);
		return -1;
	}
	return 0;
}

static void report_failure(const struct boot_entry *e, int err)
{
	struct kexec_failure f;

	kexec_classify(err, &f);
	fatal(err, "kexec_file_load of %s refused: %s", e->kernel, f.what);
	if (f.hint)
		msg(MSG_INFO, 0, "%s", f.hint);
}

int kexec_load_command(const struct command *self, int argc, char **argv)
{
	static char cmdline[4096];
	struct kexec_record rec;
	struct load_opts o;
	struct boot_list list;
	struct boot_entry e;
	struct bzimage bz;
	const char *why;
	unsigned long flags = 0;
	int r, kfd, ifd = -1;

	r = parse(self, argc, argv, &o);
	if (r < 0)
		return cmd_help(self);
	if (r)
		return r;
	r = bootcfg_scan(o.root, &list);
	if (r) {
		fatal(-r, "unable to list boot entries");
		return EXIT_SYSTEM;
	}
	r = bootcfg_choose(&list, o.spec ? o.spec : "default", &e, &why);
	bootcfg_free(&list);
	if (r) {
		fatal(0, "no kernel for '%s': %s", o.spec ? o.spec : "default", why);
		return EXIT_PROBLEM;
	}
	if (o.initrd) {
		snprintf(e.initrd[0], sizeof(e.initrd[0]), "%s", o.initrd);
		e.ninitrd = 1;
	}
	r = bzimage_read(e.kernel, &bz, &why);
	if (r == -ENOEXEC) {
		fatal(0, "refusing to load %s: %s", e.kernel, why);
		return EXIT_REFUSED;
	} else if (r) {
		fatal(-r, "unable to read kernel %s", e.kernel);
		return EXIT_SYSTEM;
	}
	if (build_cmdline(&o, cmdline, sizeof(cmdline)))
		return EXIT_USAGE;
	if (strlen(cmdline) > bz.cmdline_size) {
		fatal(0, "refusing to load %s: the command line has %zu bytes, the kernel"
		      " takes at most %u", e.kernel, strlen(cmdline), bz.cmdline_size);
		return EXIT_REFUSED;
	}
	if (!o.force) {
		struct kexec_check_input in = {
			.kernel = e.kernel, .bz = &bz, .cmdline = cmdline,
			.initrds = (const char (*)[PATH_MAX])e.initrd, .ninitrd = e.ninitrd,
		};
		struct kexec_findings fs;

		kexec_check_run(&in, &fs);
		if (kexec_findings_fatal(&fs)) {
			size_t i;
			for (i = 0; i < fs.n; i++)
				if (fs.v[i].level == FINDING_FATAL)
					error(0, "%s: %s", fs.v[i].check, fs.v[i].text);
			fatal(0, "refusing to load %s: `warmboot check` found fatal problems"
			      " (--force loads anyway)", e.kernel);
			kexec_findings_free(&fs);
			return EXIT_PROBLEM;
		}
		kexec_findings_free(&fs);
	}
	kfd = open(e.kernel, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		fatal(errno, "unable to open kernel %s", e.kernel);
		return EXIT_SYSTEM;
	}
	if (e.ninitrd) {
		ifd = open_initrds(&e);
		if (ifd < 0) {
			close(kfd);
			return EXIT_SYSTEM;
		}
	} else {
		flags |= KEXEC_FILE_NO_INITRAMFS;
	}
	r = sys_kexec_file_load(kfd, ifd, cmdline, flags);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (r) {
		report_failure(&e, -r);
		return EXIT_SYSTEM;
	}
	memset(&rec, 0, sizeof(rec));
	snprintf(rec.kernel, sizeof(rec.kernel), "%s", e.kernel);
	snprintf(rec.initrd, sizeof(rec.initrd), "%s", e.ninitrd ? e.initrd[0] : "");
	snprintf(rec.release, sizeof(rec.release), "%s", bz.release);
	snprintf(rec.cmdline, sizeof(rec.cmdline), "%s", cmdline);
	rec.loaded_at = (long long)time(NULL);
	r = kexec_record_write(&rec);
	if (r)
		warn(-r, "loaded, but unable to record it in %s" KEXEC_RECORD_PATH, sys_root());
	info("loaded %s (%s)%s%s", e.kernel, bz.release[0] ? bz.release : "no version",
	     e.ninitrd ? " with " : " without initrd", e.ninitrd ? e.initrd[0] : "");
	return EXIT_OK;
}

static int run(int argc, char **argv)
{
	return kexec_load_command(&cmd_load, argc, argv);
}

const struct command cmd_load = {
	.name = "load",
	.summary = "load the next kernel for kexec (kexec_file_load)",
	.usage = usage,
	.run = run,
};
