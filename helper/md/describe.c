/* Names and derived sizes of md arrays, as mdadm prints them. */
#include "md/describe.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *md_level_name(int level)
{
	switch (level) {
	case MD_LEVEL_LINEAR: return "linear";
	case MD_LEVEL_MULTIPATH: return "multipath";
	case MD_LEVEL_FAULTY: return "faulty";
	case 0: return "raid0";
	case 1: return "raid1";
	case 4: return "raid4";
	case 5: return "raid5";
	case 6: return "raid6";
	case 10: return "raid10";
	}
	return NULL;
}

static const struct { int value; const char *name; } r5_layouts[] = {
	{ 0, "left-asymmetric" }, { 1, "right-asymmetric" },
	{ 2, "left-symmetric" }, { 3, "right-symmetric" },
	{ 4, "parity-first" }, { 5, "parity-last" },
	{ 8, "ddf-zero-restart" }, { 9, "ddf-N-restart" },
	{ 10, "ddf-N-continue" },
	{ 16, "left-asymmetric-6" }, { 17, "right-asymmetric-6" },
	{ 18, "left-symmetric-6" }, { 19, "right-symmetric-6" },
	{ 20, "parity-first-6" },
};

int md_layout_name(int level, int layout, char *buf, unsigned len)
{
	size_t i;

	if (level == 5 || level == 6 || level == 4) {
		if (level == 4)
			return snprintf(buf, len, "parity-last") < 0 ? -EINVAL : 0;
		for (i = 0; i < sizeof(r5_layouts) / sizeof(r5_layouts[0]); i++) {
			/* raid5 has no -6 layouts */
			if (level == 5 && r5_layouts[i].value >= 16)
				continue;
			if (r5_layouts[i].value == layout)
				return snprintf(buf, len, "%s", r5_layouts[i].name) < 0 ? -EINVAL : 0;
		}
		snprintf(buf, len, "-unknown-");
		return 0;
	}
	if (level == 10) {
		int near = layout & 255, far = (layout >> 8) & 255;
		int n = 0;
		const char *sep = "";

		buf[0] = 0;
		if (near != 1) {
			n += snprintf(buf + n, len - n, " near=%d", near);
			sep = ",";
		}
		if (far != 1 && (unsigned)n < len)
			n += snprintf(buf + n, len - n, "%s %s=%d", sep,
				      (layout & 0x10000) ? "offset" : "far", far);
		if (near * far == 1 && (unsigned)n < len)
			snprintf(buf + n, len - n, "NO REDUNDANCY");
		/* drop mdadm's leading space */
		if (buf[0] == ' ')
			memmove(buf, buf + 1, strlen(buf));
		return 0;
	}
	if (level == 0 && layout) {
		snprintf(buf, len, "%s", layout == 1 ? "original" :
			 layout == 2 ? "alternate" : "-unknown-");
		return 0;
	}
	return -ENOENT;
}

static uint32_t raid10_copies(int layout)
{
	uint32_t c = (uint32_t)(layout & 255) * (uint32_t)((layout >> 8) & 255);
	return c ? c : 1;
}

uint64_t md_array_sectors(const struct md_member *m)
{
	uint64_t s = m->component_size;

	switch (m->level) {
	case 1: return s;
	case 4: case 5: return s * (m->raid_disks - 1);
	case 6: return s * (m->raid_disks - 2);
	case 10: return s * m->raid_disks / raid10_copies(m->layout);
	case 0: return s * m->raid_disks;
	}
	return 0;	/* linear: members differ in size; unknown from one */
}

uint32_t md_min_members(const struct md_member *m)
{
	switch (m->level) {
	case 1: case MD_LEVEL_MULTIPATH: return 1;
	case 4: case 5: return m->raid_disks - 1;
	case 6: return m->raid_disks > 2 ? m->raid_disks - 2 : 1;
	case 10: {
		/* near copies: at least one of each mirror set; a simple
		 * lower bound, the exact test is in the assembly planner */
		uint32_t c = raid10_copies(m->layout);
		return (m->raid_disks + c - 1) / c;
	}
	}
	return m->raid_disks;	/* raid0, linear, faulty: all */
}

