/* Kernel modules: resolution through libkmod, insertion through sys.h.
 *
 * libkmod answers "what would modprobe load, in which order, with which
 * options" (dependencies, softdeps, blacklist, install commands,
 * modules.builtin); warmboot then inserts each file itself with
 * sys_finit_module() or, for compressed files the kernel cannot take,
 * decompresses in-process and uses sys_init_module().
 *
 * Reads of system state compose paths with sys_root(): the default module
 * directory (/lib/modules/RELEASE), the modprobe.d directories and
 * /sys/module. A --dir given by the caller is used as given. */
#ifndef WB_MODULES_H
#define WB_MODULES_H

#include "lib/array.h"

#include <stdarg.h>
#include <stddef.h>

struct modules;

/* Receives libkmod's diagnostics (priority as syslog). */
typedef void (*modules_log_fn)(void *data, int priority, const char *text);

/* dir: a module directory such as /lib/modules/6.1.0-26-amd64, or NULL for
 * sys_root()/lib/modules/KVER; kver: NULL for the running kernel's release
 * (sys_root()/proc/sys/kernel/osrelease, else uname). */
int modules_open(struct modules **out, const char *dir, const char *kver,
		 modules_log_fn log, void *log_data);
/* The running kernel's release: sys_root()/proc/sys/kernel/osrelease,
 * else uname. 0 or -errno. */
int modules_running_release(char *buf, size_t size);
void modules_close(struct modules *m);
/* The module directory libkmod resolves against. */
const char *modules_dir(const struct modules *m);

enum modules_action {
	MODULES_INSMOD,		/* insert path with options */
	MODULES_INSTALL_CMD,	/* modprobe.d "install" command: not run */
	MODULES_BUILTIN,	/* in modules.builtin: nothing to do */
	MODULES_LIVE,		/* already loaded (sys_root()/sys/module) */
	MODULES_BLACKLISTED,	/* the lookup's module is blacklisted */
};

struct modules_step {
	enum modules_action action;
	char *name;
	char *path;		/* MODULES_INSMOD only */
	char *options;		/* never NULL */
	char *install;		/* MODULES_INSTALL_CMD only */
	/* The looked-up module or one of its hard dependencies: a failure
	 * stops its chain. Soft dependencies may fail alone (as in kmod). */
	int required;
	/* Index of the lookup match this step belongs to (chain id). */
	int chain;
};

struct modules_plan {
	ARRAY(struct modules_step) steps;
	int chains;
};

enum {
	/* Refuse blacklisted modules even when named directly (udev's
	 * coldplug, modprobe -b); without it only aliases are filtered. */
	MODULES_APPLY_BLACKLIST = 1,
};

/* Appends to plan the steps `modprobe -n` would take for a module name or
 * alias, in order. -ENOENT when nothing matches. */
int modules_plan_add(struct modules *m, const char *name_or_alias,
		     unsigned flags, struct modules_plan *plan);
void modules_plan_free(struct modules_plan *plan);

/* 1 when sys_root()/sys/module/NAME/initstate says "live", else 0. */
int modules_is_live(const char *name);

enum modules_method {
	MODULES_FINIT,			/* finit_module(fd) */
	MODULES_FINIT_COMPRESSED,	/* finit_module(fd, COMPRESSED_FILE) */
	MODULES_INIT_DECOMPRESSED,	/* decompressed here, init_module */
	MODULES_INIT_READ,		/* read here, init_module (no finit) */
};

struct modules_inserted {
	enum modules_method method;
	/* 1: the error came from the kernel (finit/init_module); 0: from
	 * opening, reading or decompressing the file. */
	int by_kernel;
};

/* Inserts one module file; EEXIST (already loaded) counts as success.
 * Compressed files go to finit_module with MODULE_INIT_COMPRESSED_FILE when
 * sys_root()/sys/module/compression names their format (or, without that
 * file, when the kernel accepts the flag), else are decompressed here. */
int modules_insert_file(const char *path, const char *options,
			struct modules_inserted *how);
const char *modules_method_name(enum modules_method method);

/* modules/decompress.c: the file's whole contents, decompressed when it is
 * xz, zstd or gzip. *kind: "xz", "zstd", "gzip" or NULL for plain. */
int modules_read_image(int fd, void **image, size_t *len, const char **kind);
/* The compression of an open module file by its magic, or NULL. */
const char *modules_compression(int fd);

#endif
