/* kexec state in /sys, /proc and /run. */
#include "kexec/state.h"
#include "sys/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int kexec_read_text(const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	ssize_t n;
	int fd, r = 0;

	if (!len)
		return -EINVAL;
	snprintf(full, sizeof(full), "%s%s", sys_root(), path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		r = -errno;
	close(fd);
	if (r)
		return r;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	return 0;
}

static int read_flag(const char *path)
{
	char buf[16];
	int r = kexec_read_text(path, buf, sizeof(buf));

	if (r)
		return r;
	return atoi(buf) != 0;
}

int kexec_is_loaded(void)
{
	return read_flag("/sys/kernel/kexec_loaded");
}

int kexec_is_disabled(void)
{
	int r = read_flag("/proc/sys/kernel/kexec_load_disabled");

	return r < 0 ? 0 : r;
}

int kexec_lockdown(char *mode, size_t len)
{
	char buf[128], *open_br, *close_br;
	int r = kexec_read_text("/sys/kernel/security/lockdown", buf, sizeof(buf));

	if (r)
		return r;
	open_br = strchr(buf, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (!close_br)
		return -EINVAL;
	*close_br = 0;
	snprintf(mode, len, "%s", open_br + 1);
	return 0;
}

void kexec_classify(int err, struct kexec_failure *f)
{
	char mode[32];

	switch (err) {
	case EKEYREJECTED:
	case EBADMSG:
	case ENOKEY:
		f->what = "signature rejected";
		f->hint = "the kernel requires a validly signed image (secure boot or"
			  " lockdown); use a signed kernel";
		return;
	case EPERM:
		if (kexec_is_disabled() == 1) {
			f->what = "kexec disabled";
			f->hint = "/proc/sys/kernel/kexec_load_disabled is 1 and stays so"
				  " until the next boot";
			return;
		}
		if (!kexec_lockdown(mode, sizeof(mode)) && strcmp(mode, "none")) {
			f->what = "signature rejected";
			f->hint = "kernel lockdown is active and the image is not signed by"
				  " a trusted key";
			return;
		}
		f->what = "permission denied";
		f->hint = "loading a kernel needs CAP_SYS_BOOT (run as root)";
		return;
	case ENOSYS:
		f->what = "no kexec_file_load in this kernel";
		f->hint = "the running kernel was built without CONFIG_KEXEC_FILE";
		return;
	case ENOEXEC:
		f->what = "image not accepted";
		f->hint = "the kernel found no loader for this image (not an x86-64"
			  " bzImage it can boot)";
		return;
	case ENOMEM:
	case EADDRNOTAVAIL:
		f->what = "out of memory";
		f->hint = "no room for the kernel and initrd; free memory or use a"
			  " smaller initrd";
		return;
	case EBUSY:
		f->what = "busy";
		f->hint = "another kexec load or unload is in progress";
		return;
	case EINVAL:
		f->what = "invalid arguments";
		f->hint = "the kernel rejected the command line or the image layout";
		return;
	default:
		f->what = "kexec_file_load failed";
		f->hint = NULL;
		return;
	}
}

static void record_dir(char *dir, size_t len)
{
	snprintf(dir, len, "%s/run/warmboot", sys_root());
}

int kexec_record_write(const struct kexec_record *rec)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], tmp[PATH_MAX + 16];
	FILE *f;
	int r = 0;

	record_dir(dir, sizeof(dir));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/kexec", dir);
	snprintf(tmp, sizeof(tmp), "%s/.kexec.tmp", dir);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "kernel=%s\ninitrd=%s\nrelease=%s\ncmdline=%s\nloaded_at=%lld\n",
		rec->kernel, rec->initrd, rec->release, rec->cmdline, rec->loaded_at);
	if (fflush(f) || ferror(f))
		r = -EIO;
	if (fclose(f) && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

int kexec_record_read(struct kexec_record *rec)
{
	char path[PATH_MAX + 16], line[PATH_MAX + 4200];
	FILE *f;

	memset(rec, 0, sizeof(*rec));
	snprintf(path, sizeof(path), "%s" KEXEC_RECORD_PATH, sys_root());
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		size_t n = strcspn(line, "\n");

		line[n] = 0;
		if (!eq)
			continue;
		*eq++ = 0;
		if (!strcmp(line, "kernel"))
			snprintf(rec->kernel, sizeof(rec->kernel), "%s", eq);
		else if (!strcmp(line, "initrd"))
			snprintf(rec->initrd, sizeof(rec->initrd), "%s", eq);
		else if (!strcmp(line, "release"))
			snprintf(rec->release, sizeof(rec->release), "%s", eq);
		else if (!strcmp(line, "cmdline"))
			snprintf(rec->cmdline, sizeof(rec->cmdline), "%s", eq);
		else if (!strcmp(line, "loaded_at"))
			rec->loaded_at = strtoll(eq, NULL, 10);
	}
	fclose(f);
	return 0;
}

int kexec_record_remove(void)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s" KEXEC_RECORD_PATH, sys_root());
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
