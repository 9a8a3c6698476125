/* Storage controllers above the disks, and the drivers that do not survive
 * a kexec. */
#include "kexec/controllers.h"
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A driver that fails in the next kernel when its controller's SCSI host
 * attribute host_attr reads bad (NULL: always). */
static const struct known_problem {
	const char *driver, *host_attr, *bad, *reason, *ref;
} problems[] = {
	{ "hpsa", "resettable", "0",
	  "not resettable: the next kernel cannot take it over live",
	  "https://www.kernel.org/doc/html/latest/scsi/hpsa.html" },
};

/* "0000:00:03.0": domain:bus:device.function */
static int is_pci_addr(const char *s, size_t n)
{
	return n == 12 && s[4] == ':' && s[7] == ':' && s[10] == '.';
}

/* The deepest PCI component of a resolved device path: its directory's
 * length in *dirlen, the address at the returned pointer; NULL if none. */
static const char *pci_above(const char *path, size_t *dirlen)
{
	const char *p = path, *found = NULL;

	while ((p = strchr(p, '/'))) {
		const char *c = ++p, *e = strchrnul(c, '/');

		if (is_pci_addr(c, (size_t)(e - c))) {
			found = c;
			*dirlen = (size_t)(e - path);
		}
	}
	return found;
}

/* The SCSI hosts below a PCI device with host_attr == bad. */
static int host_attr_is(const char *pcidir, const struct known_problem *k)
{
	char path[PATH_MAX], val[16];
	struct dirent *e;
	int hit = 0;
	DIR *d = opendir(pcidir);

	if (!d)
		return 0;
	while (!hit && (e = readdir(d)))
		if (!strncmp(e->d_name, "host", 4) &&
		    snprintf(path, sizeof(path), "%s/%s/scsi_host/%s/%s", pcidir, e->d_name,
			     e->d_name, k->host_attr) < (int)sizeof(path) &&
		    !read_text(path, val, sizeof(val)))
			hit = !strcmp(val, k->bad);
	closedir(d);
	return hit;
}

static void judge(struct controller *c, const char *pcidir)
{
	size_t i;

	for (i = 0; i < sizeof(problems) / sizeof(problems[0]); i++) {
		const struct known_problem *k = &problems[i];

		if (strcmp(c->driver, k->driver) ||
		    (k->host_attr && !host_attr_is(pcidir, k)))
			continue;
		c->refuse = k->reason;
		c->ref = k->ref;
		return;
	}
}

static struct controller *find_or_add(controller_list *l, const char *pci, const char *pcidir)
{
	char link[PATH_MAX], path[PATH_MAX];
	struct controller *c;
	const char *base;
	size_t i;
	ssize_t n;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].pci, pci))
			return &l->v[i];
	c = array_push(l);
	if (!c)
		return NULL;
	memcpy(c->pci, pci, 13);
	snprintf(path, sizeof(path), "%s/driver", pcidir);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	base = strrchr(link, '/');
	snprintf(c->driver, sizeof(c->driver), "%s", base ? base + 1 : link);
	judge(c, pcidir);
	return c;
}

static void add_disk(struct controller *c, const char *disk)
{
	size_t n = strlen(c->disks);

	/* a long list ends in "+" */
	if (snprintf(c->disks + n, sizeof(c->disks) - n, " %s", disk) >= (int)(sizeof(c->disks) - n))
		c->disks[sizeof(c->disks) - 2] = '+';
}

/* One /sys/block entry: its controller, if it has a device above it. */
static int add_block(const char *root, const char *disk, controller_list *out)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct controller *c;
	const char *addr;
	size_t dirlen;

	snprintf(path, sizeof(path), "%s/sys/block/%s/device", root, disk);
	if (!realpath(path, real) || !(addr = pci_above(real, &dirlen)))
		return 0;
	real[dirlen] = 0;	/* the PCI device's directory, ending in addr */
	c = find_or_add(out, addr, real);
	if (!c)
		return -ENOMEM;
	add_disk(c, disk);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int kexec_controllers(const char *root, controller_list *out)
{
	char path[PATH_MAX];
	struct dirent **names;
	int i, n, err = 0;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/sys/block", root);
	n = scandir(path, &names, NULL, by_name);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (!err && names[i]->d_name[0] != '.')
			err = add_block(root, names[i]->d_name, out);
		free(names[i]);
	}
	free(names);
	if (err)
		array_free(out);
	return err;
}
