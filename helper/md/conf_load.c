/* Reading mdadm.conf from a file or a directory, as mdadm's
 * conf_file_or_dir: regular files and directories only, a directory's
 * "*.conf" files in strcmp order; each file at most MD_CONF_MAX_FILE. */
#include "md/conf.h"
#include "lib/array.h"
#include "lib/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int load_fd(int fd, const char *name, struct md_conf *conf)
{
	struct stat st;
	size_t len = 0;
	char *text = NULL;
	int err;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return 0;	/* mdadm reads regular files and directories only */
	if (st.st_size > MD_CONF_MAX_FILE)
		return -EFBIG;
	err = read_fd(fd, MD_CONF_MAX_FILE, &text, &len);
	if (err)
		return err;
	err = md_conf_parse_named(text, len, name, conf);
	free(text);
	return err;
}

typedef ARRAY(char *) name_list;

static void names_free(name_list *names)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		free(names->v[i]);
	array_free(names);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* conf_file_or_dir's directory case: *.conf (6+ characters, no leading
 * dot), sorted with strcmp. */
static int conf_names(DIR *dir, name_list *names)
{
	struct dirent *de;
	char **slot;
	size_t l;

	while ((de = readdir(dir))) {
		l = strlen(de->d_name);
		if (!de->d_ino || de->d_name[0] == '.' || l < 6 ||
		    strcmp(de->d_name + l - 5, ".conf"))
			continue;
		if (!(slot = array_push(names)))
			return -ENOMEM;
		if (!(*slot = strdup(de->d_name))) {
			names->n--;
			return -ENOMEM;
		}
	}
	if (names->n)
		qsort(names->v, names->n, sizeof(names->v[0]), cmp_names);
	return 0;
}

/* Files that cannot be opened are skipped, as in mdadm. */
static int load_dir(int dfd, struct md_conf *conf)
{
	name_list names = { 0 };
	DIR *dir = fdopendir(dfd);
	size_t i;
	int err, fd;

	if (!dir) {
		err = -errno;
		close(dfd);
		return err;
	}
	err = conf_names(dir, &names);
	for (i = 0; i < names.n && !err; i++) {
		fd = openat(dirfd(dir), names.v[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		err = load_fd(fd, names.v[i], conf);
		close(fd);
	}
	names_free(&names);
	closedir(dir);
	return err;
}

int md_conf_load_append(const char *path, struct md_conf *conf)
{
	struct stat st;
	int fd, err;

	if (!path || !conf)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(fd, conf);	/* takes fd */
	err = load_fd(fd, path, conf);
	close(fd);
	return err;
}

int md_conf_load(const char *path, struct md_conf *conf)
{
	if (!conf)
		return -EINVAL;
	md_conf_init(conf);
	return md_conf_load_append(path, conf);
}
