/* Every command, in the order `warmboot --help` lists them. X(name) expands
 * to the `cmd_name` object defined in cmd_name.c. */
#define WB_COMMANDS(X)
