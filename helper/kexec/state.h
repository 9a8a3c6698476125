/* What the kernel says about kexec here, and what warmboot recorded in
 * /run/warmboot/kexec when it loaded a kernel (for `warmboot status`).
 * All paths are read under sys_root(). */
#ifndef WB_KEXEC_STATE_H
#define WB_KEXEC_STATE_H

#include <limits.h>
#include <stddef.h>

/* kexec_file_load flags (include/uapi/linux/kexec.h). */
#define KEXEC_FILE_UNLOAD 0x1UL
#define KEXEC_FILE_ON_CRASH 0x2UL
#define KEXEC_FILE_NO_INITRAMFS 0x4UL
/* reboot(2) magic for jumping into the loaded kernel. */
#define WB_REBOOT_CMD_KEXEC 0x45584543U

#define KEXEC_RECORD_PATH "/run/warmboot/kexec"

struct kexec_record {
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];	/* "" for none */
	char release[128];
	char cmdline[4096];
	long long loaded_at;	/* seconds since the epoch */
};

int kexec_record_write(const struct kexec_record *rec);
/* -ENOENT when warmboot has recorded nothing. */
int kexec_record_read(struct kexec_record *rec);
int kexec_record_remove(void);

/* 1 if a kernel is loaded (/sys/kernel/kexec_loaded), 0 if not, -errno. */
int kexec_is_loaded(void);
/* 1 if kexec is disabled by /proc/sys/kernel/kexec_load_disabled, 0 if not. */
int kexec_is_disabled(void);
/* The active lockdown mode ("none", "integrity", "confidentiality") into
 * mode; -ENOENT when the kernel has no lockdown LSM. Mounts securityfs on
 * /sys/kernel/security for the read when mountinfo shows none there, and
 * unmounts it again. */
int kexec_lockdown(char *mode, size_t len);

/* Why kexec_file_load failed with -err, in words, and whether this is final
 * (a signature or policy refusal) rather than a resource problem. */
struct kexec_failure {
	const char *what;	/* "signature rejected", "kexec disabled", ... */
	const char *hint;	/* what to do about it */
	char lockdown[32];	/* the lockdown mode when lockdown is on: the
				 * signature check refused (lockdown_judge
				 * explains), else "" */
};
void kexec_classify(int err, struct kexec_failure *f);

#endif
