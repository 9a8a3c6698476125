/* warmboot check: would this kernel and initrd come up here? */
#include "cmd.h"
#include "cmd/kexec.h"
#include "kexec/check.h"
#include "lib/json.h"

#include <stdio.h>
#include <string.h>

const struct command cmd_check;

static void print_json(const struct boot_entry *e, const char *cmdline,
		       const struct kexec_findings *fs)
{
	struct json j;
	size_t i;
	int k;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "kernel", e->kernel);
	json_string(&j, "release", fs->release);
	json_array_begin(&j, "initrd");
	for (k = 0; k < e->ninitrd; k++)
		json_string(&j, NULL, e->initrd[k]);
	json_array_end(&j);
	json_string(&j, "cmdline", cmdline);
	json_bool(&j, "ok", !kexec_findings_fatal(fs));
	json_array_begin(&j, "findings");
	for (i = 0; i < fs->n; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "level", finding_level_name(fs->v[i].level));
		json_string(&j, "check", fs->v[i].check);
		json_string(&j, "text", fs->v[i].text);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static void print_text(const struct kexec_findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		printf("%-7s %-8s %s\n", finding_level_name(fs->v[i].level), fs->v[i].check,
		       fs->v[i].text);
}

static int run(int argc, char **argv)
{
	char cmdline[4096];
	struct kexec_check_input in;
	struct kexec_findings fs;
	struct kexec_opts o;
	struct boot_entry e;
	int r, fatals, refused;

	r = kexec_opts_parse(&cmd_check, KEXEC_OPTS_CHECK, argc, argv, &o);
	if (r < 0)
		return cmd_help(&cmd_check);
	if (r || (r = kexec_cmd_entry(&o, &e)) ||
	    (r = kexec_cmd_cmdline(&o, cmdline, sizeof(cmdline))))
		return r;
	memset(&in, 0, sizeof(in));
	in.kernel = e.kernel;
	in.cmdline = cmdline;
	in.initrds = (const char (*)[PATH_MAX])e.initrd;
	in.ninitrd = e.ninitrd;
	kexec_check_run(&in, &fs);
	if (o.watchdog)
		kexec_cmd_watchdog_finding(&fs, o.watchdog);
	refused = kexec_cmd_controllers(o.force, &fs);
	fatals = kexec_findings_fatal(&fs);
	if (o.json)
		print_json(&e, cmdline, &fs);
	else
		print_text(&fs);
	kexec_findings_free(&fs);
	return refused ? refused : fatals ? EXIT_PROBLEM : EXIT_OK;
}

const struct command cmd_check = {
	.name = "check",
	.summary = "check a kernel and initrd before kexec",
	.run = run,
};
