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
/* Load the module of the level's personality with its dependencies,
 * unless it is registered already. 0 or -errno. */
int md_personality_load(int level);

#endif
