/* Presenting md members: `mdadm --examine` text, `--examine --scan`
 * ARRAY lines and JSON objects, written to the stream the command gives. */
#include "md/report.h"
#include "md/describe.h"
#include "md/naming.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *md_role_text(uint16_t role, char *buf, unsigned len)
{
	if (role == MD_ROLE_SPARE)
		return "spare";
	if (role == MD_ROLE_FAULTY)
		return "faulty";
	if (role == MD_ROLE_JOURNAL)
		return "journal";
	snprintf(buf, len, "Active device %u", role);
	return buf;
}

static void print_time(FILE *out, const char *label, uint64_t secs)
{
	time_t t = (time_t)secs;
	char buf[64];

	if (!ctime_r(&t, buf))
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)secs);
	fprintf(out, "%15s : %.24s\n", label, buf);
}

static void print_checksum_events(FILE *out, const struct md_member *m)
{
	if (m->sb_csum == m->sb_csum_expected)
		fprintf(out, "%15s : %x - correct\n", "Checksum", m->sb_csum);
	else
		fprintf(out, "%15s : %x - expected %x\n", "Checksum", m->sb_csum,
			m->sb_csum_expected);
	fprintf(out, "%15s : %llu\n\n", "Events", (unsigned long long)m->events);
}

/* 'A' active, '.' missing, 'R' replacing, as mdadm's Array State. */
static void array_state(const struct md_member *m, char *buf, unsigned len)
{
	uint32_t d, i, n = 0;

	for (d = 0; d < m->raid_disks && n + 1 < len; d++) {
		unsigned cnt = 0;
		for (i = 0; i < m->nroles; i++)
			if (m->roles[i] == d)
				cnt++;
		buf[n++] = cnt == 2 && m->level > 0 ? 'R' : cnt == 1 ? 'A' :
			   cnt == 0 ? '.' : '?';
	}
	buf[n] = 0;
}

/* 1.x: the array's identity, as the first block of mdadm's output */
static void examine_1x_array(FILE *out, const struct md_member *m, const char *homehost)
{
	char uuid[36];
	size_t hl = homehost ? strlen(homehost) : 0;

	fprintf(out, "%15s : %08x\n", "Magic", MD_MAGIC);
	fprintf(out, "%15s : %s\n", "Version", md_format_name(m->format));
	fprintf(out, "%15s : 0x%x\n", "Feature Map", m->features);
	md_uuid_str(m->uuid, uuid);
	fprintf(out, "%15s : %s\n", "Array UUID", uuid);
	fprintf(out, "%15s : %s", "Name", m->name);
	if (hl > 0 && hl < MD_NAME_MAX && m->name[hl] == ':' &&
	    !strncmp(m->name, homehost, hl))
		fprintf(out, "  (local to host %s)", homehost);
	fputc('\n', out);
	print_time(out, "Creation Time", m->ctime);
	fprintf(out, "%15s : %s\n", "Raid Level",
		md_level_name(m->level) ? md_level_name(m->level) : "-unknown-");
	fprintf(out, "%15s : %u\n\n", "Raid Devices", m->raid_disks);
}

/* 1.x: sizes and offsets, in sectors */
static void examine_1x_sizes(FILE *out, const struct md_member *m)
{
	char hs[64];
	uint64_t before, after;

	fprintf(out, "%15s : %llu sectors%s\n", "Avail Dev Size",
		(unsigned long long)m->data_size, md_human_size(m->data_size * 512, hs, sizeof(hs)));
	if (m->level > 0 && md_array_sectors(m))
		fprintf(out, "%15s : %llu KiB%s\n", "Array Size",
			(unsigned long long)md_array_sectors(m) / 2,
			md_human_size(md_array_sectors(m) * 512, hs, sizeof(hs)));
	/* mdadm compares the level unsigned: linear (-1) counts as > 0 */
	if (m->level != 0 && m->component_size != m->data_size)
		fprintf(out, "%15s : %llu sectors%s\n", "Used Dev Size",
			(unsigned long long)m->component_size,
			md_human_size(m->component_size * 512, hs, sizeof(hs)));
	if (m->data_offset)
		fprintf(out, "%15s : %llu sectors\n", "Data Offset",
			(unsigned long long)m->data_offset);
	fprintf(out, "%15s : %llu sectors\n", "Super Offset",
		(unsigned long long)m->sb_offset / 512);
	if (m->features & MD_FEAT_RECOVERY_OFFSET)
		fprintf(out, "%15s : %llu sectors\n", "Recovery Offset",
			(unsigned long long)m->recovery_offset);
	md_unused_space(m, &before, &after);
	if ((before || after) && !(m->features & MD_FEAT_NEW_OFFSET))
		fprintf(out, "%15s : before=%llu sectors, after=%llu sectors\n", "Unused Space",
			(unsigned long long)before, (unsigned long long)after);
}

