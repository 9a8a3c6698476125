/* Before the jump into the loaded kernel: md arrays nothing uses are
 * stopped, the others marked clean, so no member's event count diverges
 * between this kernel's last write and the next one's first read. */
#ifndef WB_KEXEC_QUIESCE_H
#define WB_KEXEC_QUIESCE_H

#include "lib/array.h"

/* What was done to one active array. */
struct quiesced {
	char name[256];		/* "md0" */
	int stopped;		/* md_stop succeeded */
	int stop_err;		/* md_stop's -errno, 0 when not tried (in use) */
	int marked;		/* array_state was written "clean" */
	int clean_err;		/* that write's -errno */
};

struct quiesce_report {
	ARRAY(struct quiesced);
};

/* Each active md array of sys_root()/sys/block, in directory order: stop
 * it when nothing holds or mounts it, else (or when stopping failed) mark
 * it clean. Goes on past failures. The arrays acted on are listed in
 * *out (array_free() it; an array that cannot be listed, out of memory,
 * is still quiesced). Returns how many could not be quiesced. */
int kexec_quiesce_md(struct quiesce_report *out);

#endif
