/* md personalities (raid1, raid456, ...) as kernel modules. */
#ifndef WB_MD_PERSONALITY_H
#define WB_MD_PERSONALITY_H

/* Whether /proc/mdstat lists the personality of this level. */
int md_personality_registered(int level);
/* Load the module of the level's personality with its dependencies,
 * unless it is registered already. 0 or -errno. */
int md_personality_load(int level);

#endif
