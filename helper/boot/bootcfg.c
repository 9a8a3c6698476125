/* The entry list: Debian kernels and their symlinks, and the files of the
 * boot loaders (grub.cfg and grubenv, BLS entries) read for their parsers. */
#include "boot/bootcfg.h"
#include "boot/bls.h"
#include "boot/grub.h"
#include "lib/debver.h"
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *boot_source_name(enum boot_source s)
{
	static const char *const names[] = { "debian", "symlink", "grub", "bls" };

	return names[s];
}

/* grub.cfg and grubenv are read whole up to this size; larger ones are
 * not grub-mkconfig's. */
#define GRUB_FILE_MAX (16u << 20)
/* BLS entries of 16 KiB or more are skipped. */
#define BLS_FILE_MAX (16384u - 1)

static struct boot_entry *add_entry(struct boot_list *l, enum boot_source source)
{
	struct boot_entry *e = array_push(l);

	if (e)
		e->source = source;
	return e;
}

void bootcfg_free(struct boot_list *l)
{
	array_free(l);
}

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* VERSION from ".../vmlinuz-VERSION", "" if the name has no version. */
static void version_of(const char *kernel, char *out, size_t len)
{
	const char *base = strrchr(kernel, '/');
	const char *dash;

	base = base ? base + 1 : kernel;
	dash = strchr(base, '-');
	if (!strncmp(base, "vmlinu", 6) && dash)
		snprintf(out, len, "%s", dash + 1);
	else
		snprintf(out, len, "%s", "");
}

/* A boot loader path: under base (the partition of loader/entries) when
 * that has it; else under root, or root/boot when /boot is a separate file
 * system (the path is relative to it). */
static void resolve_path(const struct boot_list *l, const char *base, const char *path,
			 char *out, size_t len)
{
	char boot[PATH_MAX + 8];

	/* "(hd0,gpt2)/vmlinuz" and "($root)/vmlinuz": the device is ours */
	if (path[0] == '(' && strchr(path, ')'))
		path = strchr(path, ')') + 1;
	if (base) {
		snprintf(out, len, "%s%s%s", base, path[0] == '/' ? "" : "/", path);
		if (is_file(out))
			return;
	}
	snprintf(out, len, "%s%s%s", l->root, path[0] == '/' ? "" : "/", path);
	if (is_file(out) || !strncmp(path, "/boot/", 6))
		return;
	snprintf(boot, sizeof(boot), "%s/boot%s%s", l->root, path[0] == '/' ? "" : "/", path);
	if (is_file(boot))
		snprintf(out, len, "%s", boot);
}

static void add_initrd_for(struct boot_list *l, struct boot_entry *e)
{
	char p[PATH_MAX + 160];

	if (!e->version[0])
		return;
	snprintf(p, sizeof(p), "%s/boot/initrd.img-%s", l->root, e->version);
	if (is_file(p) && strlen(p) < sizeof(e->initrd[0])) {
		strcpy(e->initrd[0], p);
		e->ninitrd = 1;
	}
}

/* initrd.img-VERSION in the kernel's own directory. */
static void sibling_initrd(struct boot_entry *e)
{
	char p[PATH_MAX + 160];
	const char *slash = strrchr(e->kernel, '/');

	if (!e->version[0] || !slash)
		return;
	snprintf(p, sizeof(p), "%.*s/initrd.img-%s", (int)(slash - e->kernel), e->kernel,
		 e->version);
	if (is_file(p) && strlen(p) < sizeof(e->initrd[0])) {
		strcpy(e->initrd[0], p);
		e->ninitrd = 1;
	}
}

static int scan_debian(struct boot_list *l)
{
	char dir[PATH_MAX], p[PATH_MAX + 300];
	struct dirent *d;
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s/boot", l->root);
	dh = opendir(dir);
	if (!dh)
		return 0;
	while ((d = readdir(dh))) {
		struct boot_entry *e;
		struct stat st;

		if (strncmp(d->d_name, "vmlinuz-", 8) || !d->d_name[8])
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		if (lstat(p, &st) || !S_ISREG(st.st_mode) || strlen(p) >= PATH_MAX)
			continue;
		e = add_entry(l, BOOT_DEBIAN);
		if (!e) {
			closedir(dh);
			return -ENOMEM;
		}
		strcpy(e->kernel, p);
		strcpy(e->origin, p);
		snprintf(e->version, sizeof(e->version), "%s", d->d_name + 8);
		snprintf(e->title, sizeof(e->title), "Debian kernel %s", e->version);
		add_initrd_for(l, e);
	}
	closedir(dh);
	return 0;
}

