/* Names of md levels and layouts, derived sizes and UUID text, as mdadm
 * prints them (md/describe.c). */
#ifndef WB_MD_DESCRIBE_H
#define WB_MD_DESCRIBE_H

#include "md/super.h"

/* "raid1", "linear"...; NULL for a level md does not have. */
const char *md_level_name(int level);
/* Layout as mdadm names it for this level into buf; -ENOENT when it has
 * none. */
int md_layout_name(int level, int layout, char *buf, unsigned len);
/* Sectors the array holds, from level, members and component size. */
uint64_t md_array_sectors(const struct md_member *m);
/* Free sectors before and after the data area (mdadm's Unused Space). */
void md_unused_space(const struct md_member *m, uint64_t *before, uint64_t *after);
/* mdadm's human_size: " (23.00 MiB 24.12 MB)", or "" when small. */
const char *md_human_size(uint64_t bytes, char *buf, unsigned len);
/* Minimum active members the level needs to run. */
uint32_t md_min_members(const struct md_member *m);
/* "aabbccdd:..." as mdadm prints UUIDs. */
void md_uuid_str(const uint8_t uuid[16], char out[36]);
/* Parse mdadm's UUID text (any of : . - separators, 32 hex digits). */
int md_uuid_parse(const char *text, uint8_t uuid[16]);

#endif
