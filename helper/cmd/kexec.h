/* What `warmboot reboot` shares with `load` and `exec` (defined in
 * cmd/load.c and cmd/exec.c). */
#ifndef WB_KEXEC_CMD_H
#define WB_KEXEC_CMD_H

struct command;

/* Parse load's options (self names the command in messages) and load the
 * kernel. Returns an exit code. */
int kexec_load_command(const struct command *self, int argc, char **argv);
/* Sync, quiesce md arrays and jump into the loaded kernel. Returns an exit
 * code only when it failed. */
int kexec_exec_loaded(void);
/* Mark active md arrays clean, stop those not in use: 0 or the count of
 * arrays that could not be quiesced. */
int exec_quiesce_md(void);

#endif
