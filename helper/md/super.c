/* Table-driven probing of native md superblocks. Offsets are documented
 * next to the code computing them; every field is read little-endian. */
#include "md/super.h"
#include "md/dev.h"
#include "lib/le.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SECTOR 512u
#define SB_BYTES 4096u
#define BITMAP_MAGIC 0x6d746962u

/* ---- 0.90: 1024 32-bit words, at the last 64 KiB-aligned 64 KiB block ---- */
enum sb0_word {
	W0_MAGIC = 0, W0_MAJOR = 1, W0_MINOR = 2, W0_UUID0 = 5, W0_CTIME = 6,
	W0_LEVEL = 7, W0_SIZE = 8, W0_NR_DISKS = 9, W0_RAID_DISKS = 10, W0_MD_MINOR = 11,
	W0_UUID1 = 13, W0_UUID2 = 14, W0_UUID3 = 15,
	W0_UTIME = 32, W0_STATE = 33, W0_ACTIVE = 34, W0_WORKING = 35,
	W0_FAILED = 36, W0_SPARE = 37, W0_CSUM = 38, W0_EVENTS_LO = 39,
	W0_EVENTS_HI = 40, W0_RECOVERY_CP = 43, W0_RESHAPE_POS = 44,
	W0_NEW_LEVEL = 46, W0_DELTA_DISKS = 47, W0_NEW_LAYOUT = 48,
	W0_NEW_CHUNK = 49,
	W0_LAYOUT = 64, W0_CHUNK = 65,
	W0_DISKS = 128,		/* 27 descriptors of 32 words */
	W0_THIS_DISK = 992,
	W0_DESC_WORDS = 32, W0_NDISKS = 27,
};
/* descriptor words */
enum { D0_NUMBER = 0, D0_MAJOR = 1, D0_MINOR = 2, D0_RAID_DISK = 3, D0_STATE = 4 };
enum { D0_FAULTY = 1 << 0, D0_ACTIVE = 1 << 1, D0_SYNC = 1 << 2 };
enum { SB0_CLEAN = 1 << 0, SB0_BITMAP = 1 << 8 };
_Static_assert(W0_DISKS + W0_NDISKS * W0_DESC_WORDS == W0_THIS_DISK,
	       "0.90 descriptors end where this_disk starts");
_Static_assert((W0_THIS_DISK + W0_DESC_WORDS) * 4 == SB_BYTES,
	       "0.90 superblock is 4 KiB");

/* ---- 1.x: 256 bytes, then le16 dev_roles[max_dev] ---- */
enum sb1_off {
	S1_MAGIC = 0, S1_MAJOR = 4, S1_FEATURES = 8, S1_SET_UUID = 16,
	S1_SET_NAME = 32, S1_CTIME = 64, S1_LEVEL = 72, S1_LAYOUT = 76,
	S1_SIZE = 80, S1_CHUNK = 88, S1_RAID_DISKS = 92, S1_BITMAP_OFFSET = 96,
	S1_NEW_LEVEL = 100, S1_RESHAPE_POS = 104, S1_DELTA_DISKS = 112,
	S1_NEW_LAYOUT = 116, S1_NEW_CHUNK = 120, S1_NEW_OFFSET = 124,
	S1_DATA_OFFSET = 128, S1_DATA_SIZE = 136, S1_SUPER_OFFSET = 144,
	S1_RECOVERY_OFFSET = 152, S1_DEV_NUMBER = 160, S1_DEVICE_UUID = 168,
	S1_DEVFLAGS = 184, S1_BBLOG_SIZE = 186, S1_BBLOG_OFFSET = 188, S1_UTIME = 192, S1_EVENTS = 200,
	S1_RESYNC_OFFSET = 208, S1_CSUM = 216, S1_MAX_DEV = 220,
	S1_ROLES = 256,
};
_Static_assert(S1_SET_NAME - S1_SET_UUID == 16, "set_uuid is 16 bytes");
_Static_assert(S1_CTIME - S1_SET_NAME == MD_NAME_MAX, "set_name is 32 bytes");
_Static_assert(S1_ROLES + 1920 * 2 <= SB_BYTES, "1.x roles fit in 4 KiB");
#define S1_MAX_DEV_LIMIT ((SB_BYTES - S1_ROLES) / 2)

/* bitmap superblock */
enum { BM_MAGIC = 0, BM_UUID = 8, BM_EVENTS_CLEARED = 32, BM_SYNC_SIZE = 40,
       BM_CHUNKSIZE = 52 };

