/* md personalities (raid1, raid456, ...) as kernel modules. */
#ifndef WB_MD_PERSONALITY_H
#define WB_MD_PERSONALITY_H

/* The kernel module of a level's personality ("raid1", "raid456", ...) for
 * the level names of mdadm.conf, mdadm and /proc/mdstat: linear|-1,
 * raid0|0|stripe, raid1|1|mirror, raid4|4|raid5|5|raid6|6, raid10|10,
 * multipath|mp, faulty. NULL for any other. */
const char *md_personality_module(const char *level);
/* Whether /proc/mdstat lists the personality of this level. */
int md_personality_registered(int level);
/* Whether a modules.dep or modules.builtin text lists module (its file
 * "kernel/drivers/md/linear.ko[.xz|.zst]"; - and _ alike). 1 or 0. */
int md_module_listed(const char *text, const char *module);
/* Whether the module tree root/lib/modules/release (or, merged /usr,
 * root/usr/lib/modules/release) has module: 1 when its modules.dep or
 * modules.builtin lists it, 0 when both were read and neither does,
 * -errno when they cannot be read (unknown). */
int md_module_in_tree(const char *root, const char *release, const char *module);
/* Whether the kernel of release, its state under root, can run arrays of
 * level: 1 when root/proc/mdstat lists the personality or the module tree
 * has its module (built in or loadable), 0 when the tree lacks it, -errno
 * when that is unknown (no module tree: let the kernel decide); -EINVAL for
 * a level without a personality. Linux 6.8 to 6.13 have no linear, 6.8 on
 * no multipath or faulty. */
int md_personality_available(int level, const char *root, const char *release);
/* Load the module of the level's personality with its dependencies,
 * unless it is registered already. 0 or -errno. */
int md_personality_load(int level);

#endif
