/* warmboot entries: what this system could boot. */
#include "boot/bootcfg.h"
#include "cmd.h"
#include "lib/json.h"
#include "msg.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const struct command cmd_entries;

static void print_json(const struct boot_list *l)
{
	struct json j;
	size_t i;
	int k;

	json_init(&j, stdout);
	json_array_begin(&j, NULL);
	for (i = 0; i < l->n; i++) {
		const struct boot_entry *e = &l->v[i];
		json_object_begin(&j, NULL);
		json_string(&j, "source", boot_source_name(e->source));
		json_string(&j, "origin", e->origin);
		json_string(&j, "version", e->version);
		json_string(&j, "title", e->title);
		json_string(&j, "id", e->id);
		json_string(&j, "kernel", e->kernel);
		json_array_begin(&j, "initrd");
		for (k = 0; k < e->ninitrd; k++)
			json_string(&j, NULL, e->initrd[k]);
		json_array_end(&j);
		if (e->source == BOOT_GRUB || e->source == BOOT_BLS)
			json_string(&j, "cmdline", e->cmdline);
		else
			json_null(&j, "cmdline");
		json_bool(&j, "default", e->is_default);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_finish(&j);
}

static void print_text(const struct boot_list *l)
{
	size_t i;
	int k;

	for (i = 0; i < l->n; i++) {
		const struct boot_entry *e = &l->v[i];
		printf("%s%s %s (%s)\n", e->is_default ? "* " : "  ", boot_source_name(e->source),
		       e->version[0] ? e->version : "-", e->title);
		printf("    kernel:  %s\n", e->kernel);
		for (k = 0; k < e->ninitrd; k++)
			printf("    initrd:  %s\n", e->initrd[k]);
		if (e->source == BOOT_GRUB || e->source == BOOT_BLS)
			printf("    cmdline: %s\n", e->cmdline);
		printf("    from:    %s\n", e->origin);
	}
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct boot_list l;
	const char *root = NULL;
	int json = 0, c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'j': json = 1; break;
		case 'h': return cmd_help(&cmd_entries);
		default:
			return cmd_usage_error(&cmd_entries, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_entries, "unexpected argument '%s'", argv[optind]);
	r = bootcfg_scan(root, &l);
	if (r) {
		fatal(-r, "unable to list boot entries");
		return EXIT_SYSTEM;
	}
	if (json)
		print_json(&l);
	else
		print_text(&l);
	if (!l.n)
		warn(0, "no kernel found under %s", root ? root : "/");
	r = l.n ? EXIT_OK : EXIT_PROBLEM;
	bootcfg_free(&l);
	return r;
}

const struct command cmd_entries = {
	.name = "entries",
	.summary = "list the kernels this system could boot",
	.run = run,
};