static uint32_t fold(uint64_t sum)
{
	return (uint32_t)((sum & 0xffffffffu) + (sum >> 32));
}

static uint32_t sb0_csum(const uint8_t *sb)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < SB_BYTES / 4; i++)
		if (i != W0_CSUM)
			sum += le32(sb + 4 * i);
	return fold(sum);
}

static uint32_t sb1_csum(const uint8_t *sb, uint32_t max_dev)
{
	uint32_t size = S1_ROLES + max_dev * 2, i;
	uint64_t sum = 0;

	for (i = 0; i + 4 <= size; i += 4)
		if (i != S1_CSUM)
			sum += le32(sb + i);
	if (size - i == 2)
		sum += le16(sb + i);
	return fold(sum);
}

static int level_known(int level)
{
	switch (level) {
	case MD_LEVEL_LINEAR: case MD_LEVEL_MULTIPATH: case MD_LEVEL_FAULTY:
	case 0: case 1: case 4: case 5: case 6: case 10:
		return 1;
	}
	return 0;
}

static int level_needs_chunk(int level)
{
	return level == 0 || level == 4 || level == 5 || level == 6 || level == 10;
}

/* Checks common to every format; returns why the member is untrustworthy. */
static const char *impossible(const struct md_member *m)
{
	if (!level_known(m->level))
		return "unknown RAID level";
	if (m->raid_disks == 0)
		return "raid_disks is 0";
	if (m->raid_disks > MD_MAX_ROLES)
		return "raid_disks is impossibly large";
	if (m->role < MD_ROLE_MAX && m->role >= m->raid_disks &&
	    !(m->features & MD_FEAT_RESHAPE_ACTIVE))
		return "device role is past raid_disks";
	if (level_needs_chunk(m->level) && m->chunk_sectors == 0)
		return "chunk size is 0";
	if (m->data_offset >= m->dev_size / SECTOR)
		return "data offset is past the end of the device";
	if (m->component_size > m->data_size)
		return "used size is larger than the space for data";
	if (m->data_offset + m->data_size > m->dev_size / SECTOR)
		return "data area runs past the end of the device";
	return NULL;
}

static uint16_t role0(const uint8_t *desc)
{
	uint32_t state = le32(desc + 4 * D0_STATE);

	if (state & D0_FAULTY)
		return MD_ROLE_FAULTY;
	if ((state & D0_ACTIVE) && (state & D0_SYNC))
		return (uint16_t)le32(desc + 4 * D0_RAID_DISK);
	return MD_ROLE_SPARE;
}

static int bitmap_ok(struct md_dev *dev, uint64_t off, const uint8_t uuid[16],
		     struct md_member *m)
{
	uint8_t scratch[SECTOR];
	const uint8_t *b;

	if (md_dev_read(dev, off, SECTOR, &b, scratch) < 0)
		return 0;
	if (le32(b + BM_MAGIC) != BITMAP_MAGIC || memcmp(b + BM_UUID, uuid, 16))
		return 0;
	m->bitmap_events_cleared = le64(b + BM_EVENTS_CLEARED);
	m->bitmap_sync_size = le64(b + BM_SYNC_SIZE);
	m->bitmap_chunk = le32(b + BM_CHUNKSIZE);
	return 1;
}

/* The 0.90 array fields; bm_uuid gets the UUID as its bitmap stores it.
 * Returns the superblock's state word. */
