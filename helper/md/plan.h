/* Assembly decisions with mdadm 4.2's semantics (Assemble.c), made on
 * neutral member descriptions only: which members, which slots, whether to
 * start, and why. No I/O here. */
#ifndef WB_MD_PLAN_H
#define WB_MD_PLAN_H

#include "md/super.h"

#define PLAN_MAX_MEMBERS 256

enum member_use {
	USE_ACTIVE,		/* in sync for its slot */
	USE_REBUILDING,		/* its slot, recovery not finished */
	USE_SPARE,
	USE_REPLACEMENT,	/* second device for a slot already filled */
	SKIP_STALE,		/* events lag the freshest by more than one */
	SKIP_NEWER,		/* events ahead of the freshest active member: a stray */
	SKIP_REPORTS_FAILED,	/* records the freshest member as failed (split brain) */
	SKIP_OLDER_COPY,	/* another member holds its slot with more events */
	SKIP_LATER_COPY,	/* another holds its slot with as many, earlier in device order */
	SKIP_FAULTY,		/* recorded faulty */
	SKIP_JOURNAL,		/* unexpected journal device */
};

enum plan_outcome {
	PLAN_START,		/* all expected members present */
	PLAN_START_DEGRADED,	/* enough members, some missing */
	PLAN_NOT_ENOUGH,	/* cannot run with the members present */
	PLAN_NEED_ALL,		/* would run degraded, but policy refuses */
	PLAN_DIRTY_DEGRADED,	/* degraded and not clean: needs --force */
	PLAN_REFUSED,		/* warmboot will not do it: use mdadm */
	PLAN_INACTIVE,		/* --no-degraded and not startable: members bound,
				 * array left inactive (mdadm's "assembled ...
				 * but not started"); why says what stops it */
};

struct plan_member {
	const char *path;
	unsigned major, minor;
	const struct md_member *m;
	enum member_use use;
	int slot;		/* role, or -1 */
	unsigned order;		/* place in mdadm's device list: the first of
				 * equals wins (most recent, best per slot) */
	int bound;		/* already in the kernel's inactive array */
};

struct plan_policy {
	int runstop;		/* -1 --no-degraded, 0 default, 1 --run */
	int force;
	int partial_ok;		/* mdadm's start_partial_ok: scan/auto assembly */
};

struct plan {
	unsigned n;
	struct plan_member mem[PLAN_MAX_MEMBERS];
	int freshest;		/* index of the most recent active member, or -1:
				 * most events, first in device order among equals */
	unsigned freshest_ties;	/* other active members with as many events */
	uint32_t raid_disks;
	unsigned okcnt, sparecnt, rebuilding, replcnt;
	unsigned req_cnt;	/* members the freshest superblock records as working */
	int clean;
	int enough;		/* the level can run with the slots available */
	int enough_if_clean;
	enum plan_outcome outcome;
	const char *why;	/* explanation of the outcome */
	int start_dirty;	/* start needs md_mod's start_dirty_degraded */
	int chosen;		/* member added last: the freshest, as mdadm does */
};

/* Members must all belong to one array (md_same_array). Returns 0, or
 * -E2BIG when there are too many. */
int plan_array(const struct plan_member *members, unsigned n,
	       const struct plan_policy *pol, struct plan *plan);
/* mdadm's enough(): can this level run with these slots available? */
int plan_enough(int level, uint32_t raid_disks, int layout, int clean,
		const unsigned char *avail);
const char *plan_use_text(enum member_use use);
const char *plan_outcome_text(enum plan_outcome o);
/* Whether the member is added to the kernel array. */
int plan_member_used(const struct plan_member *pm);

#endif
