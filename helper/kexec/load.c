/* kexec_file_load of a checked kernel, and its record. */
#include "kexec/load.h"
#include "kexec/state.h"
#include "sys/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* Fatal check findings refuse the load (-EPERM). */
static int run_checks(const struct kexec_load_input *in, struct kexec_load_result *res)
{
	const struct kexec_check_input c = {
		.kernel = in->kernel, .bz = in->bz, .cmdline = in->cmdline,
		.initrds = in->initrds, .ninitrd = in->ninitrd,
	};

	kexec_check_run(&c, &res->findings);
	if (!kexec_findings_fatal(&res->findings)) {
		kexec_findings_free(&res->findings);
		return 0;
	}
	res->step = KEXEC_LOAD_CHECKS;
	return -EPERM;
}

static int open_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Append the rest of in to out. */
static int copy_fd(int out, int in)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return errno ? -errno : -EIO;
	return n < 0 ? -errno : 0;
}

/* One fd holding all initrds: the file itself, or a memfd of their
 * concatenation (the kernel unpacks concatenated cpio archives). */
static int open_initrds(const struct kexec_load_input *in, struct kexec_load_result *res)
{
	int i, out, fd, r;

	if (in->ninitrd == 1) {
		res->step = KEXEC_LOAD_INITRD;
		res->path = in->initrds[0];
		return open_file(in->initrds[0]);
	}
	out = memfd_create("warmboot-initrd", MFD_CLOEXEC);
	if (out < 0) {
		res->step = KEXEC_LOAD_BUFFER;
		return -errno;
	}
	for (i = 0; i < in->ninitrd; i++) {
		res->path = in->initrds[i];
		res->step = KEXEC_LOAD_INITRD;
		fd = open_file(in->initrds[i]);
		if (fd < 0) {
			close(out);
			return fd;
		}
		res->step = KEXEC_LOAD_COPY;
		r = copy_fd(out, fd);
		close(fd);
		if (r) {
			close(out);
			return r;
		}
	}
	return out;
}

static int load_files(const struct kexec_load_input *in, struct kexec_load_result *res)
{
	unsigned long flags = in->ninitrd ? 0 : KEXEC_FILE_NO_INITRAMFS;
	int kfd, ifd = -1, r;

	kfd = open_file(in->kernel);
	if (kfd < 0) {
		res->step = KEXEC_LOAD_KERNEL;
		return kfd;
	}
	if (in->ninitrd && (ifd = open_initrds(in, res)) < 0) {
		close(kfd);
		return ifd;
	}
	r = sys_kexec_file_load(kfd, ifd, in->cmdline, flags);
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (r)
		res->step = KEXEC_LOAD_SYSCALL;
	return r;
}

static int record_load(const struct kexec_load_input *in)
{
	struct kexec_record rec;

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.kernel, sizeof(rec.kernel), "%s", in->kernel);
	snprintf(rec.initrd, sizeof(rec.initrd), "%s", in->ninitrd ? in->initrds[0] : "");
	snprintf(rec.release, sizeof(rec.release), "%s", in->bz->release);
	snprintf(rec.cmdline, sizeof(rec.cmdline), "%s", in->cmdline);
	rec.loaded_at = (long long)time(NULL);
	return kexec_record_write(&rec);
}

int kexec_load(const struct kexec_load_input *in, struct kexec_load_result *res)
{
	int r;

	memset(res, 0, sizeof(*res));
	if (strlen(in->cmdline) > in->bz->cmdline_size) {
		res->step = KEXEC_LOAD_CMDLINE;
		return -E2BIG;
	}
	if (!in->force && (r = run_checks(in, res)))
		return r;
	r = load_files(in, res);
	if (!r)
		res->record_err = record_load(in);
	return r;
}