static uint32_t read_090_array(const uint8_t *sb, struct md_member *m, uint8_t bm_uuid[16])
{
	uint32_t state, i;

	m->minor_version = (int)le32(sb + 4 * W0_MINOR);
	put_le32(bm_uuid, le32(sb + 4 * W0_UUID0));
	put_le32(bm_uuid + 4, le32(sb + 4 * W0_UUID1));
	put_le32(bm_uuid + 8, le32(sb + 4 * W0_UUID2));
	put_le32(bm_uuid + 12, le32(sb + 4 * W0_UUID3));
	/* mdadm prints each 32-bit word as %08x */
	for (i = 0; i < 16; i++)
		m->uuid[i] = bm_uuid[(i & ~3u) + 3 - (i & 3)];
	m->ctime = le32(sb + 4 * W0_CTIME);
	m->utime = le32(sb + 4 * W0_UTIME);
	m->level = (int32_t)le32(sb + 4 * W0_LEVEL);
	m->layout = (int32_t)le32(sb + 4 * W0_LAYOUT);
	m->chunk_sectors = le32(sb + 4 * W0_CHUNK) / SECTOR;
	m->raid_disks = le32(sb + 4 * W0_RAID_DISKS);
	m->preferred_minor = (int)le32(sb + 4 * W0_MD_MINOR);
	m->nr_disks = le32(sb + 4 * W0_NR_DISKS);
	m->active_disks = le32(sb + 4 * W0_ACTIVE);
	m->working_disks = le32(sb + 4 * W0_WORKING);
	m->failed_disks = le32(sb + 4 * W0_FAILED);
	m->spare_disks = le32(sb + 4 * W0_SPARE);
	m->events = (uint64_t)le32(sb + 4 * W0_EVENTS_HI) << 32 |
		    le32(sb + 4 * W0_EVENTS_LO);
	state = le32(sb + 4 * W0_STATE);
	m->clean = !!(state & SB0_CLEAN);
	m->resync_offset = m->clean ? UINT64_MAX : le32(sb + 4 * W0_RECOVERY_CP);
	m->component_size = (uint64_t)le32(sb + 4 * W0_SIZE) * 2;
	m->data_offset = 0;
	m->data_size = m->sb_offset / SECTOR;
	if (m->minor_version > 90) {
		m->reshape_position = le64(sb + 4 * W0_RESHAPE_POS);
		m->new_level = (int32_t)le32(sb + 4 * W0_NEW_LEVEL);
		m->delta_disks = (int32_t)le32(sb + 4 * W0_DELTA_DISKS);
		m->new_layout = (int32_t)le32(sb + 4 * W0_NEW_LAYOUT);
		m->new_chunk_sectors = le32(sb + 4 * W0_NEW_CHUNK) / SECTOR;
		m->features |= MD_FEAT_RESHAPE_ACTIVE;
	}
	return state;
}

/* This member's descriptor, the 27 descriptors, and the checksums. */
static void read_090_disks(const uint8_t *sb, struct md_member *m)
{
	const uint8_t *this = sb + 4 * W0_THIS_DISK;
	uint32_t i;

	m->dev_number = le32(this + 4 * D0_NUMBER);
	m->role = role0(this);
	m->nroles = W0_NDISKS;
	for (i = 0; i < W0_NDISKS; i++)
		m->roles[i] = role0(sb + 4 * (W0_DISKS + i * W0_DESC_WORDS));
	m->sb_csum = le32(sb + 4 * W0_CSUM);
	m->sb_csum_expected = sb0_csum(sb);
}

/* 0.90 sits at MD_NEW_SIZE_SECTORS: the last 64 KiB-aligned 64 KiB block. */
static int probe_090(struct md_dev *dev, struct md_probe *p)
{
	struct md_member *m = &p->m;
	uint8_t scratch[SB_BYTES], bm_uuid[16];
	const uint8_t *sb;
	uint64_t off;
	uint32_t state;
	int err;

	if (dev->size < 65536)
		return 0;
	off = (dev->size & ~(uint64_t)65535) - 65536;
	err = md_dev_read(dev, off, SB_BYTES, &sb, scratch);
	if (err)
		return err;
	if (le32(sb + 4 * W0_MAGIC) != MD_MAGIC) {
		if (be32(sb + 4 * W0_MAGIC) == MD_MAGIC) {
			p->result = MD_INVALID;
			p->why = "0.90 superblock in the other byte order (use mdadm --update=byteorder)";
		}
		return 0;
	}
	if (le32(sb + 4 * W0_MAJOR) != 0)
		return 0;
	p->result = MD_VALID;
	m->format = MD_FMT_090;
	m->dev_size = dev->size;
	m->sb_offset = off;
	state = read_090_array(sb, m, bm_uuid);
	read_090_disks(sb, m);
	if ((state & SB0_BITMAP) &&
	    bitmap_ok(dev, off + SB_BYTES, bm_uuid, m)) {
		m->features |= MD_FEAT_BITMAP;
		m->bitmap_offset = SB_BYTES / SECTOR;
	}
	p->why = impossible(m);
	if (!p->why && m->dev_number >= W0_NDISKS)
		p->why = "device number is past the 27 descriptors";
	if (!p->why && m->sb_csum != m->sb_csum_expected)
		p->why = "superblock checksum is wrong";
	if (p->why)
		p->result = MD_INVALID;
	return 0;
}

static uint64_t sb1_offset(enum md_format f, uint64_t dev_sectors)
{
	switch (f) {
	case MD_FMT_10:	/* at least 8 KiB, less than 12 KiB from the end, 4K-aligned */
		return (dev_sectors - 8 * 2) & ~(uint64_t)(4 * 2 - 1);
	case MD_FMT_11:	/* at the start */
		return 0;
	default:	/* 1.2: 4 KiB from the start */
		return 4 * 2;
	}
}

