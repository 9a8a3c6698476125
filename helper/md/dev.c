/* Reading a device or image for md probing: three small cached regions
 * (head, tail and one more) cover every native superblock and bitmap
 * header, so a device costs a few reads of a few KiB and no allocation. */
#include "md/dev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* what one read around a superblock fetches: the superblock and the
 * bitmap header right after it (0.90) */
#define MID_MIN 8192u

int md_dev_init(struct md_dev *dev, int fd, uint64_t size)
{
	dev->fd = fd;
	dev->mem = NULL;
	dev->size = size;
	dev->reads = 0;
	dev->head.len = dev->tail.len = dev->mid.len = 0;
	return 0;
}

int md_dev_init_mem(struct md_dev *dev, const void *image, uint64_t size)
{
	md_dev_init(dev, -1, size);
	dev->mem = image;
	return 0;
}

int md_dev_open(struct md_dev *dev, const char *path)
{
	struct stat st;
	uint64_t size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int err;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &size) < 0)
			goto fail;
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else {
		close(fd);
		return -ENOTBLK;
	}
	return md_dev_init(dev, fd, size);
fail:
	err = -errno;
	close(fd);
	return err;
}

void md_dev_close(struct md_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

static int load(struct md_dev *dev, struct md_region *r, uint64_t off, uint32_t len)
{
	uint32_t done = 0;

	r->len = 0;
	dev->reads++;
	while (done < len) {
		ssize_t n = pread(dev->fd, r->buf + done, len - done, (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		done += (uint32_t)n;
	}
	r->off = off;
	r->len = len;
	return 0;
}

static int within(const struct md_region *r, uint64_t off, uint32_t len)
{
	return r->len && off >= r->off && off + len <= r->off + r->len;
}

int md_dev_read(struct md_dev *dev, uint64_t off, uint32_t len,
		const uint8_t **out, uint8_t *scratch)
{
	struct md_region *r;
	uint64_t start;
	uint32_t n;
	int err;

	(void)scratch;
	if (off > dev->size || len > dev->size - off || len > MD_DEV_REGION)
		return -ERANGE;
	if (dev->mem) {
		dev->reads++;
		*out = dev->mem + off;
		return 0;
	}
	if (within(&dev->head, off, len))
		r = &dev->head;
	else if (within(&dev->tail, off, len))
		r = &dev->tail;
	else if (within(&dev->mid, off, len))
		r = &dev->mid;
	else {
		if (off + len <= MD_DEV_REGION) {
			r = &dev->head;
			start = 0;
			n = dev->size < MD_DEV_REGION ? (uint32_t)dev->size : MD_DEV_REGION;
		} else if (off >= dev->size - (dev->size < MD_DEV_REGION ? dev->size : MD_DEV_REGION)) {
			r = &dev->tail;
			n = dev->size < MD_DEV_REGION ? (uint32_t)dev->size : MD_DEV_REGION;
			start = dev->size - n;
		} else {
			r = &dev->mid;
			start = off;
			n = len > MID_MIN ? len : MID_MIN;
			if (n > dev->size - off)
				n = (uint32_t)(dev->size - off);
		}
		err = load(dev, r, start, n);
		if (err)
			return err;
	}
	*out = r->buf + (off - r->off);
	return 0;
}