/* Resolve a symlink under root (absolute targets are relative to root). */
static int resolve_link(const struct boot_list *l, const char *link, char *out, size_t len)
{
	char target[PATH_MAX], dir[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	target[n] = 0;
	if (target[0] == '/') {
		snprintf(out, len, "%s%s", l->root, target);
	} else {
		snprintf(dir, sizeof(dir), "%s", link);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = 0;
		snprintf(out, len, "%s/%s", dir, target);
	}
	return is_file(out) ? 0 : -ENOENT;
}

static int scan_symlinks(struct boot_list *l)
{
	static const char *const links[][2] = {
		{ "/vmlinuz", "/initrd.img" },
		{ "/vmlinuz.old", "/initrd.img.old" },
		{ "/boot/vmlinuz", "/boot/initrd.img" },
		{ "/boot/vmlinuz.old", "/boot/initrd.img.old" },
	};
	char link[PATH_MAX + 32], kernel[PATH_MAX], initrd[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct boot_entry *e;
		struct stat st;

		snprintf(link, sizeof(link), "%s%s", l->root, links[i][0]);
		if (lstat(link, &st) || !S_ISLNK(st.st_mode) ||
		    resolve_link(l, link, kernel, sizeof(kernel)))
			continue;
		e = add_entry(l, BOOT_SYMLINK);
		if (!e)
			return -ENOMEM;
		snprintf(e->origin, sizeof(e->origin), "%s", link);
		snprintf(e->kernel, sizeof(e->kernel), "%s", kernel);
		snprintf(e->title, sizeof(e->title), "%s", links[i][0]);
		snprintf(e->id, sizeof(e->id), "%s", links[i][0]);
		version_of(kernel, e->version, sizeof(e->version));
		snprintf(link, sizeof(link), "%s%s", l->root, links[i][1]);
		if (!resolve_link(l, link, initrd, sizeof(initrd))) {
			snprintf(e->initrd[0], sizeof(e->initrd[0]), "%s", initrd);
			e->ninitrd = 1;
		} else {
			add_initrd_for(l, e);
		}
	}
	return 0;
}

/* The default entry of grub.cfg, whose paths are on the boot partition. */
static int add_grub_entry(struct boot_list *l, const char *cfg, const struct grub_item *it)
{
	struct boot_entry *e = add_entry(l, BOOT_GRUB);
	int i;

	if (!e)
		return -ENOMEM;
	e->is_default = 1;
	snprintf(e->origin, sizeof(e->origin), "%s", cfg);
	snprintf(e->title, sizeof(e->title), "%s", it->title);
	snprintf(e->id, sizeof(e->id), "%s", it->id);
	snprintf(e->cmdline, sizeof(e->cmdline), "%s", it->cmdline);
	resolve_path(l, NULL, it->linux_path, e->kernel, sizeof(e->kernel));
	version_of(e->kernel, e->version, sizeof(e->version));
	for (i = 0; i < it->ninitrd && i < BOOT_MAX_INITRDS; i++)
		resolve_path(l, NULL, it->initrd[i], e->initrd[e->ninitrd++],
			     sizeof(e->initrd[0]));
	return 0;
}

/* next_entry and saved_entry of grubenv: "" when there is none. */
static void read_grubenv(const struct boot_list *l, char *next, char *saved, size_t len)
{
	char path[PATH_MAX + 32], *env = NULL;
	size_t envlen = 0;

	snprintf(path, sizeof(path), "%s/boot/grub/grubenv", l->root);
	if (read_file(path, GRUB_FILE_MAX, &env, &envlen))
		env = NULL, envlen = 0;
	grubenv_get(env ? env : "", envlen, "next_entry", next, len);
	grubenv_get(env ? env : "", envlen, "saved_entry", saved, len);
	free(env);
}

static int scan_grub(struct boot_list *l)
{
	char cfg[PATH_MAX + 32], next[512], saved[512], *text;
	struct grub_menu m;
	const char *spec;
	size_t len;
	int at, r;

	snprintf(cfg, sizeof(cfg), "%s/boot/grub/grub.cfg", l->root);
	if (read_file(cfg, GRUB_FILE_MAX, &text, &len))
		return 0;
	r = grub_parse(text, len, &m);
	free(text);
	if (r)
		return r;
	read_grubenv(l, next, saved, sizeof(next));
	at = grub_default(&m, next, saved, &spec);
	if (at >= 0 && m.items.v[at].linux_path[0])
		r = add_grub_entry(l, cfg, &m.items.v[at]);
	grub_menu_free(&m);
	return r;
}

/* A BLS entry NAME.conf (name without .conf) at path, under base. */
static int add_bls_entry(struct boot_list *l, const char *base, const char *path,
			 const char *name, size_t namelen, const struct bls_entry *b)
{
	struct boot_entry *e = add_entry(l, BOOT_BLS);
	int i;

	if (!e)
		return -ENOMEM;
	snprintf(e->origin, sizeof(e->origin), "%s", path);
	snprintf(e->title, sizeof(e->title), "%s", b->title);
	snprintf(e->id, sizeof(e->id), "%.*s", (int)namelen, name);
	snprintf(e->cmdline, sizeof(e->cmdline), "%s", b->options);
	resolve_path(l, base, b->linux_path, e->kernel, sizeof(e->kernel));
	if (b->version[0])
		snprintf(e->version, sizeof(e->version), "%s", b->version);
	else
		version_of(e->kernel, e->version, sizeof(e->version));
	for (i = 0; i < b->ninitrd && i < BOOT_MAX_INITRDS; i++)
		resolve_path(l, base, b->initrd[i], e->initrd[e->ninitrd++],
			     sizeof(e->initrd[0]));
	return 0;
}

/* 0 with the entry in *b, or -errno: unreadable, too long or no kernel. */
static int read_bls(const char *path, struct bls_entry *b)
{
	char *text;
	size_t len;
	int r = read_file(path, BLS_FILE_MAX, &text, &len);

	if (r)
		return r;
	r = bls_parse(text, len, b);
	free(text);
	return r;
}

static int scan_bls_dir(struct boot_list *l, const char *base)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct bls_entry *b;
	struct dirent *d;
	DIR *dh;
	int r = 0;

	snprintf(dir, sizeof(dir), "%s/loader/entries", base);
	dh = opendir(dir);
	if (!dh)
		return 0;
	b = malloc(sizeof(*b));
	if (!b) {
		closedir(dh);
		return -ENOMEM;
	}
	while (!r && (d = readdir(dh))) {
		size_t n = strlen(d->d_name);

		if (n < 6 || strcmp(d->d_name + n - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (!read_bls(path, b))
			r = add_bls_entry(l, base, path, d->d_name, n - 5, b);
	}
	free(b);
	closedir(dh);
	return r;
}

static int scan_bls(struct boot_list *l)
{
	static const char *const bases[] = { "/boot", "/efi", "/boot/efi" };
	char base[PATH_MAX];
	size_t i;
	int r;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		snprintf(base, sizeof(base), "%s%s", l->root, bases[i]);
		if ((r = scan_bls_dir(l, base)))
			return r;
	}
	return 0;
}

static int entry_order(const void *pa, const void *pb)
{
	const struct boot_entry *a = pa, *b = pb;
	int r = debver_cmp(b->version, a->version);

	if (r)
		return r;
	if (a->source != b->source)
		return (int)a->source - (int)b->source;
	return strcmp(a->kernel, b->kernel);
}

int bootcfg_scan(const char *root, struct boot_list *l)
{
	int r;

	memset(l, 0, sizeof(*l));
	if (root && strcmp(root, "/"))
		snprintf(l->root, sizeof(l->root), "%s", root);
	if ((r = scan_debian(l)) || (r = scan_symlinks(l)) || (r = scan_grub(l)) ||
	    (r = scan_bls(l))) {
		bootcfg_free(l);
		return r;
	}
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), entry_order);
	return 0;
}

