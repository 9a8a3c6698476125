/* mdadm 4.2's assembly decisions (Assemble.c load_devices, the uptodate loop
 * and start_array), restated over struct md_member. */
#include "md/plan.h"

#include <errno.h>
#include <string.h>

/* Slot index as mdadm's best[]: 2*role (+1 for a replacement); spares and
 * journals after 2*raid_disks. */
#define MAX_INDEX (2 * MD_MAX_ROLES + PLAN_MAX_MEMBERS)

static int is_active(const struct md_member *m)
{
	return m->role < MD_ROLE_MAX && m->role < m->raid_disks;
}

static int recovery_done(const struct md_member *m)
{
	return !(m->features & MD_FEAT_RECOVERY_OFFSET) || m->recovery_offset == UINT64_MAX;
}

/* Whether m's superblock records some working member in slot. */
static int records_slot(const struct md_member *m, uint32_t slot)
{
	uint32_t i;

	for (i = 0; i < m->nroles; i++)
		if (m->roles[i] == slot && m->roles[i] < m->raid_disks)
			return 1;
	return 0;
}

static unsigned working_recorded(const struct md_member *m)
{
	uint32_t i;
	unsigned n = 0;

	for (i = 0; i < m->nroles; i++)
		if (m->roles[i] < m->raid_disks)
			n++;
	return n;
}

int plan_enough(int level, uint32_t raid_disks, int layout, int clean,
		const unsigned char *avail)
{
	uint32_t i, have = 0;

	if (!raid_disks)
		return 0;
	for (i = 0; i < raid_disks; i++)
		have += !!avail[i];
	switch (level) {
	case 10: {
		/* one of each set of 'copies' neighbours must be there */
		uint32_t copies = (uint32_t)(layout & 255) * (uint32_t)((layout >> 8) & 255);
		uint32_t first = 0, step = (uint32_t)(layout & 255);
		if (!copies || !step)
			return 0;
		do {
			uint32_t n = copies, cnt = 0, at = first;
			while (n--) {
				cnt += !!avail[at];
				at = (at + 1) % raid_disks;
			}
			if (!cnt)
				return 0;
			first = (first + step) % raid_disks;
		} while (first != 0);
		return 1;
	}
	case MD_LEVEL_MULTIPATH: case 1:
		return have >= 1;
	case MD_LEVEL_LINEAR: case 0:
		return have == raid_disks;
	case 4:
		/* only the parity device missing is fine even when dirty */
		if (have == raid_disks - 1 && !avail[raid_disks - 1])
			return 1;
		/* fall through */
	case 5:
		return have >= (clean ? raid_disks - 1 : raid_disks);
	case 6:
		return have >= (clean ? raid_disks - 2 : raid_disks);
	}
	return 0;
}

/* mdadm walks its device list in order: seq[] holds member indexes sorted
 * by .order (members in equal places keep theirs). */
static void device_order(const struct plan *p, unsigned *seq)
{
	unsigned i, k;

	for (i = 0; i < p->n; i++) {
		for (k = i; k > 0 && p->mem[seq[k - 1]].order > p->mem[i].order; k--)
			seq[k] = seq[k - 1];
		seq[k] = i;
	}
}

/* mdadm's most_recent: the active member with the most events, the first
 * in device order among equals (a later one must have strictly more). */
static int find_freshest(const struct plan *p, const unsigned *seq)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < p->n; i++) {
		const struct md_member *m = p->mem[seq[i]].m;
		if (!is_active(m))
			continue;
		if (best < 0 || m->events > p->mem[best].m->events)
			best = (int)seq[i];
	}
	return best;
}

static unsigned count_ties(const struct plan *p)
{
	const struct md_member *fresh = p->mem[p->freshest].m;
	unsigned i, n = 0;

	for (i = 0; i < p->n; i++)
		if ((int)i != p->freshest && is_active(p->mem[i].m) &&
		    p->mem[i].m->events == fresh->events)
			n++;
	return n;
}

static unsigned slot_index(const struct md_member *m, uint32_t raid_disks,
			   unsigned *nextspare)
{
	unsigned i;

	if (!is_active(m)) {
		if (*nextspare < 2 * raid_disks)
			*nextspare = 2 * raid_disks;
		return (*nextspare)++;
	}
	i = 2u * m->role + !!(m->features & MD_FEAT_REPLACEMENT);
	if (i >= 2 * raid_disks && i >= *nextspare)
		*nextspare = i + 1;
	return i;
}

/* Fill best[]: per slot, the member with the most events, the first in
 * device order among equals. */
static void choose_per_slot(struct plan *p, const unsigned *seq, int *best)
{
	unsigned i, nextspare = 0;

	for (i = 0; i < MAX_INDEX; i++)
		best[i] = -1;
	for (i = 0; i < p->n; i++) {
		int j = (int)seq[i];
		unsigned k = slot_index(p->mem[j].m, p->raid_disks, &nextspare);
		if (k >= MAX_INDEX)
			continue;
		if (best[k] < 0 || p->mem[best[k]].m->events < p->mem[j].m->events) {
			if (best[k] >= 0)
				p->mem[best[k]].use = SKIP_OLDER_COPY;
			best[k] = j;
		} else {
			p->mem[j].use = p->mem[best[k]].m->events == p->mem[j].m->events ?
					SKIP_LATER_COPY : SKIP_OLDER_COPY;
		}
	}
}

