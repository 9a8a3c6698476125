/* Pre-kexec checks. Reads state under sys_root(); never prints. */
#include "kexec/check.h"
#include "kexec/cmdline.h"
#include "kexec/initrd.h"
#include "kexec/keyring.h"
#include "kexec/state.h"
#include "md/personality.h"
#include "sys/sys.h"
#include "lib/text.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NEEDED 32

const char *finding_level_name(enum finding_level l)
{
	static const char *const names[] = { "ok", "warning", "fatal" };

	return names[l];
}

static void add(struct kexec_findings *fs, enum finding_level level, const char *check,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void add(struct kexec_findings *fs, enum finding_level level, const char *check,
		const char *fmt, ...)
{
	struct finding *f = array_push(fs);
	va_list ap;

	if (!f)
		return;
	f->level = level;
	snprintf(f->check, sizeof(f->check), "%s", check);
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

int kexec_findings_fatal(const struct kexec_findings *fs)
{
	size_t i;
	int n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->v[i].level == FINDING_FATAL;
	return n;
}

void kexec_findings_free(struct kexec_findings *fs)
{
	array_free(fs);
	memset(fs, 0, sizeof(*fs));
}

/* What the running system needs in the next initrd. */
struct needs {
	char modules[MAX_NEEDED][64];
	int nmodules;
	int arrays;
};

static void need(struct needs *n, const char *mod)
{
	int i;

	for (i = 0; i < n->nmodules; i++)
		if (!strcmp(n->modules[i], mod))
			return;
	if (n->nmodules < MAX_NEEDED)
		snprintf(n->modules[n->nmodules++], sizeof(n->modules[0]), "%s", mod);
}

/* The kernel modules of the devices below a block device: each sysfs device
 * directory upwards whose driver has a module. */
static void need_drivers_of(struct needs *n, const char *sysblock)
{
	char dev[PATH_MAX], link[PATH_MAX + 32], target[PATH_MAX], top[PATH_MAX];
	struct stat st;
	size_t toplen;
	char *slash;

	snprintf(top, sizeof(top), "%s/sys/devices/", sys_root());
	if (!realpath(sysblock, dev))
		return;
	snprintf(link, sizeof(link), "%s/partition", dev);
	if (!stat(link, &st) && (slash = strrchr(dev, '/')))
		*slash = 0;
	snprintf(link, sizeof(link), "%s/device", dev);
	if (!realpath(link, dev))
		return;
	/* realpath of the root itself, so the prefix test holds in fixtures */
	snprintf(link, sizeof(link), "%s/sys/devices", sys_root());
	if (realpath(link, top))
		strcat(top, "/");
	toplen = strlen(top);
	while (!strncmp(dev, top, toplen) && strlen(dev) > toplen) {
		ssize_t len;

		snprintf(link, sizeof(link), "%s/driver/module", dev);
		len = readlink(link, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = 0;
			slash = strrchr(target, '/');
			need(n, slash ? slash + 1 : target);
		}
		slash = strrchr(dev, '/');
		if (!slash)
			break;
		*slash = 0;
	}
}

/* An mdstat array line "md0 : active [(auto-read-only)] raid1 sda1[0] ...":
 * 1 with its name, and *level its level word or NULL (an inactive array
 * has none); 0 for other lines. */
static int mdstat_array(char *line, char *name, size_t len, const char **level)
{
	char *w[5];
	int n = split_words(line, w, 5);

	if (n < 4 || strncmp(w[0], "md", 2) || strcmp(w[1], ":"))
		return 0;
	snprintf(name, len, "%s", w[0]);
	if (strcmp(w[2], "active"))
		*level = NULL;
	else if (w[3][0] == '(')
		*level = n == 5 ? w[4] : NULL;
	else
		*level = w[3];
	return 1;
}

static void find_needs(struct needs *n)
{
	char path[PATH_MAX], line[1024];
	struct dirent *d;
	DIR *dh;
	FILE *f;

	memset(n, 0, sizeof(*n));
	snprintf(path, sizeof(path), "%s/proc/mdstat", sys_root());
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		const char *level, *mod;
		char name[64];

		if (!mdstat_array(line, name, sizeof(name), &level))
			continue;
		n->arrays++;
		if (level && (mod = md_personality_module(level)))
			need(n, mod);
	}
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/sys/block", sys_root());
	dh = opendir(path);
	while (dh && (d = readdir(dh))) {
		char slaves[PATH_MAX + 300], slave[PATH_MAX + 600];
		struct dirent *s;
		DIR *sh;

		if (strncmp(d->d_name, "md", 2))
			continue;
		snprintf(slaves, sizeof(slaves), "%s/%s/slaves", path, d->d_name);
		sh = opendir(slaves);
		while (sh && (s = readdir(sh))) {
			if (s->d_name[0] == '.')
				continue;
			snprintf(slave, sizeof(slave), "%s/%s", slaves, s->d_name);
			need_drivers_of(n, slave);
		}
		if (sh)
			closedir(sh);
	}
	if (dh)
		closedir(dh);
}

/* What the initrd holds. */
struct content {
	const char *release;
	int itools;		/* conf/initramfs.conf or scripts/init-top: initramfs-tools */
	int modules_dir;	/* lib/modules/RELEASE */
	char other_release[128];
	int warmboot, mdadm, mdadm_conf;
	struct needs *needs;
	unsigned have;		/* bit per needs->modules */
	char *builtin;		/* modules.builtin of RELEASE */
};

static int visit(void *ctx, const struct cpio_entry *e)
{
	struct content *c = ctx;
	const char *n = e->name, *rest;
	size_t rl = strlen(c->release);
	int i;

	if (!strncmp(n, "usr/", 4) && (!strncmp(n + 4, "lib/", 4) || !strncmp(n + 4, "sbin/", 5) ||
				       !strncmp(n + 4, "bin/", 4)))
		n += 4;
	if (!strcmp(n, "conf/initramfs.conf") || !strncmp(n, "scripts/init-top", 16))
		c->itools = 1;
	else if (!strcmp(n, "sbin/warmboot") || !strcmp(n, "bin/warmboot"))
		c->warmboot = 1;
	else if (!strcmp(n, "sbin/mdadm"))
		c->mdadm = 1;
	else if (!strcmp(n, "etc/mdadm/mdadm.conf") || !strcmp(n, "etc/mdadm.conf"))
		c->mdadm_conf = 1;
	if (strncmp(n, "lib/modules/", 12))
		return 0;
	rest = n + 12;
	if (strncmp(rest, c->release, rl) || (rest[rl] && rest[rl] != '/')) {
		size_t l = strcspn(rest, "/");
		if (!c->other_release[0] && l && l < sizeof(c->other_release))
			memcpy(c->other_release, rest, l), c->other_release[l] = 0;
		return 0;
	}
	c->modules_dir = 1;
	rest += rl;
	if (!strcmp(rest, "/modules.builtin")) {
		if (!e->data)
			return CPIO_WANT_DATA;
		free(c->builtin);
		c->builtin = strndup((const char *)e->data, e->size);
		return 0;
	}
	for (i = 0; i < c->needs->nmodules; i++)
		if (md_module_listed(rest, c->needs->modules[i]))
			c->have |= 1u << i;
	return 0;
}

static uint64_t meminfo(const char *key)
{
	char path[PATH_MAX], line[256];
	uint64_t kb = 0;
	size_t kl = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/meminfo", sys_root());
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			kb = strtoull(line + kl + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kb * 1024;
}

static void check_kernel(const struct kexec_check_input *in, struct bzimage *bz,
			 struct kexec_findings *fs, int *ok)
{
	const char *why;
	int r;

	*ok = 0;
	if (in->bz) {
		*bz = *in->bz;
	} else if ((r = bzimage_read(in->kernel, bz, &why))) {
		if (r == -ENOEXEC)
			add(fs, FINDING_FATAL, "kernel", "%s: %s", in->kernel, why);
		else
			add(fs, FINDING_FATAL, "kernel", "%s: %s", in->kernel, strerror(-r));
		return;
	}
	*ok = 1;
	snprintf(fs->release, sizeof(fs->release), "%s", bz->release);
	add(fs, FINDING_OK, "kernel", "%s: bzImage, boot protocol %u.%02u, 64-bit, relocatable,"
	    " %s payload, Linux %s%s", in->kernel, bz->protocol >> 8, bz->protocol & 0xff,
	    bz->payload_format, bz->release[0] ? bz->release : "(no version string)",
	    bz->pe_cert_size ? ", signed" : "");
	if (!bz->release[0])
		add(fs, FINDING_WARN, "kernel", "no kernel version string: cannot match the"
		    " initrd's modules");
}

static void check_initrd_content(const struct content *c, struct kexec_findings *fs)
{
	enum finding_level miss = c->itools ? FINDING_FATAL : FINDING_WARN;
	const char *kind = c->itools ? "" : " (not an initramfs-tools image)";
	int i;

	if (!c->release[0])
		return;
	if (c->modules_dir)
		add(fs, FINDING_OK, "modules", "initrd holds /lib/modules/%s", c->release);
	else if (c->other_release[0])
		add(fs, miss, "modules", "initrd holds modules for %s, the kernel is %s%s",
		    c->other_release, c->release, kind);
	else
		add(fs, miss == FINDING_FATAL ? FINDING_WARN : miss, "modules",
		    "initrd holds no /lib/modules/%s%s", c->release, kind);
	for (i = 0; i < c->needs->nmodules; i++) {
		const char *m = c->needs->modules[i];
		if (c->have & (1u << i))
			add(fs, FINDING_OK, "drivers", "initrd holds %s, needed by the running"
			    " arrays", m);
		else if (c->builtin && md_module_listed(c->builtin, m))
			add(fs, FINDING_OK, "drivers", "%s is built into the kernel", m);
		else
			add(fs, miss, "drivers", "initrd lacks %s, needed by the running"
			    " arrays%s", m, kind);
	}
	if (!c->needs->arrays)
		return;
	if (!c->warmboot && !c->mdadm)
		add(fs, miss, "md", "initrd holds neither warmboot nor mdadm to assemble the"
		    " running arrays%s", kind);
	else if (!c->mdadm_conf)
		add(fs, FINDING_WARN, "md", "initrd holds %s but no mdadm.conf",
		    c->warmboot ? "warmboot" : "mdadm");
	else
		add(fs, FINDING_OK, "md", "initrd holds %s and mdadm.conf",
		    c->warmboot ? "warmboot" : "mdadm");
}

static void check_initrds(const struct kexec_check_input *in, const struct bzimage *bz,
			  uint64_t limit, struct kexec_findings *fs)
{
	struct needs needs;
	struct content c;
	int i;

	if (!in->ninitrd) {
		add(fs, FINDING_WARN, "initrd", "no initrd: the kernel must find its root"
		    " file system alone");
		return;
	}
	find_needs(&needs);
	memset(&c, 0, sizeof(c));
	c.release = bz ? bz->release : "";
	c.needs = &needs;
	for (i = 0; i < in->ninitrd; i++) {
		struct initrd_info info;
		const char *why;
		char parts[256] = "";
		size_t o = 0;
		int r = initrd_scan(in->initrds[i], limit, visit, &c, &info, &why), p;

		for (p = 0; p < info.nparts && o < sizeof(parts); p++)
			o += (size_t)snprintf(parts + o, sizeof(parts) - o, "%s%s (%llu files)",
					      p ? " + " : "", info.parts[p].format,
					      (unsigned long long)info.parts[p].files);
		fs->initrd_size += info.file_size;
		fs->unpacked += info.unpacked;
		if (r == -EFBIG && info.declared)
			add(fs, FINDING_FATAL, "initrd", "%s: %s (%llu bytes declared, limit %llu)",
			    in->initrds[i], why, (unsigned long long)info.declared,
			    (unsigned long long)limit);
		else if (r == -ENOTSUP)
			add(fs, FINDING_WARN, "initrd", "%s: %s part at offset %llu: %s",
			    in->initrds[i], info.parts[info.nparts - 1].format,
			    (unsigned long long)info.parts[info.nparts - 1].offset, why);
		else if (r && why)
			add(fs, FINDING_FATAL, "initrd", "%s: %s (after %s)", in->initrds[i], why,
			    parts[0] ? parts : "nothing");
		else if (r)
			add(fs, FINDING_FATAL, "initrd", "%s: %s", in->initrds[i], strerror(-r));
		else
			add(fs, FINDING_OK, "initrd", "%s: %s, %llu bytes unpacked", in->initrds[i],
			    parts, (unsigned long long)info.unpacked);
		if (r && r != -ENOTSUP) {
			free(c.builtin);
			return;
		}
	}
	check_initrd_content(&c, fs);
	free(c.builtin);
}

/* Running arrays whose personality the target kernel's module tree
 * (sys_root()/lib/modules/RELEASE) lacks: Linux 6.8 to 6.13 have no
 * linear, 6.8 on no multipath or faulty. No tree: nothing to say. */
static void check_target_personalities(const char *release, struct kexec_findings *fs)
{
	char path[PATH_MAX], line[1024], name[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/mdstat", sys_root());
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		const char *level = NULL, *mod;

		if (!mdstat_array(line, name, sizeof(name), &level) || !level)
			continue;
		mod = md_personality_module(level);
		if (mod && md_module_in_tree(sys_root(), release, mod) == 0)
			add(fs, FINDING_WARN, "md", "%s (%s) would not start under %s: its"
			    " module tree has no %s personality (no %s in modules.dep or"
			    " modules.builtin)", name, level, release, level, mod);
	}
	if (f)
		fclose(f);
}

/* root=UUID=..., LABEL=, PARTUUID=, PARTLABEL=, /dev/... */
static void check_root(const char *cmdline, struct kexec_findings *fs)
{
	static const char *const tags[][2] = {
		{ "UUID=", "/dev/disk/by-uuid/" }, { "LABEL=", "/dev/disk/by-label/" },
		{ "PARTUUID=", "/dev/disk/by-partuuid/" },
		{ "PARTLABEL=", "/dev/disk/by-partlabel/" },
	};
	char root[512] = "", path[PATH_MAX];
	const char *s = cmdline, *w;
	struct stat st;
	size_t len, i;

	while ((w = cmdline_next(&s, &len)))
		if (len > 5 && !strncmp(w, "root=", 5) && len - 5 < sizeof(root)) {
			memcpy(root, w + 5, len - 5);
			root[len - 5] = 0;
		}
	if (!root[0]) {
		add(fs, FINDING_WARN, "root", "no root= on the command line (fine for rescue"
		    " and chain images)");
		return;
	}
	path[0] = 0;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (!strncmp(root, tags[i][0], strlen(tags[i][0])))
			snprintf(path, sizeof(path), "%s%s%s", sys_root(), tags[i][1],
				 root + strlen(tags[i][0]));
	if (!path[0] && root[0] == '/')
		snprintf(path, sizeof(path), "%s%s", sys_root(), root);
	if (!path[0])
		add(fs, FINDING_WARN, "root", "root=%s: a form warmboot cannot verify", root);
	else if (stat(path, &st))
		add(fs, FINDING_FATAL, "root", "root=%s names nothing on this system", root);
	else
		add(fs, FINDING_OK, "root", "root=%s exists", root);
}

/* Under lockdown, the verdict on the image's signature: fatal when the
 * kernel will refuse it, a warning when it cannot be told. */
static void check_allowed(const char *kernel, int have_bz, struct kexec_findings *fs)
{
	static const enum finding_level level[] = {
		[LOCKDOWN_TRUSTED] = FINDING_OK, [LOCKDOWN_REFUSED] = FINDING_FATAL,
		[LOCKDOWN_UNKNOWN] = FINDING_WARN,
	};
	char mode[32], text[sizeof(((struct finding *)0)->text)];

	if (kexec_is_disabled() == 1)
		add(fs, FINDING_FATAL, "kexec", "kexec is disabled"
		    " (/proc/sys/kernel/kexec_load_disabled = 1) until the next boot");
	else if (kexec_lockdown(mode, sizeof(mode)) || !strcmp(mode, "none"))
		add(fs, FINDING_OK, "kexec", "kexec is allowed");
	else if (!have_bz)
		add(fs, FINDING_WARN, "kexec", "kernel lockdown (%s): the kernel's"
		    " signature must be trusted by this system", mode);
	else
		add(fs, level[lockdown_judge(kernel, mode, text, sizeof(text))], "kexec", "%s", text);
}

void kexec_check_run(const struct kexec_check_input *in, struct kexec_findings *fs)
{
	struct bzimage bz;
	uint64_t avail = meminfo("MemAvailable"), total = meminfo("MemTotal");
	uint64_t limit = in->unpack_limit ? in->unpack_limit
					  : total ? total : (uint64_t)4 << 30;
	uint64_t need;
	int have_bz;

	memset(fs, 0, sizeof(*fs));
	check_kernel(in, &bz, fs, &have_bz);
	check_initrds(in, have_bz ? &bz : NULL, limit, fs);
	if (have_bz && bz.release[0])
		check_target_personalities(bz.release, fs);
	if (have_bz) {
		size_t len = strlen(in->cmdline);
		if (len > bz.cmdline_size)
			add(fs, FINDING_FATAL, "cmdline", "command line of %zu bytes, the kernel"
			    " takes at most %u", len, bz.cmdline_size);
		else
			add(fs, FINDING_OK, "cmdline", "command line of %zu bytes (limit %u)",
			    len, bz.cmdline_size);
	}
	check_root(in->cmdline, fs);
	check_allowed(in->kernel, have_bz, fs);
	if (!have_bz || !avail)
		return;
	need = bz.init_size + bz.file_size + fs->initrd_size;
	if (need > avail)
		add(fs, FINDING_FATAL, "memory", "loading needs %llu MiB, %llu MiB available",
		    (unsigned long long)(need >> 20), (unsigned long long)(avail >> 20));
	else
		add(fs, FINDING_OK, "memory", "loading needs %llu MiB, %llu MiB available",
		    (unsigned long long)(need >> 20), (unsigned long long)(avail >> 20));
	if (total && fs->unpacked + bz.init_size > total)
		add(fs, FINDING_FATAL, "memory", "the initrd unpacks to %llu MiB, more than"
		    " the %llu MiB of memory", (unsigned long long)(fs->unpacked >> 20),
		    (unsigned long long)(total >> 20));
}