static const struct boot_entry *find_default(const struct boot_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].is_default && l->v[i].source == BOOT_GRUB)
			return &l->v[i];
	for (i = 0; i < l->n; i++)
		if (l->v[i].is_default)
			return &l->v[i];
	for (i = 0; i < l->n; i++)
		if (l->v[i].source == BOOT_SYMLINK && !strcmp(l->v[i].id, "/vmlinuz"))
			return &l->v[i];
	return NULL;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int bootcfg_choose(const struct boot_list *l, const char *spec,
		   struct boot_entry *out, const char **why)
{
	const struct boot_entry *e = NULL;
	size_t i;

	*why = NULL;
	if (!strcmp(spec, "default")) {
		e = find_default(l);
		if (!e)
			*why = "no boot loader default entry and no /vmlinuz symlink";
	} else if (!strcmp(spec, "latest")) {
		for (i = 0; i < l->n && !e; i++)
			if (l->v[i].version[0])
				e = &l->v[i];
		if (!e)
			*why = "no versioned kernel found";
	} else if (!strchr(spec, '/')) {
		for (i = 0; i < l->n && !e; i++)
			if (!strcmp(l->v[i].version, spec))
				e = &l->v[i];
		if (!e)
			*why = "no kernel of this version";
	} else {
		for (i = 0; i < l->n && !e; i++)
			if (same_file(l->v[i].kernel, spec))
				e = &l->v[i];
		if (!e) {
			if (!is_file(spec)) {
				*why = "no such kernel file";
				return -ENOENT;
			}
			memset(out, 0, sizeof(*out));
			out->source = BOOT_DEBIAN;
			snprintf(out->kernel, sizeof(out->kernel), "%s", spec);
			snprintf(out->origin, sizeof(out->origin), "%s", spec);
			version_of(spec, out->version, sizeof(out->version));
			sibling_initrd(out);
			return 0;
		}
	}
	if (!e)
		return -ENOENT;
	*out = *e;
	return 0;
}

int bootcfg_find(const char *root, const char *spec, const char *initrd,
		 struct boot_entry *out, const char **why)
{
	struct boot_list l;
	int r = bootcfg_scan(root, &l);

	*why = NULL;
	if (r)
		return r;
	r = bootcfg_choose(&l, spec, out, why);
	bootcfg_free(&l);
	if (r)
		return r;
	if (initrd) {
		snprintf(out->initrd[0], sizeof(out->initrd[0]), "%s", initrd);
		out->ninitrd = 1;
	}
	return 0;
}