/* An active member that does not go in (split brain, failed in the
 * freshest's view, newer or stale): sets its use and returns 1. */
static int left_out(struct plan *p, int k, const struct plan_policy *pol)
{
	const struct md_member *fresh = p->mem[p->freshest].m;
	struct plan_member *pm = &p->mem[k];
	const struct md_member *m = pm->m;

	/* split brain: it records the freshest member's slot as empty */
	if (k != p->freshest && !pol->force && !records_slot(m, fresh->role))
		pm->use = SKIP_REPORTS_FAILED;
	/* the kernel trusts the freshest superblock's view of each member */
	else if (k != p->freshest && m->dev_number < fresh->nroles &&
		 fresh->roles[m->dev_number] == MD_ROLE_FAULTY)
		pm->use = SKIP_FAULTY;
	else if (m->events > fresh->events)
		pm->use = SKIP_NEWER;
	else if (m->events + 1 < fresh->events)
		pm->use = SKIP_STALE;
	else
		return 0;
	return 1;
}

/* An active member that goes in, as the best copy of index i. */
static void take_member(struct plan *p, unsigned i, struct plan_member *pm,
			unsigned char *avail)
{
	const struct md_member *m = pm->m;

	if (i >= 2 * p->raid_disks) {
		pm->use = USE_SPARE;
		p->sparecnt++;
	} else if (!recovery_done(m)) {
		pm->use = USE_REBUILDING;
		p->rebuilding++;
	} else if (!avail[i / 2]) {
		pm->use = USE_ACTIVE;
		avail[i / 2] = 1;
		p->okcnt++;
	} else {
		pm->use = USE_REPLACEMENT;
		p->replcnt++;
	}
	if (!m->clean && !(m->features & MD_FEAT_PPL))
		p->clean = 0;
}

static void judge_members(struct plan *p, const int *best, unsigned char *avail,
			  const struct plan_policy *pol)
{
	unsigned i;

	for (i = 0; i < MAX_INDEX; i++) {
		struct plan_member *pm;
		const struct md_member *m;

		if (best[i] < 0)
			continue;
		pm = &p->mem[best[i]];
		m = pm->m;
		if (m->role == MD_ROLE_JOURNAL) {
			pm->use = SKIP_JOURNAL;	/* journals are refused earlier */
			continue;
		}
		if (!is_active(m)) {
			if (m->role == MD_ROLE_FAULTY) {
				pm->use = SKIP_FAULTY;
			} else {
				pm->use = USE_SPARE;
				p->sparecnt++;
			}
			continue;
		}
		pm->slot = m->role;
		if (!left_out(p, best[i], pol))
			take_member(p, i, pm, avail);
	}
}

static const char *refusal(const struct md_member *m)
{
	if (m->features & MD_FEAT_RESHAPE_ACTIVE)
		return "a reshape is in progress: continue it with mdadm";
	if (m->features & MD_FEAT_CLUSTERED)
		return "clustered md arrays need mdadm and the cluster stack";
	if (m->features & MD_FEAT_JOURNAL)
		return "arrays with a write journal need mdadm";
	if (m->level == MD_LEVEL_MULTIPATH || m->level == MD_LEVEL_FAULTY)
		return "multipath and faulty levels need mdadm";
	return NULL;
}

static void decide(struct plan *p, const struct plan_policy *pol,
		   const unsigned char *avail, int stale_could_help)
{
	const struct md_member *fresh = p->mem[p->freshest].m;
	unsigned present = p->okcnt + p->rebuilding;

	p->enough = plan_enough(fresh->level, p->raid_disks, fresh->layout, p->clean, avail);
	p->enough_if_clean = plan_enough(fresh->level, p->raid_disks, fresh->layout, 1, avail);
	if (!p->enough_if_clean) {
		p->outcome = stale_could_help && pol->force ? PLAN_REFUSED : PLAN_NOT_ENOUGH;
		p->why = p->outcome == PLAN_REFUSED ?
			"forcing stale members back in rewrites superblocks: use mdadm --assemble --force" :
			"not enough members to start the array";
		return;
	}
	if (!p->enough) {
		if (pol->force) {
			p->outcome = PLAN_START_DEGRADED;
			p->start_dirty = 1;
			p->why = "degraded and not clean, started because of --force";
		} else {
			p->outcome = PLAN_DIRTY_DEGRADED;
			p->why = "not enough members to start the array while not clean: consider --force";
		}
		return;
	}
	if (p->okcnt == p->raid_disks) {
		p->outcome = PLAN_START;
		p->why = "all members present";
		return;
	}
	if (pol->runstop == 1 || present >= p->req_cnt ||
	    (pol->runstop == 0 && pol->partial_ok)) {
		p->outcome = PLAN_START_DEGRADED;
		p->why = present >= p->req_cnt ? "degraded already when last used" :
			 pol->runstop == 1 ? "members missing, started because of --run" :
			 "members missing, enough to run degraded";
		return;
	}
	p->outcome = PLAN_NEED_ALL;
	p->why = pol->runstop < 0 ? "members missing and degraded starts are refused" :
		 "members missing: need all that were working to start (use --run to insist)";
}

