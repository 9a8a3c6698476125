/* What the kexec commands share, at the command level (cmd/kexec.c): the
 * one option parser of `check` and `load` (`reboot` takes load's), the
 * entry and command line both resolve, and the load and the jump with
 * their messages, for `load`, `exec` and `reboot`. The work itself is
 * library code: boot/bootcfg, kexec/load, kexec/quiesce. */
#ifndef WB_KEXEC_CMD_H
#define WB_KEXEC_CMD_H

#include "boot/bootcfg.h"
#include "kexec/check.h"

#include <stddef.h>

struct command;
struct kexec_findings;

#define KEXEC_MAX_REMOVE 32

enum kexec_opts_of { KEXEC_OPTS_CHECK, KEXEC_OPTS_LOAD };

struct kexec_opts {
	const char *spec;		/* ENTRY|KERNEL, NULL for "default" */
	const char *initrd, *command_line, *root;
	char append[4096];		/* the words of every --append */
	const char *remove[KEXEC_MAX_REMOVE];
	size_t nremove;
	int force;			/* load, check: --force */
	int json;			/* check: --json */
	int watchdog;			/* check: --watchdog SECONDS, 0 without */
};

/* Parse the options of check or load; self names the command in messages.
 * 0, -1 for --help, or EXIT_USAGE (the message printed). */
int kexec_opts_parse(const struct command *self, enum kexec_opts_of which, int argc,
		     char **argv, struct kexec_opts *o);
/* The entry the options name: 0 or an exit code (the message printed). */
int kexec_cmd_entry(const struct kexec_opts *o, struct boot_entry *e);
/* The next kernel's command line: 0, EXIT_SYSTEM when /proc/cmdline cannot
 * be read, EXIT_PROBLEM when it does not fit in len (messages printed). */
int kexec_cmd_cmdline(const struct kexec_opts *o, char *out, size_t len);
/* Load the kernel the options name. Returns an exit code. */
int kexec_cmd_load(const struct kexec_opts *o);
/* The storage controllers in use: a finding each into fs, or with fs NULL
 * a message for each the table refuses. EXIT_REFUSED when one is refused
 * and not force, else 0. */
int kexec_cmd_controllers(int force, struct kexec_findings *fs);
/* Sync, quiesce md arrays and jump into the loaded kernel, with the
 * watchdog armed for watchdog seconds unless 0, unless a controller is
 * refused (force: warned). Returns an exit code only when it failed. */
int kexec_cmd_exec(int watchdog, int force);
/* --watchdog SECONDS: 0, or EXIT_USAGE (the message printed). */
int kexec_cmd_watchdog_arg(const struct command *self, const char *arg, int *out);
/* check's finding on the watchdog exec --watchdog would arm. */
void kexec_cmd_watchdog_finding(struct kexec_findings *fs, int seconds);

#endif
