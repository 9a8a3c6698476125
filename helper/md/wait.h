/* Waiting for md members to appear, driven by kernel uevents. */
#ifndef WB_MD_WAIT_H
#define WB_MD_WAIT_H

#include "md/conf.h"
#include "md/scan.h"

/* Whether every array seen has the members its freshest superblock records
 * as working (an array made degraded waits for nobody) and every ARRAY line
 * with a uuid has members. */
int md_scan_complete(const struct md_scan *scan, const struct md_conf *conf);
/* Rescan on each block uevent until complete or timeout_ms passed.
 * Returns 1 when complete, 0 at the deadline, -errno on failure. */
int md_wait_for_members(const struct md_conf *conf, int timeout_ms);

#endif