/* The 1.x fields other than the roles, little-endian at S1_*. */
static void read_1x_fields(const uint8_t *sb, struct md_member *m)
{
	m->features = le32(sb + S1_FEATURES);
	memcpy(m->uuid, sb + S1_SET_UUID, 16);
	memcpy(m->name, sb + S1_SET_NAME, MD_NAME_MAX);
	m->name[MD_NAME_MAX] = 0;
	m->ctime = le64(sb + S1_CTIME) & 0xffffffffffull;
	m->utime = le64(sb + S1_UTIME) & 0xffffffffffull;
	m->level = (int32_t)le32(sb + S1_LEVEL);
	m->layout = (int32_t)le32(sb + S1_LAYOUT);
	m->component_size = le64(sb + S1_SIZE);
	m->chunk_sectors = le32(sb + S1_CHUNK);
	m->raid_disks = le32(sb + S1_RAID_DISKS);
	m->bitmap_offset = (int32_t)le32(sb + S1_BITMAP_OFFSET);
	m->new_level = (int32_t)le32(sb + S1_NEW_LEVEL);
	m->reshape_position = le64(sb + S1_RESHAPE_POS);
	m->delta_disks = (int32_t)le32(sb + S1_DELTA_DISKS);
	m->new_layout = (int32_t)le32(sb + S1_NEW_LAYOUT);
	m->new_chunk_sectors = le32(sb + S1_NEW_CHUNK);
	m->data_offset = le64(sb + S1_DATA_OFFSET);
	m->data_size = le64(sb + S1_DATA_SIZE);
	m->recovery_offset = le64(sb + S1_RECOVERY_OFFSET);
	m->dev_number = le32(sb + S1_DEV_NUMBER);
	memcpy(m->dev_uuid, sb + S1_DEVICE_UUID, 16);
	m->devflags = sb[S1_DEVFLAGS];
	m->bblog_size = le16(sb + S1_BBLOG_SIZE);
	m->bblog_offset = (int32_t)le32(sb + S1_BBLOG_OFFSET);
	m->events = le64(sb + S1_EVENTS);
	m->resync_offset = le64(sb + S1_RESYNC_OFFSET);
	m->clean = m->resync_offset == UINT64_MAX;
	m->sb_csum = le32(sb + S1_CSUM);
}

/* The role table: the slots up to the last one in use, and this member's.
 * NULL, or why the superblock cannot be taken. */
static const char *read_1x_roles(const uint8_t *sb, struct md_member *m)
{
	uint32_t max_dev = le32(sb + S1_MAX_DEV), i, used;

	if (max_dev > S1_MAX_DEV_LIMIT)
		return "max_dev is larger than a superblock can hold";
	m->sb_csum_expected = sb1_csum(sb, max_dev);
	/* keep roles up to the last one that is not "spare/empty" */
	for (used = max_dev; used > 0; used--)
		if (le16(sb + S1_ROLES + 2 * (used - 1)) != MD_ROLE_SPARE)
			break;
	if (used > MD_MAX_ROLES)
		return "more member slots in use than warmboot handles";
	m->nroles = used;
	for (i = 0; i < used; i++)
		m->roles[i] = le16(sb + S1_ROLES + 2 * i);
	/* mdadm's getinfo_super1: a dev_number past max_dev is faulty */
	m->role = m->dev_number < max_dev ?
		  le16(sb + S1_ROLES + 2 * m->dev_number) : MD_ROLE_FAULTY;
	return NULL;
}

static int probe_1x(struct md_dev *dev, struct md_probe *p, enum md_format f)
{
	struct md_member *m = &p->m;
	uint8_t scratch[SB_BYTES];
	const uint8_t *sb;
	uint64_t dev_sectors = dev->size / SECTOR, sect;
	int err;

	if (dev_sectors < 24)
		return 0;
	sect = sb1_offset(f, dev_sectors);
	if ((sect + 8) * SECTOR > dev->size)
		return 0;
	err = md_dev_read(dev, sect * SECTOR, SB_BYTES, &sb, scratch);
	if (err)
		return err;
	if (le32(sb + S1_MAGIC) != MD_MAGIC || le32(sb + S1_MAJOR) != 1 ||
	    le64(sb + S1_SUPER_OFFSET) != sect)
		return 0;
	p->result = MD_VALID;
	m->format = f;
	m->dev_size = dev->size;
	m->sb_offset = sect * SECTOR;
	m->minor_version = f == MD_FMT_10 ? 0 : f == MD_FMT_11 ? 1 : 2;
	m->preferred_minor = -1;
	read_1x_fields(sb, m);
	p->why = read_1x_roles(sb, m);
	if (p->why) {
		p->result = MD_INVALID;
		return 0;
	}
	if ((m->features & MD_FEAT_BITMAP) &&
	    !bitmap_ok(dev, (uint64_t)((int64_t)m->sb_offset +
				      (int64_t)m->bitmap_offset * SECTOR),
		       m->uuid, m))
		m->features &= ~(uint32_t)MD_FEAT_BITMAP; /* as mdadm does */
	p->why = impossible(m);
	if (!p->why && (m->features & ~(uint32_t)MD_FEAT_ALL))
		p->why = "unknown feature bits";
	if (!p->why && m->sb_csum != m->sb_csum_expected)
		p->why = "superblock checksum is wrong";
	if (p->why)
		p->result = MD_INVALID;
	return 0;
}

