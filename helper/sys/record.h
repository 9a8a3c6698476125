/* Test side of the recording syscall layer. */
#ifndef WB_SYS_RECORD_H
#define WB_SYS_RECORD_H

/* Everything recorded since the last reset, one call a line. */
const char *sys_record_log(void);
void sys_record_reset(void);
/* Make the named call fail with -err from now on (err 0 clears). */
void sys_record_fail(const char *call, int err);

#endif
