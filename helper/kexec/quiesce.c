/* md quiesce before kexec: reads sysfs and mountinfo under sys_root(), acts
 * through md_stop() and sys_write_attr(). */
#include "kexec/quiesce.h"
#include "lib/file.h"
#include "lib/text.h"
#include "md/kernel.h"
#include "sys/sys.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A sysfs value: path under sys_root(). */
static int read_sys(const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", sys_root(), path);
	return read_text(full, buf, len);
}

static int has_holders(const char *name)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int used = 0;

	snprintf(path, sizeof(path), "%s/sys/block/%s/holders", sys_root(), name);
	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			used |= e->d_name[0] != '.';
		closedir(d);
	}
	return used;
}

/* A mountinfo line mounts dev ("9:0") or /dev/NAME or one of its
 * partitions: "ID PARENT MAJOR:MINOR ... - TYPE SOURCE ...". */
static int mounts(const char *line, const char *dev, const char *name)
{
	char copy[1024], *w[3], want[300];
	const char *src = strstr(line, " - ");
	size_t l;

	snprintf(copy, sizeof(copy), "%s", line);
	if (split_words(copy, w, 3) == 3 && !strcmp(w[2], dev))
		return 1;
	snprintf(want, sizeof(want), "/dev/%s", name);
	l = strlen(want);
	return src && (src = strchr(src + 3, ' ')) && !strncmp(src + 1, want, l) &&
	       (src[1 + l] == ' ' || src[1 + l] == 'p');
}

/* Something holds /sys/block/NAME, or it (or a partition) is mounted. */
static int md_in_use(const char *name)
{
	char path[PATH_MAX], line[1024], dev[32];
	FILE *f;
	int used = 0;

	if (has_holders(name))
		return 1;
	snprintf(path, sizeof(path), "/sys/block/%s/dev", name);
	if (read_sys(path, dev, sizeof(dev)))
		return 0;
	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", sys_root());
	f = fopen(path, "re");
	while (f && !used && fgets(line, sizeof(line), f))
		used = mounts(line, dev, name);
	if (f)
		fclose(f);
	return used;
}

static int is_active(const char *state)
{
	return !strcmp(state, "active") || !strcmp(state, "active-idle") ||
	       !strcmp(state, "clean") || !strcmp(state, "write-pending");
}

/* 0 when q->name was stopped or marked clean. */
static int quiesce_one(struct quiesced *q, const char *state, const char *attr)
{
	if (!md_in_use(q->name)) {
		q->stop_err = md_stop(q->name);
		q->stopped = !q->stop_err;
		if (q->stopped)
			return 0;
	}
	if (!strcmp(state, "clean"))
		return 0;
	q->clean_err = sys_write_attr(attr, "clean");
	q->marked = !q->clean_err;
	return q->clean_err;
}

int kexec_quiesce_md(struct quiesce_report *out)
{
	char path[PATH_MAX], state[64], attr[PATH_MAX];
	struct quiesced spare, *q;
	struct dirent *e;
	DIR *d;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/sys/block", sys_root());
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "md", 2))
			continue;
		snprintf(attr, sizeof(attr), "/sys/block/%s/md/array_state", e->d_name);
		if (read_sys(attr, state, sizeof(state)) || !is_active(state))
			continue;	/* inactive, read-only, clear: nothing to do */
		q = array_push(out);
		if (!q) {
			memset(&spare, 0, sizeof(spare));
			q = &spare;
		}
		snprintf(q->name, sizeof(q->name), "%s", e->d_name);
		failed += quiesce_one(q, state, attr) != 0;
	}
	closedir(d);
	return failed;
}
