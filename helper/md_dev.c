/* Reading a device or image for md probing: two cached regions (head and
 * tail) cover every native superblock, so most devices cost two reads. */
#include "md_super.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD_LEN (64u * 1024)
#define TAIL_LEN (128u * 1024)

int md_dev_init(struct md_dev *dev, int fd, uint64_t size)
{
	memset(dev, 0, sizeof(*dev));
	dev->fd = fd;
	dev->size = size;
	return 0;
}

int md_dev_init_mem(struct md_dev *dev, const void *image, uint64_t size)
{
	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->mem = image;
	dev->size = size;
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
	free(dev->head);
	free(dev->tail);
	if (dev->fd >= 0)
		close(dev->fd);
	dev->head = dev->tail = NULL;
	dev->fd = -1;
}

static int read_full(struct md_dev *dev, void *buf, uint32_t len, uint64_t off)
{
	uint32_t done = 0;

	dev->reads++;
	while (done < len) {
		ssize_t n = pread(dev->fd, (char *)buf + done, len - done,
				  (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		done += (uint32_t)n;
	}
	return 0;
}

static int load_region(struct md_dev *dev, uint8_t **buf, uint32_t *buf_len,
		       uint64_t off, uint32_t len)
{
	int err;

	*buf = malloc(len ? len : 1);
	if (!*buf)
		return -ENOMEM;
	err = read_full(dev, *buf, len, off);
	if (err) {
		free(*buf);
		*buf = NULL;
		return err;
	}
	*buf_len = len;
	return 0;
}

int md_dev_read(struct md_dev *dev, uint64_t off, uint32_t len,
		const uint8_t **out, uint8_t *scratch)
{
	int err;

	if (off > dev->size || len > dev->size - off)
		return -ERANGE;
	if (dev->mem) {
		dev->reads++;
		*out = dev->mem + off;
		return 0;
	}
	if (off + len <= HEAD_LEN) {
		if (!dev->head) {
			uint32_t n = dev->size < HEAD_LEN ? (uint32_t)dev->size : HEAD_LEN;
			err = load_region(dev, &dev->head, &dev->head_len, 0, n);
			if (err)
				return err;
		}
		*out = dev->head + off;
		return 0;
	}
	if (!dev->tail) {
		uint64_t start = dev->size > TAIL_LEN ? dev->size - TAIL_LEN : 0;
		dev->tail_off = start;
		err = load_region(dev, &dev->tail, &dev->tail_len, start,
				  (uint32_t)(dev->size - start));
		if (err)
			return err;
	}
	if (off >= dev->tail_off) {
		*out = dev->tail + (off - dev->tail_off);
		return 0;
	}
	err = read_full(dev, scratch, len, off);
	if (err)
		return err;
	*out = scratch;
	return 0;
}