/* mdadm's start_array under --no-degraded: what it cannot run it leaves
 * assembled (members bound), inactive, for a later --run. */
static void leave_inactive(struct plan *p, const struct plan_policy *pol)
{
	int runs = p->outcome == PLAN_START || (p->outcome == PLAN_START_DEGRADED &&
		   (!p->start_dirty || p->okcnt + p->rebuilding >= p->req_cnt));

	if (pol->runstop >= 0 || runs || p->outcome == PLAN_REFUSED)
		return;
	p->outcome = PLAN_INACTIVE;
	p->start_dirty = 0;
}

int plan_array(const struct plan_member *members, unsigned n,
	       const struct plan_policy *pol, struct plan *p)
{
	static int best[MAX_INDEX];
	static unsigned seq[PLAN_MAX_MEMBERS];
	unsigned char avail[MD_MAX_ROLES];
	const struct md_member *fresh;
	unsigned i;
	int stale_could_help = 0;

	memset(p, 0, sizeof(*p));
	if (n > PLAN_MAX_MEMBERS)
		return -E2BIG;
	p->n = n;
	memcpy(p->mem, members, n * sizeof(*members));
	for (i = 0; i < n; i++) {
		p->mem[i].use = SKIP_STALE;
		p->mem[i].slot = -1;
	}
	device_order(p, seq);
	p->freshest = p->chosen = find_freshest(p, seq);
	if (p->freshest < 0) {
		p->outcome = PLAN_NOT_ENOUGH;
		p->why = "no member is active in the array";
		return 0;
	}
	fresh = p->mem[p->freshest].m;
	p->freshest_ties = count_ties(p);
	if (fresh->raid_disks == 0 || fresh->raid_disks > MD_MAX_ROLES) {
		p->outcome = PLAN_REFUSED;
		p->why = "impossible number of members";
		return 0;
	}
	p->raid_disks = fresh->raid_disks;
	p->clean = fresh->clean || (fresh->features & MD_FEAT_PPL);
	p->req_cnt = working_recorded(fresh);
	if ((p->why = refusal(fresh))) {
		p->outcome = PLAN_REFUSED;
		return 0;
	}
	memset(avail, 0, sizeof(avail));
	choose_per_slot(p, seq, best);
	judge_members(p, best, avail, pol);
	for (i = 0; i < n; i++)
		if (p->mem[i].use == SKIP_STALE && p->mem[i].slot >= 0 &&
		    !avail[p->mem[i].slot])
			stale_could_help = 1;
	/* mdadm adds the first in-slot member with the freshest events last */
	for (i = 0; i < MAX_INDEX; i++)
		if (best[i] >= 0 && p->mem[best[i]].use == USE_ACTIVE &&
		    p->mem[best[i]].m->events == fresh->events) {
			p->chosen = best[i];
			break;
		}
	decide(p, pol, avail, stale_could_help);
	leave_inactive(p, pol);
	return 0;
}

int plan_member_used(const struct plan_member *pm)
{
	return pm->use == USE_ACTIVE || pm->use == USE_REBUILDING ||
	       pm->use == USE_SPARE || pm->use == USE_REPLACEMENT;
}

const char *plan_use_text(enum member_use use)
{
	switch (use) {
	case USE_ACTIVE: return "active";
	case USE_REBUILDING: return "rebuilding";
	case USE_SPARE: return "spare";
	case USE_REPLACEMENT: return "replacement";
	case SKIP_STALE: return "left out: stale (event count lags)";
	case SKIP_NEWER: return "left out: newer than the freshest active member (stray)";
	case SKIP_REPORTS_FAILED: return "left out: it records the freshest member as failed (split brain)";
	case SKIP_OLDER_COPY: return "left out: another member holds its slot with more events";
	case SKIP_LATER_COPY: return "left out: another member holds its slot with as many events, earlier in mdadm's device order";
	case SKIP_FAULTY: return "left out: recorded as faulty";
	case SKIP_JOURNAL: return "left out: unexpected journal device";
	}
	return "?";
}

const char *plan_outcome_text(enum plan_outcome o)
{
	switch (o) {
	case PLAN_START: return "start";
	case PLAN_START_DEGRADED: return "start degraded";
	case PLAN_NOT_ENOUGH: return "not started";
	case PLAN_NEED_ALL: return "not started";
	case PLAN_DIRTY_DEGRADED: return "not started";
	case PLAN_REFUSED: return "refused";
	case PLAN_INACTIVE: return "assembled, not started";
	}
	return "?";
}
