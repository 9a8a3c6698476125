/* Finding md members among the system's block devices. */
#ifndef WB_MD_SCAN_H
#define WB_MD_SCAN_H

#include "md/conf.h"
#include "md/super.h"
#include "lib/array.h"

struct md_seen {
	char path[256];		/* /dev/NAME as the admin knows it */
	unsigned major, minor;
	int err;		/* -errno when unreadable */
	char disk[64];		/* for a partition: its whole disk's name */
	uint64_t start;		/* for a partition: its offset on the disk, bytes */
	int echo_of;		/* for a disk: the partition whose 0.90/1.0 superblock it
				 * only echoes (then found.format is -1), or -1 */
	unsigned order;		/* place in mdadm's device list (conf_get_devs),
				 * which breaks ties between equal event counts */
	struct md_found found;
	char held_by[32];	/* the kernel array it is bound to ("md127"), or
				 * "": set by md_scan_mark_bound */
	int held_inactive;	/* that array has members but does not run */
};

struct md_scan {
	ARRAY(struct md_seen) dev;	/* in the order probed; .order is mdadm's */
};

/* Block devices of /sys/class/block worth probing: whole disks and
 * partitions; not ram, zram, md, unbacked loop devices, floppies or optical
 * drives. When conf has DEVICE lines, only those they allow. Each one's
 * order follows mdadm: /proc/partitions backwards, DEVICE globs (sorted,
 * then backwards) first. Paths are read under sys_root(). Returns 0 or
 * -errno. */
int md_scan_system(const struct md_conf *conf, struct md_scan *scan);
/* Probe the given paths instead (devices or image files), in their order. */
int md_scan_paths(char *const *paths, unsigned n, struct md_scan *scan);
void md_scan_free(struct md_scan *scan);

/* mdadm's default config: /etc/mdadm/mdadm.conf, else /etc/mdadm.conf (under
 * sys_root()). 0 when one was read; -ENOENT when neither exists; else the
 * -errno of a file that could not be read, named in path. */
int md_conf_load_system(struct md_conf *conf, char *path, size_t len);

/* Whether two members belong to the same array (format family and UUID). */
int md_same_array(const struct md_member *a, const struct md_member *b);

#endif
