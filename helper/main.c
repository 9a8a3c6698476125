/* warmboot: assemble md arrays, load RAID drivers and kexec the next kernel
 * from early userspace. This file only dispatches. */
#include "cmd.h"
#include "commands.h"
#include "msg.h"
#include "version.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DECLARE(name) extern const struct command cmd_##name;
WB_COMMANDS(DECLARE)
#define ENTRY(name) &cmd_##name,
static const struct command *const commands[] = { WB_COMMANDS(ENTRY) NULL };

static const char general_usage[] =
	"Usage: warmboot COMMAND [OPTIONS] [ARGS]\n"
	"       warmboot COMMAND --help\n"
	"       warmboot --version\n"
	"\n"
	"Reboot Linux servers into a new kernel without going through firmware:\n"
	"load RAID drivers, assemble md arrays like mdadm, kexec the next kernel.\n"
	"\n"
	"Commands:\n";

static const char exit_codes[] =
	"\n"
	"Exit status: 0 success; 1 a check found a problem or some items failed;\n"
	"2 bad usage; 3 the system refused (I/O error, kernel error);\n"
	"4 refused as unsafe or unsupported (use mdadm).\n"
	"Environment: WARMBOOT_KMSG=0|1 copies messages to /dev/kmsg (default: in\n"
	"early boot); WARMBOOT_DEBUG=1 prints debug messages.\n";

static void print_help(void)
{
	size_t i;

	fputs(general_usage, stdout);
	for (i = 0; commands[i]; i++)
		printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs(exit_codes, stdout);
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
	fputs(cmd->usage, stdout);
	fputs(exit_codes, stdout);
	return EXIT_OK;
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
	    !strcmp(argv[1], "help")) {
		print_help();
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		print_version();
		return EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return cmd_usage_error(NULL, "unknown command '%s'", argv[1]);
	return cmd->run(argc - 1, argv + 1);
}
