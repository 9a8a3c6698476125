/* Made-up md members for the planner's unit tests (test_md*.c). */
#ifndef WB_T_MD_FAKE_H
#define WB_T_MD_FAKE_H

#include "md/plan.h"
#include "md/super.h"

#include <string.h>

/* A RAID5 1.2 member of 3 in slot role; roles: one char per dev_number:
 * digit slot, 's' spare, 'f' faulty. */
static struct md_member mk(uint16_t role, uint64_t events, int clean, const char *roles)
{
	struct md_member m;
	unsigned i;

	memset(&m, 0, sizeof(m));
	m.format = MD_FMT_12;
	m.minor_version = 2;
	m.level = 5;
	m.layout = 2;
	m.chunk_sectors = 1024;
	m.raid_disks = 3;
	m.role = role;
	m.dev_number = role < MD_ROLE_MAX ? role : 3;
	m.events = events;
	m.clean = clean;
	m.resync_offset = clean ? UINT64_MAX : 0;
	for (i = 0; roles[i]; i++)
		m.roles[i] = roles[i] == 's' ? MD_ROLE_SPARE :
			     roles[i] == 'f' ? MD_ROLE_FAULTY : (uint16_t)(roles[i] - '0');
	m.nroles = i;
	return m;
}

static void members(struct plan_member *pm, struct md_member *m, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		memset(&pm[i], 0, sizeof(pm[i]));
		pm[i].path = "dev";
		pm[i].major = 8;
		pm[i].minor = 16 * i;
		pm[i].m = &m[i];
	}
}

#endif
