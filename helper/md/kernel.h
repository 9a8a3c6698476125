/* The md state of the running kernel, and the kernel calls that change it. */
#ifndef WB_MD_KERNEL_H
#define WB_MD_KERNEL_H

#include "md/naming.h"
#include "md/plan.h"
#include "md/scan.h"

#include <sys/types.h>

/* Whether md minor is taken (exists and is not "clear"). ctx unused. */
int md_minor_busy(int minor, void *ctx);
/* Whether the block device major:minor is a member of a running array;
 * when it is, devnm receives the array's kernel name. */
int md_device_in_use(unsigned major, unsigned minor, char devnm[32]);
/* The kernel name of an md device: "/dev/md/data" (a link, read under
 * sys_root()), "/dev/md0", "md0" -> "md0". 0, or -errno (-ENODEV: not md). */
int md_devnm_of(const char *arg, char *out, size_t len);
/* The array's md/array_state ("inactive", "clean", ...). 0 or -errno. */
int md_array_state(const char *devnm, char *state, size_t len);
/* Whether /dev/devnm is an array with members bound but not running. */
int md_array_inactive(const char *devnm);
/* Note for each scanned member the kernel array it is bound to, and
 * whether that array is inactive. */
void md_scan_mark_bound(struct md_scan *scan);
/* Whether udev manages /dev (then it makes /dev/md/NAME links itself). */
int md_udev_running(void);

struct md_start_opts {
	int readonly;
	/* Optional: loads the personality for an md level before RUN_ARRAY;
	 * a minimal initramfs has no modprobe for the kernel to call. */
	int (*load_personality)(int level);
	/* Result: the error load_personality returned, or 0 (md_start goes
	 * on: the kernel may still find the personality itself). */
	int personality_err;
	/* The array nm->devnm exists inactive with the plan's bound members:
	 * add the others to it, and on failure leave it as it was. */
	int existing;
};

/* Create the array in the kernel, add the plan's members (the chosen one
 * last, as mdadm does) and run it; a plan that does not start (PLAN_INACTIVE,
 * or more members for an existing inactive array) is left bound, not run. On failure an array made here is stopped again. *failed_step
 * names the step that failed. 0 or -errno. */
int md_start(const struct plan *p, const struct md_naming *nm,
	     struct md_start_opts *o, const char **failed_step);
/* Stop the array /dev/devnm. 0 or -errno (-EBUSY when in use). */
int md_stop(const char *devnm);

#endif
