/* warmboot: assemble md arrays, load RAID drivers and kexec the next kernel
 * from early userspace. This file only dispatches. */
#include "cmd.h"
#include "commands.h"
#include "help.h"
#include "msg.h"
#include "version.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DECLARE(name) extern const struct command cmd_##name;
WB_COMMANDS(DECLARE)
#define ENTRY(name) &cmd_##name,
static const struct command *const commands[] = { WB_COMMANDS(ENTRY) NULL };

/* The texts of helper/NAME.help and cmd/NAME.help (help.h): first the
 * one named, then, for `warmboot --help`, the command list, and always the
 * exit status. */
static int print_help(const char *name, int with_commands)
{
	const char *text, *exit_status;
	struct help h;
	size_t i;
	int r = help_open(&h);

	if (r) {
		fatal(-r, "unable to decode the help texts");
		return EXIT_SYSTEM;
	}
	text = help_find(&h, name);
	exit_status = help_find(&h, "exit-status");
	if (!text || !exit_status) {
		fatal(0, "no help text for '%s'", text ? "exit-status" : name);
		help_close(&h);
		return EXIT_SYSTEM;
	}
	fputs(text, stdout);
	for (i = 0; with_commands && commands[i]; i++)
		printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs(exit_status, stdout);
	help_close(&h);
	return EXIT_OK;
}

static void print_version(void)
{
	printf("warmboot %s\n", WB_VERSION);
	printf("built with libkmod %s, libzstd %s, liblzma %s, zlib %s\n",
	       WB_LIBKMOD_VERSION, WB_LIBZSTD_VERSION, WB_LIBLZMA_VERSION,
	       WB_ZLIB_VERSION);
}

int cmd_help(const struct command *cmd)
{
	return print_help(cmd->name, 0);
}

int cmd_usage_error(const struct command *cmd, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	msg(MSG_FATAL, 0, "%s", text);
	fprintf(stderr, "Try 'warmboot %s%s--help' for more information.\n",
		cmd ? cmd->name : "", cmd ? " " : "");
	return EXIT_USAGE;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; commands[i]; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	msg_init();
	if (argc < 2)
		return cmd_usage_error(NULL, "no command given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return print_help("warmboot", 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		print_version();
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return cmd_usage_error(NULL, "unknown command '%s'", argv[1]);
	return cmd->run(argc - 1, argv + 1);
}
