/* Loading the next kernel: refuse what `warmboot check` finds fatal (unless
 * forced), hand the kernel, its initrds and the command line to
 * kexec_file_load, record the load in KEXEC_RECORD_PATH. Never prints: the
 * result says where it stopped. */
#ifndef WB_KEXEC_LOAD_H
#define WB_KEXEC_LOAD_H

#include "kexec/bzimage.h"
#include "kexec/check.h"

#include <limits.h>

struct kexec_load_input {
	const char *kernel;
	const struct bzimage *bz;	/* the kernel, already read */
	const char (*initrds)[PATH_MAX];
	int ninitrd;			/* 0: KEXEC_FILE_NO_INITRAMFS */
	const char *cmdline;
	int force;			/* load despite fatal check findings */
};

enum kexec_load_step {
	KEXEC_LOAD_CMDLINE,	/* longer than the kernel takes (-E2BIG) */
	KEXEC_LOAD_CHECKS,	/* fatal findings (-EPERM), in findings */
	KEXEC_LOAD_KERNEL,	/* opening the kernel */
	KEXEC_LOAD_INITRD,	/* opening initrd path */
	KEXEC_LOAD_BUFFER,	/* the memfd that joins several initrds */
	KEXEC_LOAD_COPY,	/* copying initrd path into it */
	KEXEC_LOAD_SYSCALL,	/* kexec_file_load refused */
};

struct kexec_load_result {
	enum kexec_load_step step;	/* where a failure happened */
	const char *path;		/* the initrd of KEXEC_LOAD_INITRD/COPY */
	struct kexec_findings findings;	/* KEXEC_LOAD_CHECKS; free with
					 * kexec_findings_free() */
	int record_err;			/* loaded, but not recorded: -errno */
};

/* 0 when loaded (res->record_err tells whether it was recorded), or
 * -errno with res->step. */
int kexec_load(const struct kexec_load_input *in, struct kexec_load_result *res);

#endif
