/* The storage controllers in use: the PCI device above every disk in
 * /sys/block (a whole disk with a device link: sd, nvme, vd...; md, dm,
 * loop have none), with its driver, and the drivers known to fail after a
 * kexec (a table with the sysfs condition, the reason, a public reference).
 * All disks, not only those holding filesystems or md members: the next
 * kernel re-initialises every controller it finds, in use or not. */
#ifndef WB_KEXEC_CONTROLLERS_H
#define WB_KEXEC_CONTROLLERS_H

#include "lib/array.h"

struct controller {
	char pci[16];		/* "0000:00:03.0" */
	char driver[32];	/* "" when none is bound */
	char disks[96];		/* " sda sdb", a space before each; cut: '+' last */
	const char *refuse;	/* why not to kexec, from the table, or NULL */
	const char *ref;	/* its public reference */
};

typedef ARRAY(struct controller) controller_list;

/* The controllers under root (sys_root() in commands), in /sys/block
 * order. 0 or -errno (no /sys/block); *out is the caller's to array_free. */
int kexec_controllers(const char *root, controller_list *out);

#endif