void md_uuid_str(const uint8_t uuid[16], char out[36])
{
	int i, n = 0;

	for (i = 0; i < 16; i++) {
		if (i && !(i & 3))
			out[n++] = ':';
		n += sprintf(out + n, "%02x", uuid[i]);
	}
}

int md_uuid_parse(const char *text, uint8_t uuid[16])
{
	int nibbles = 0;
	const char *p;

	memset(uuid, 0, 16);
	for (p = text; *p; p++) {
		int v;
		if (*p == ':' || *p == '.' || *p == '-' || *p == ' ')
			continue;
		if (!isxdigit((unsigned char)*p) || nibbles >= 32)
			return -EINVAL;
		v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
		uuid[nibbles / 2] |= (uint8_t)(nibbles & 1 ? v : v << 4);
		nibbles++;
	}
	return nibbles == 32 ? 0 : -EINVAL;
}

/* mdadm's getinfo_super1 space_before/space_after, in sectors. */
void md_unused_space(const struct md_member *m, uint64_t *before, uint64_t *after)
{
	uint64_t so = m->sb_offset / 512, dsize = m->level <= 0 ? m->data_size : m->component_size;
	int32_t bm = (m->features & MD_FEAT_BITMAP) ? m->bitmap_offset : 0;

	*before = *after = 0;
	if (m->data_offset < so) {
		uint64_t end = so;
		*before = m->data_offset;
		if (m->bblog_offset && m->bblog_size && (int64_t)so + m->bblog_offset < (int64_t)end)
			end = (uint64_t)((int64_t)so + m->bblog_offset);
		if ((int64_t)so + bm < (int64_t)end)
			end = (uint64_t)((int64_t)so + bm);
		*after = m->data_offset + dsize < end ? end - dsize - m->data_offset : 0;
	} else {
		uint64_t earliest = so + (32 + 4) * 2;	/* as the kernel counts */
		if (bm > 0 && m->bitmap_chunk) {
			uint64_t bits = (m->bitmap_sync_size * 512 + m->bitmap_chunk - 1) / m->bitmap_chunk;
			uint64_t bytes = ((bits + 7) / 8 + 256 + 4095) / 4096 * 4096;
			if ((uint64_t)bm + bytes / 512 > earliest)
				earliest = (uint64_t)bm + bytes / 512;
		}
		if (m->bblog_offset && m->bblog_size &&
		    so + (uint64_t)(int64_t)m->bblog_offset + m->bblog_size > earliest)
			earliest = so + (uint64_t)(int64_t)m->bblog_offset + m->bblog_size;
		*before = earliest < m->data_offset ? m->data_offset - earliest : 0;
		*after = m->dev_size / 512 - dsize - m->data_offset;
	}
}

/* mdadm's human_size: " (23.00 MiB 24.12 MB)", or "" below 5000 KiB. */
const char *md_human_size(uint64_t bytes, char *buf, unsigned len)
{
	static const struct { uint64_t limit, bin, dec; const char *b, *d; } u[] = {
		{ 2ull << 30, 1ull << 20, 1000000ull, "MiB", "MB" },
		{ 2ull << 40, 1ull << 30, 1000000000ull, "GiB", "GB" },
		{ UINT64_MAX, 1ull << 40, 1000000000000ull, "TiB", "TB" },
	};
	unsigned i;

	buf[0] = 0;
	if (bytes < 5000 * 1024)
		return buf;
	for (i = 0; i < 2 && bytes >= u[i].limit; i++)
		;
	{
		uint64_t cb = (bytes * 200 / u[i].bin + 1) / 2;
		uint64_t cd = (bytes / (u[i].dec / 200) + 1) / 2;
		snprintf(buf, len, " (%llu.%02llu %s %llu.%02llu %s)",
			 (unsigned long long)(cb / 100), (unsigned long long)(cb % 100), u[i].b,
			 (unsigned long long)(cd / 100), (unsigned long long)(cd % 100), u[i].d);
	}
	return buf;
}
