/* What modprobe would load: libkmod resolves, we only collect its plan. */
#include "modules/modules.h"
#include "sys/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

struct modules {
	struct kmod_ctx *ctx;
	modules_log_fn log;
	void *log_data;
	char dir[PATH_MAX];
	char *config[5];
};

/* libkmod's default configuration directories (kmod 30, sysconfdir /etc). */
static const char *const config_dirs[] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
	"/lib/modprobe.d",
};

static void kmod_log(void *data, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	struct modules *m = data;
	char text[512];
	size_t n;

	(void)file;
	(void)line;
	(void)fn;
	if (!m->log)
		return;
	vsnprintf(text, sizeof(text), format, args);
	n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[n - 1] = 0;
	m->log(m->log_data, priority, text);
}

int modules_running_release(char *buf, size_t size)
{
	char path[PATH_MAX];
	struct utsname u;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", sys_root());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			buf[strcspn(buf, "\n")] = 0;
			if (buf[0])
				return 0;
		}
	}
	if (uname(&u) < 0)
		return -errno;
	if (strlen(u.release) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, u.release);
	return 0;
}

int modules_open(struct modules **out, const char *dir, const char *kver,
		 modules_log_fn log, void *log_data)
{
	struct modules *m;
	struct stat st;
	char release[256];
	size_t i;
	int n, err;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->log = log;
	m->log_data = log_data;
	if (dir) {
		n = snprintf(m->dir, sizeof(m->dir), "%s", dir);
	} else {
		if (!kver) {
			err = modules_running_release(release, sizeof(release));
			if (err < 0)
				goto fail;
			kver = release;
		}
		n = snprintf(m->dir, sizeof(m->dir), "%s/lib/modules/%s", sys_root(), kver);
	}
	err = -ENAMETOOLONG;
	if (n < 0 || (size_t)n >= sizeof(m->dir))
		goto fail;
	err = -ENOMEM;
	for (i = 0; i < sizeof(config_dirs) / sizeof(config_dirs[0]); i++)
		if (asprintf(&m->config[i], "%s%s", sys_root(), config_dirs[i]) < 0) {
			m->config[i] = NULL;
			goto fail;
		}
	if (stat(m->dir, &st) < 0) {
		err = -errno;
		goto fail;
	}
	err = -ENOTDIR;
	if (!S_ISDIR(st.st_mode))
		goto fail;
	err = -ENOMEM;
	m->ctx = kmod_new(m->dir, (const char *const *)m->config);
	if (!m->ctx)
		goto fail;
	kmod_set_log_fn(m->ctx, kmod_log, m);
	/* As modprobe: without the .bin indexes libkmod reads the text files. */
	kmod_load_resources(m->ctx);
	*out = m;
	return 0;
fail:
	modules_close(m);
	return err;
}

void modules_close(struct modules *m)
{
	size_t i;

	if (!m)
		return;
	if (m->ctx)
		kmod_unref(m->ctx);
	for (i = 0; i < sizeof(m->config) / sizeof(m->config[0]); i++)
		free(m->config[i]);
	free(m);
}

const char *modules_dir(const struct modules *m)
{
	return m->dir;
}

int modules_is_live(const char *name)
{
	char path[PATH_MAX], buf[16];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/sys/module/%s/initstate", sys_root(),
		     name) >= (int)sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return !strcmp(buf, "live\n") || !strcmp(buf, "live");
}

static void step_free(struct modules_step *s)
{
	free(s->name);
	free(s->path);
	free(s->options);
	free(s->install);
}

static int plan_push(struct modules_plan *plan, enum modules_action action,
		     const char *name, const char *path, const char *options,
		     const char *install)
{
	struct modules_step *s = array_push(&plan->steps);

	if (!s)
		return -ENOMEM;
	s->action = action;
	s->chain = plan->chains;
	s->name = strdup(name);
	s->options = strdup(options ? options : "");
	s->path = path ? strdup(path) : NULL;
	s->install = install ? strdup(install) : NULL;
	if (!s->name || !s->options || (path && !s->path) || (install && !s->install)) {
		step_free(s);
		plan->steps.n--;
		return -ENOMEM;
	}
	return 0;
}

