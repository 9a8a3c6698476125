/* Debian version comparison, as dpkg --compare-versions and linux-version
 * sort order kernel versions (deb-version(7)). */
#ifndef WB_DEBVER_H
#define WB_DEBVER_H

/* <0, 0, >0 like strcmp. Handles [epoch:]upstream[-revision] and '~'. */
int debver_cmp(const char *a, const char *b);

#endif
