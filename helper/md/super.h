/* md superblocks (0.90, 1.0, 1.1, 1.2) read into one neutral description of
 * a member; assembly works only on struct md_member. */
#ifndef WB_MD_SUPER_H
#define WB_MD_SUPER_H

#include <stdint.h>

#define MD_MAGIC 0xa92b4efcu
#define MD_NAME_MAX 32

/* Roles, as 1.x stores them; 0.90 descriptors are mapped onto these. */
#define MD_ROLE_SPARE 0xffff
#define MD_ROLE_FAULTY 0xfffe
#define MD_ROLE_JOURNAL 0xfffd
#define MD_ROLE_MAX 0xff00	/* anything below is an active slot */
/* Role slots kept per member: 1.x allows 1920, real arrays use a few;
 * a member recording a role past this is refused. */
#define MD_MAX_ROLES 384

enum md_format { MD_FMT_090, MD_FMT_10, MD_FMT_11, MD_FMT_12, MD_NFORMATS };

/* 1.x feature_map bits (0.90's bitmap flag is mapped onto MD_FEAT_BITMAP) */
enum {
	MD_FEAT_BITMAP = 1u << 0,
	MD_FEAT_RECOVERY_OFFSET = 1u << 1,
	MD_FEAT_RESHAPE_ACTIVE = 1u << 2,
	MD_FEAT_BAD_BLOCKS = 1u << 3,
	MD_FEAT_REPLACEMENT = 1u << 4,
	MD_FEAT_RESHAPE_BACKWARDS = 1u << 5,
	MD_FEAT_NEW_OFFSET = 1u << 6,
	MD_FEAT_RECOVERY_BITMAP = 1u << 7,
	MD_FEAT_CLUSTERED = 1u << 8,
	MD_FEAT_JOURNAL = 1u << 9,
	MD_FEAT_PPL = 1u << 10,
	MD_FEAT_MULTIPLE_PPLS = 1u << 11,
	MD_FEAT_RAID0_LAYOUT = 1u << 12,
	MD_FEAT_ALL = (1u << 13) - 1,
};

/* md level numbers as the kernel and mdadm use them */
enum { MD_LEVEL_LINEAR = -1, MD_LEVEL_MULTIPATH = -4, MD_LEVEL_FAULTY = -5 };

struct md_member {
	enum md_format format;
	uint64_t dev_size;		/* bytes, of the device read */
	uint64_t sb_offset;		/* bytes */
	uint8_t uuid[16];		/* array UUID, bytes in the order mdadm prints */
	uint8_t dev_uuid[16];		/* 1.x only */
	char name[MD_NAME_MAX + 1];	/* 1.x "homehost:name", "" for 0.90 */
	int minor_version;		/* 0.90: 90 (or older) */
	int level, layout;
	uint32_t chunk_sectors;
	uint32_t raid_disks;
	int32_t delta_disks, new_level, new_layout;
	uint32_t new_chunk_sectors;
	uint64_t reshape_position;	/* sectors */
	uint32_t dev_number;		/* index of this member in roles[] */
	uint16_t role;			/* slot, or MD_ROLE_* */
	uint64_t events;
	uint64_t ctime, utime;		/* seconds */
	uint64_t data_offset;		/* sectors (0 for 0.90) */
	uint64_t data_size;		/* sectors available for data */
	uint64_t component_size;	/* sectors each member gives the array */
	uint64_t resync_offset;		/* sectors; UINT64_MAX when in sync */
	uint64_t recovery_offset;	/* sectors, with MD_FEAT_RECOVERY_OFFSET */
	int clean;
	int preferred_minor;		/* 0.90 md_minor, else -1 */
	uint32_t features;		/* MD_FEAT_* */
	int32_t bitmap_offset;		/* sectors from the superblock */
	uint64_t bitmap_events_cleared;	/* from a valid bitmap superblock */
	uint64_t bitmap_sync_size;	/* sectors the bitmap covers */
	uint32_t bitmap_chunk;		/* bytes a bitmap bit covers */
	uint8_t devflags;		/* 1.x: write-mostly 1, failfast 2 */
	int32_t bblog_offset;		/* 1.x bad block log, sectors from sb */
	uint16_t bblog_size;		/* sectors */
	/* 0.90 only: the counters its superblock keeps */
	uint32_t nr_disks, active_disks, working_disks, failed_disks, spare_disks;
	uint32_t sb_csum, sb_csum_expected;
	/* What this member records about every member: roles[dev_number]. */
	uint32_t nroles;
	uint16_t roles[MD_MAX_ROLES];
};

struct md_dev;		/* md/dev.h */

/* The outcome of probing one format. */
enum md_probe_result {
	MD_ABSENT,	/* no magic there */
	MD_VALID,
	MD_INVALID,	/* magic there, but the superblock cannot be trusted */
};

struct md_probe {
	enum md_probe_result result;
	const char *why;	/* for MD_INVALID: a static explanation */
	struct md_member m;
};

/* Probe every format; probes[f] tells what format f found. Returns 0, or
 * -errno when the device could not be read at all. */
int md_probe_all(struct md_dev *dev, struct md_probe probes[MD_NFORMATS]);

/* Choose what mdadm would read from probes: the valid superblock with the
 * latest creation time (mdadm's guess_super). Returns the format, or -1
 * when none is valid. *others counts other valid superblocks ignored. */
int md_choose(const struct md_probe probes[MD_NFORMATS], int *others);

/* External metadata (IMSM, DDF) signature: its name, or NULL. */
const char *md_external_signature(struct md_dev *dev);

const char *md_format_name(enum md_format f);

/* Everything probing one device tells. */
struct md_found {
	int format;		/* the superblock mdadm would read, or -1 */
	const char *problem;	/* why it cannot be trusted, or NULL */
	const char *external;	/* IMSM/DDF signature found, or NULL */
	unsigned also;		/* bit mask of other formats also found */
	unsigned reads;
	struct md_member m;
};

/* Probe the device or image at path. 0, or -errno when unreadable. */
int md_examine_path(const char *path, struct md_found *out);
#endif