void modules_plan_free(struct modules_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->steps.n; i++)
		step_free(&plan->steps.v[i]);
	array_free(&plan->steps);
	plan->chains = 0;
}

/* libkmod's print_action callback takes no user data: the plan being
 * filled is kept here for the duration of one probe call. */
static struct modules_plan *collecting;
static int collect_err;

static void collect(struct kmod_module *mod, bool install, const char *options)
{
	const char *name = kmod_module_get_name(mod);
	const char *path = kmod_module_get_path(mod);
	int r;

	if (!collecting || collect_err)
		return;
	if (install)
		r = plan_push(collecting, MODULES_INSTALL_CMD, name, NULL, options,
			      kmod_module_get_install_commands(mod));
	else if (!path && kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN)
		r = plan_push(collecting, MODULES_BUILTIN, name, NULL, options, NULL);
	else if (modules_is_live(name))
		r = plan_push(collecting, MODULES_LIVE, name, path, options, NULL);
	else
		/* path NULL: known only as an alias; inserting it fails ENOENT. */
		r = plan_push(collecting, MODULES_INSMOD, name, path, options, NULL);
	if (r < 0)
		collect_err = r;
}

static int is_in(struct kmod_list *deps, const char *name)
{
	struct kmod_list *l;

	kmod_list_foreach(l, deps) {
		struct kmod_module *mod = kmod_module_get_module(l);
		int same = !strcmp(kmod_module_get_name(mod), name);

		kmod_module_unref(mod);
		if (same)
			return 1;
	}
	return 0;
}

/* The steps of one looked-up module. Loaded state is checked here against
 * sys_root(), so libkmod is told to ignore it (it reads /sys directly);
 * the order of checks is kmod's: loaded or built in first, then blacklist. */
static int plan_one(struct kmod_module *mod, unsigned flags,
		    struct modules_plan *plan)
{
	const char *name = kmod_module_get_name(mod);
	unsigned kflags = KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED;
	struct kmod_list *deps;
	size_t first = plan->steps.n, i;
	int r;

	if (kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN)
		r = plan_push(plan, MODULES_BUILTIN, name, NULL, "", NULL);
	else if (modules_is_live(name))
		r = plan_push(plan, MODULES_LIVE, name, kmod_module_get_path(mod), "", NULL);
	else
		r = 1;
	if (r <= 0) {
		if (!r)
			plan->steps.v[plan->steps.n - 1].required = 1;
		return r;
	}
	if (flags & MODULES_APPLY_BLACKLIST)
		kflags |= KMOD_PROBE_APPLY_BLACKLIST;
	else
		kflags |= KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY;

	collecting = plan;
	collect_err = 0;
	r = kmod_module_probe_insert_module(mod, kflags, NULL, NULL, NULL, collect);
	collecting = NULL;
	if (collect_err < 0)
		return collect_err;
	if (r < 0)
		return r;
	if (r > 0)
		return plan_push(plan, MODULES_BLACKLISTED, name, kmod_module_get_path(mod),
				 "", NULL);

	deps = kmod_module_get_dependencies(mod);
	for (i = first; i < plan->steps.n; i++) {
		struct modules_step *s = &plan->steps.v[i];

		s->required = !strcmp(s->name, name) || is_in(deps, s->name);
	}
	kmod_module_unref_list(deps);
	return 0;
}

int modules_plan_add(struct modules *m, const char *name_or_alias,
		     unsigned flags, struct modules_plan *plan)
{
	struct kmod_list *list = NULL, *l;
	int r, err = 0;

	r = kmod_module_new_from_lookup(m->ctx, name_or_alias, &list);
	if (r < 0)
		return r;
	if (!list)
		return -ENOENT;
	kmod_list_foreach(l, list) {
		struct kmod_module *mod = kmod_module_get_module(l);

		r = plan_one(mod, flags, plan);
		kmod_module_unref(mod);
		plan->chains++;
		if (r < 0 && !err)
			err = r;
	}
	kmod_module_unref_list(list);
	return err;
}
