/* Reading a device or image for md probing: three small cached regions
 * (md/dev.c) so that probing every format costs a few small reads. */
#ifndef WB_MD_DEV_H
#define WB_MD_DEV_H

#include <stdint.h>

/* An open device or image to probe; reads are counted. Three small cached
 * regions cover the native superblocks, so a device costs 2-4 reads of a
 * few KiB: the head (1.1, 1.2 and their bitmaps), the tail (1.0, IMSM,
 * DDF) and one more anywhere (0.90 and its bitmap, a 1.0 bitmap). */
#define MD_DEV_REGION 12288u
struct md_region {
	uint64_t off;
	uint32_t len;	/* 0: not loaded */
	uint8_t buf[MD_DEV_REGION];
};
struct md_dev {
	int fd;
	const uint8_t *mem;	/* an image in memory instead of fd (tests) */
	uint64_t size;
	unsigned reads;
	struct md_region head, tail, mid;
};

int md_dev_open(struct md_dev *dev, const char *path);
/* Wrap an already open fd of the given size. */
int md_dev_init(struct md_dev *dev, int fd, uint64_t size);
/* Wrap an image held in memory (unit tests, fuzzing). */
int md_dev_init_mem(struct md_dev *dev, const void *image, uint64_t size);
void md_dev_close(struct md_dev *dev);
/* Point *out at len bytes at off, from a cached region when possible,
 * else read them into scratch (which must hold len bytes). */
int md_dev_read(struct md_dev *dev, uint64_t off, uint32_t len,
		const uint8_t **out, uint8_t *scratch);

#endif
