/* Coldplug without udev: find storage devices that have no driver yet by
 * their sysfs modalias, hand each to a loader, and repeat while loading
 * made new devices appear (a SCSI host driver brings disks). */
#ifndef WB_MODULES_COLDPLUG_H
#define WB_MODULES_COLDPLUG_H

#include "lib/array.h"

#include <stddef.h>

/* 1 when a modalias names a storage device warmboot loads drivers for:
 * PCI class 01 (SCSI, IDE, RAID, SATA, SAS, NVMe ...), virtio block (2)
 * and SCSI (8), and SCSI disks (types 0x00, 0x07, 0x0e, 0x14, as sd_mod). */
int modules_storage_alias(const char *modalias);

struct coldplug_dev {
	char *syspath;		/* directory under .../sys/devices */
	char *modalias;
};

struct coldplug_scan {
	ARRAY(struct coldplug_dev) devs;
};

/* Storage devices without a bound driver in the tree sysdevices (for
 * example sys_root() + "/sys/devices"), found by the links of its sibling
 * bus/{pci,virtio,scsi}/devices, sorted by path. */
int modules_scan_storage(const char *sysdevices, struct coldplug_scan *out);
void modules_scan_free(struct coldplug_scan *scan);

/* Hosts that a driver started and that still find their disks after its
 * module init returned (which waits for the kernel's async SCSI scans and
 * driver probes): an NVMe controller not live or with no namespace yet,
 * a SAS host (firmware-driven discovery) with no SCSI device yet. Their
 * names, space separated, into buf (truncated); the count, or 0 when
 * sysclass (".../sys/class") has none. */
int modules_storage_pending(const char *sysclass, char *buf, size_t len);

struct coldplug {
	const char *sysdevices;
	const char *sysclass;	/* for modules_storage_pending; NULL: none */
	int max_rounds;		/* scan/load rounds at most */
	int settle_ms;		/* after loading, wait at most this long for
				 * pending hosts; none pending: no wait */
	int poll_ms;		/* re-scan interval while waiting, without wait */
	/* Optional: sleeps at most timeout_ms until a new device may have
	 * appeared (a uevent); > 0 rescan now, 0 time is up, < 0 no event
	 * source (then sysfs is polled every poll_ms). */
	int (*wait)(void *data, int timeout_ms);
	/* Loads drivers for one device: > 0 loaded something, 0 nothing new,
	 * < 0 failed (counted; coldplug goes on). */
	int (*load)(void *data, const struct coldplug_dev *dev);
	void *data;
	/* Results */
	int rounds;
	int failed;
	int scans;		/* sysfs walks made */
	char late[128];		/* hosts still pending at a deadline */
};

/* Runs the rounds; 0, or -errno when sysdevices cannot be read. */
int modules_coldplug(struct coldplug *c);

#endif
