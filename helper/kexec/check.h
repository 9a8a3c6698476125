/* The checks `warmboot check` runs before a kernel is loaded: the bzImage,
 * the initrd (its archives, modules, md drivers and tools), the command
 * line, whether kexec is allowed, and memory. Each gives findings. */
#ifndef WB_KEXEC_CHECK_H
#define WB_KEXEC_CHECK_H

#include "kexec/bzimage.h"
#include "lib/array.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

enum finding_level { FINDING_OK, FINDING_WARN, FINDING_FATAL };

struct finding {
	enum finding_level level;
	char check[16];		/* "kernel", "initrd", "modules", ... */
	char text[640];
};

struct kexec_findings {
	ARRAY(struct finding);	/* v[0..n) in the order found */
	/* what the checks learnt, for --json and load */
	char release[128];
	uint64_t initrd_size, unpacked;
};

struct kexec_check_input {
	const char *kernel;
	const struct bzimage *bz;	/* NULL: read from kernel */
	const char *cmdline;
	const char (*initrds)[PATH_MAX];
	int ninitrd;
	uint64_t unpack_limit;		/* 0: MemTotal (else 4 GiB) */
};

void kexec_check_run(const struct kexec_check_input *in, struct kexec_findings *fs);
int kexec_findings_fatal(const struct kexec_findings *fs);
void kexec_findings_free(struct kexec_findings *fs);
const char *finding_level_name(enum finding_level l);

#endif
