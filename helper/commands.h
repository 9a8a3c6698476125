/* Every command, in the order `warmboot --help` lists them. X(name) expands
 * to the `cmd_name` object defined in cmd/name.c. One line per area, so each
 * area adds its commands on its own line. */
#define WB_MD_COMMANDS(X) X(examine) X(scan) X(assemble) X(stop)
#define WB_MODULE_COMMANDS(X) X(modules)
#define WB_KEXEC_COMMANDS(X) X(entries) X(check) X(load) X(exec) X(reboot) X(status) X(unload)

#define WB_COMMANDS(X) WB_MODULE_COMMANDS(X) WB_MD_COMMANDS(X) WB_KEXEC_COMMANDS(X)
