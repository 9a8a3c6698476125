/* kexec state in /sys, /proc and /run. */
#include "kexec/state.h"
#include "lib/file.h"
#include "lib/text.h"
#include "sys/sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* A small state file: path under sys_root(). */
static int read_state(const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", sys_root(), path);
	return read_text(full, buf, len);
}

static int read_flag(const char *path)
{
	char buf[16];
	int r = read_state(path, buf, sizeof(buf));

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

#define SECURITYFS "/sys/kernel/security"

/* Whether securityfs is mounted on SECURITYFS (/proc/self/mountinfo: the
 * mount point is word 5, the type follows "-"): 1, 0, or -errno when that
 * cannot be told. */
static int securityfs_mounted(void)
{
	char path[PATH_MAX], *text, *line, *save, *w[12];
	size_t len;
	int r, n, i;

	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", sys_root());
	if ((r = read_file(path, 1 << 20, &text, &len)))
		return r;
	for (line = strtok_r(text, "\n", &save); line && !r; line = strtok_r(NULL, "\n", &save)) {
		n = split_words(line, w, 12);
		for (i = 5; i + 1 < n && strcmp(w[i], "-"); i++)
			;
		r = i + 1 < n && !strcmp(w[4], SECURITYFS) && !strcmp(w[i + 1], "securityfs");
	}
	free(text);
	return r;
}

static int read_lockdown(char *mode, size_t len)
{
	char buf[128], *open_br, *close_br;
	int r = read_state(SECURITYFS "/lockdown", buf, sizeof(buf));

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

/* The initramfs mounts no securityfs: mount it for the read and unmount it
 * again, leaving things as found. Where mountinfo is unreadable, read
 * what is there. */
int kexec_lockdown(char *mode, size_t len)
{
	int mounted = securityfs_mounted(), r;

	if (!mounted && (r = sys_mount("securityfs", SECURITYFS, "securityfs",
				       MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)))
		return r;
	r = read_lockdown(mode, len);
	if (!mounted)
		sys_umount(SECURITYFS, 0);
	return r;
}

/* The active lockdown mode into f->lockdown, "" without lockdown. */
static void note_lockdown(struct kexec_failure *f)
{
	if (kexec_lockdown(f->lockdown, sizeof(f->lockdown)) || !strcmp(f->lockdown, "none"))
		f->lockdown[0] = 0;
}

void kexec_classify(int err, struct kexec_failure *f)
{
	f->lockdown[0] = 0;
	switch (err) {
	case ENODATA:	/* enforced (Secure Boot's IMA arch policy): no signature */
	case EKEYREJECTED:
	case EBADMSG:
	case ENOKEY:
		f->what = "signature rejected";
		f->hint = "the kernel requires a validly signed image (secure boot or"
			  " lockdown); use a signed kernel";
		note_lockdown(f);
		return;
	case EPERM:
		if (kexec_is_disabled() == 1) {
			f->what = "kexec disabled";
			f->hint = "/proc/sys/kernel/kexec_load_disabled is 1 and stays so"
				  " until the next boot";
			return;
		}
		note_lockdown(f);
		if (f->lockdown[0]) {
			f->what = "signature rejected by kernel lockdown";
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
	int r;

	record_dir(dir, sizeof(dir));
	r = sys_mkdir(dir, 0755);
	if (r && r != -EEXIST)
		return r;
	r = 0;
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
	if (!r)
		r = sys_rename(tmp, path);
	if (r)
		sys_unlink(tmp);
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
	int r;

	snprintf(path, sizeof(path), "%s" KEXEC_RECORD_PATH, sys_root());
	r = sys_unlink(path);
	return r == -ENOENT ? 0 : r;
}