/* 1.x: this member's state, bitmap, reshape, times and counters */
static void examine_1x_member(FILE *out, const struct md_member *m)
{
	char uuid[36];

	fprintf(out, "%15s : %s\n", "State", m->clean ? "clean" : "active");
	md_uuid_str(m->dev_uuid, uuid);
	fprintf(out, "%15s : %s\n\n", "Device UUID", uuid);
	if (m->features & MD_FEAT_BITMAP)
		fprintf(out, "%15s : %ld sectors from superblock\n", "Internal Bitmap",
			(long)m->bitmap_offset);
	if (m->features & MD_FEAT_RESHAPE_ACTIVE)
		fprintf(out, "%15s : %llu\n", "Reshape pos'n",
			(unsigned long long)m->reshape_position / 2);
	print_time(out, "Update Time", m->utime);
	if (m->bblog_size && m->bblog_offset)
		fprintf(out, "%15s : %d entries available at offset %ld sectors%s\n",
			"Bad Block Log", m->bblog_size * 512 / 8, (long)m->bblog_offset,
			(m->features & MD_FEAT_BAD_BLOCKS) ? " - bad blocks present." : "");
	print_checksum_events(out, m);
}

/* 1.x: layout, chunk, and this member's role in the array */
static void examine_1x_roles(FILE *out, const struct md_member *m)
{
	char layout[64], role[32], state[MD_MAX_ROLES + 1];

	if ((m->level == 5 || m->level == 6 || m->level == 10 ||
	     (m->level == 0 && (m->features & MD_FEAT_RAID0_LAYOUT))) &&
	    !md_layout_name(m->level, m->layout, layout, sizeof(layout)))
		fprintf(out, "%15s : %s\n", "Layout", layout);
	if (m->level == 0 || m->level == 4 || m->level == 5 || m->level == 6 ||
	    m->level == 10)
		fprintf(out, "%15s : %uK\n", "Chunk Size", m->chunk_sectors / 2);
	else if (m->level == MD_LEVEL_LINEAR)
		fprintf(out, "%15s : %uK\n", "Rounding", m->chunk_sectors / 2);
	fputc('\n', out);
	/* mdadm indents these two one column less */
	fprintf(out, "%14s : %s\n", "Device Role",
		m->role == MD_ROLE_FAULTY ? "spare" :
		m->role == MD_ROLE_JOURNAL ? "Journal" :
		md_role_text(m->role, role, sizeof(role)));
	array_state(m, state, sizeof(state));
	fprintf(out, "%14s : %s ('A' == active, '.' == missing, 'R' == replacing)\n",
		"Array State", state);
}

static void examine_1x(FILE *out, const struct md_member *m, const char *homehost)
{
	examine_1x_array(out, m, homehost);
	examine_1x_sizes(out, m);
	examine_1x_member(out, m);
	examine_1x_roles(out, m);
}

static void examine_090(FILE *out, const struct md_member *m, const char *homehost)
{
	char uuid[36], layout[64], role[32], hs[64];

	fprintf(out, "%15s : %08x\n", "Magic", MD_MAGIC);
	fprintf(out, "%15s : 0.%02d.00\n", "Version", m->minor_version);
	md_uuid_str(m->uuid, uuid);
	fprintf(out, "%15s : %s", "UUID", uuid);
	if (md_match_home(m, homehost))
		fprintf(out, " (local to host %s)", homehost);
	fputc('\n', out);
	print_time(out, "Creation Time", m->ctime);
	fprintf(out, "%15s : %s\n", "Raid Level",
		md_level_name(m->level) ? md_level_name(m->level) : "-unknown-");
	if (m->level > 0)
		fprintf(out, "%15s : %llu%s\n", "Used Dev Size",
			(unsigned long long)m->component_size / 2,
			md_human_size(m->component_size * 512, hs, sizeof(hs)));
	if (md_array_sectors(m))
		fprintf(out, "%15s : %llu%s\n", "Array Size",
			(unsigned long long)md_array_sectors(m) / 2,
			md_human_size(md_array_sectors(m) * 512, hs, sizeof(hs)));
	fprintf(out, "%15s : %u\n", "Raid Devices", m->raid_disks);
	fprintf(out, "%15s : %u\n", "Total Devices", m->nr_disks);
	fprintf(out, "%15s : %d\n\n", "Preferred Minor", m->preferred_minor);
	print_time(out, "Update Time", m->utime);
	fprintf(out, "%15s : %s\n", "State", m->clean ? "clean" : "active");
	if (m->features & MD_FEAT_BITMAP)
		fprintf(out, "%15s : present\n", "Internal Bitmap");
	fprintf(out, "%15s : %u\n", "Active Devices", m->active_disks);
	fprintf(out, "%15s : %u\n", "Working Devices", m->working_disks);
	fprintf(out, "%15s : %u\n", "Failed Devices", m->failed_disks);
	fprintf(out, "%15s : %u\n", "Spare Devices", m->spare_disks);
	print_checksum_events(out, m);
	if ((m->level == 5 || m->level == 6 || m->level == 10) &&
	    !md_layout_name(m->level, m->layout, layout, sizeof(layout)))
		fprintf(out, "%15s : %s\n", "Layout", layout);
	if (m->level == 0 || m->level == 4 || m->level == 5 || m->level == 6 ||
	    m->level == 10)
		fprintf(out, "%15s : %uK\n", "Chunk Size", m->chunk_sectors / 2);
	fprintf(out, "\n%14s : %s\n", "Device Role", md_role_text(m->role, role, sizeof(role)));
}

