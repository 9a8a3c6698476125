/* The command table: one command per cmd/NAME.c file, each defining one
 * `const struct command cmd_NAME`; its `warmboot NAME --help` text is
 * cmd/NAME.help (help.h). */
#ifndef WB_CMD_H
#define WB_CMD_H

/* Exit codes (documented in README and warmboot --help). */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEM = 1,  /* a check found a problem; some items failed */
	EXIT_USAGE = 2,    /* the command line was wrong */
	EXIT_SYSTEM = 3,   /* the system refused: I/O error, kernel said no */
	EXIT_REFUSED = 4,  /* warmboot refuses as unsafe or unsupported (use mdadm) */
};

struct command {
	const char *name;
	const char *summary;	/* one line for `warmboot --help` */
	int (*run)(int argc, char **argv);
};

/* Prints the usage hint for a bad command line and returns EXIT_USAGE. */
int cmd_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints cmd/NAME.help to stdout and returns EXIT_OK (EXIT_SYSTEM when
 * the texts cannot be decoded). */
int cmd_help(const struct command *cmd);

#endif