static int probe_10(struct md_dev *d, struct md_probe *p) { return probe_1x(d, p, MD_FMT_10); }
static int probe_11(struct md_dev *d, struct md_probe *p) { return probe_1x(d, p, MD_FMT_11); }
static int probe_12(struct md_dev *d, struct md_probe *p) { return probe_1x(d, p, MD_FMT_12); }

/* One entry per format, in mdadm's order of preference on equal ctime. */
static const struct {
	const char *name;
	int (*probe)(struct md_dev *dev, struct md_probe *p);
} formats[MD_NFORMATS] = {
	[MD_FMT_090] = { "0.90", probe_090 },
	[MD_FMT_10] = { "1.0", probe_10 },
	[MD_FMT_11] = { "1.1", probe_11 },
	[MD_FMT_12] = { "1.2", probe_12 },
};

const char *md_format_name(enum md_format f)
{
	return (unsigned)f < MD_NFORMATS ? formats[f].name : "?";
}

int md_probe_all(struct md_dev *dev, struct md_probe probes[MD_NFORMATS])
{
	int f, err;

	for (f = 0; f < MD_NFORMATS; f++) {
		memset(&probes[f], 0, sizeof(probes[f]));
		probes[f].result = MD_ABSENT;
		err = formats[f].probe(dev, &probes[f]);
		if (err)
			return err;
	}
	return 0;
}

int md_choose(const struct md_probe probes[MD_NFORMATS], int *others)
{
	int f, best = -1, found = 0;

	/* mdadm's guess_super loads without checking the checksum and keeps
	 * the superblock with the latest ctime; so do we, and then report
	 * the chosen one's problems. */
	for (f = 0; f < MD_NFORMATS; f++) {
		if (probes[f].result == MD_ABSENT || probes[f].m.format != (enum md_format)f)
			continue;
		found++;
		if (best < 0 || probes[best].m.ctime < probes[f].m.ctime)
			best = f;
	}
	if (others)
		*others = found ? found - 1 : 0;
	return best;
}

const char *md_external_signature(struct md_dev *dev)
{
	static const char imsm[] = "Intel Raid ISM Cfg Sig. ";
	uint8_t scratch[SECTOR];
	const uint8_t *b;

	if (dev->size < 2 * SECTOR)
		return NULL;
	/* IMSM: anchor in the second-to-last sector; DDF: in the last */
	if (!md_dev_read(dev, dev->size - 2 * SECTOR, SECTOR, &b, scratch) &&
	    !memcmp(b, imsm, sizeof(imsm) - 1))
		return "IMSM (Intel Matrix Storage)";
	if (!md_dev_read(dev, dev->size - SECTOR, SECTOR, &b, scratch) &&
	    be32(b) == 0xde11de11u)
		return "DDF";
	return NULL;
}

int md_examine_path(const char *path, struct md_found *out)
{
	struct md_probe probes[MD_NFORMATS];
	struct md_dev dev;
	int err, f;

	memset(out, 0, sizeof(*out));
	out->format = -1;
	err = md_dev_open(&dev, path);
	if (err)
		return err;
	err = md_probe_all(&dev, probes);
	if (!err) {
		f = md_choose(probes, NULL);
		if (f >= 0) {
			int g;
			out->format = f;
			out->m = probes[f].m;
			out->problem = probes[f].result == MD_INVALID ? probes[f].why : NULL;
			for (g = 0; g < MD_NFORMATS; g++)
				if (g != f && probes[g].result != MD_ABSENT)
					out->also |= 1u << g;
		} else {
			out->external = md_external_signature(&dev);
		}
	}
	out->reads = dev.reads;
	md_dev_close(&dev);
	return err;
}