void md_report_examine(FILE *out, const struct md_member *m, const char *homehost)
{
	if (m->format == MD_FMT_090)
		examine_090(out, m, homehost);
	else
		examine_1x(out, m, homehost);
}

void md_report_array_line(FILE *out, const struct md_member *m, unsigned spares)
{
	char uuid[36];

	md_uuid_str(m->uuid, uuid);
	if (m->format == MD_FMT_090) {
		fprintf(out, "ARRAY /dev/md%d UUID=%s", m->preferred_minor, uuid);
	} else {
		/* mdadm strips "homehost:" from the device name, not from name= */
		const char *nm = strchr(m->name, ':');
		nm = nm ? nm + 1 : m->name[0] ? m->name : NULL;
		fputs("ARRAY ", out);
		if (nm)
			fprintf(out, "/dev/md/%s ", nm);
		fprintf(out, " metadata=%s UUID=%s", md_format_name(m->format), uuid);
		if (m->name[0])
			fprintf(out, " name=%s", m->name);
	}
	fputc('\n', out);
	if (spares)	/* mdadm puts it on a line of its own */
		fprintf(out, "   spares=%u\n", spares);
}

void md_report_json(struct json *j, const char *path, const struct md_member *m,
		    const char *problem)
{
	char buf[64], role[32];
	uint32_t i;

	json_object_begin(j, NULL);
	json_string(j, "device", path);
	json_string(j, "metadata", md_format_name(m->format));
	md_uuid_str(m->uuid, buf);
	json_string(j, "uuid", buf);
	json_string(j, "name", m->format == MD_FMT_090 ? NULL : m->name);
	json_string(j, "level", md_level_name(m->level));
	if (!md_layout_name(m->level, m->layout, buf, sizeof(buf)))
		json_string(j, "layout", buf);
	json_int(j, "layout_code", m->layout);
	json_uint(j, "chunk_kib", m->chunk_sectors / 2);
	json_uint(j, "raid_disks", m->raid_disks);
	json_uint(j, "dev_number", m->dev_number);
	json_string(j, "role", m->role < MD_ROLE_MAX ? "active" :
		    md_role_text(m->role, role, sizeof(role)));
	if (m->role < MD_ROLE_MAX)
		json_uint(j, "slot", m->role);
	json_uint(j, "events", m->events);
	json_uint(j, "ctime", m->ctime);
	json_uint(j, "utime", m->utime);
	json_uint(j, "data_offset_sectors", m->data_offset);
	json_uint(j, "data_size_sectors", m->data_size);
	json_uint(j, "component_size_sectors", m->component_size);
	json_uint(j, "array_size_sectors", md_array_sectors(m));
	json_uint(j, "super_offset_sectors", m->sb_offset / 512);
	json_bool(j, "clean", m->clean);
	if (m->preferred_minor >= 0)
		json_int(j, "preferred_minor", m->preferred_minor);
	else
		json_null(j, "preferred_minor");
	json_uint(j, "feature_map", m->features);
	json_bool(j, "bitmap", !!(m->features & MD_FEAT_BITMAP));
	json_bool(j, "reshape", !!(m->features & MD_FEAT_RESHAPE_ACTIVE));
	json_bool(j, "journal", !!(m->features & MD_FEAT_JOURNAL));
	json_bool(j, "ppl", !!(m->features & MD_FEAT_PPL));
	json_bool(j, "recovery_offset", !!(m->features & MD_FEAT_RECOVERY_OFFSET));
	json_bool(j, "bad_blocks", !!(m->features & MD_FEAT_BAD_BLOCKS));
	json_bool(j, "checksum_ok", m->sb_csum == m->sb_csum_expected);
	json_array_begin(j, "recorded_roles");
	for (i = 0; i < m->nroles; i++) {
		uint16_t r = m->roles[i];
		if (r < MD_ROLE_MAX)
			json_uint(j, NULL, r);
		else
			json_string(j, NULL, r == MD_ROLE_FAULTY ? "faulty" :
				    r == MD_ROLE_JOURNAL ? "journal" : "spare");
	}
	json_array_end(j);
	json_string(j, "problem", problem);
	json_object_end(j);
}
