/* The kernel's watchdog ioctls (linux/watchdog.h), pinned to their x86-64
 * values: the recording layer decodes them by value. */
#ifndef WB_WATCHDOG_IOCTL_H
#define WB_WATCHDOG_IOCTL_H
#include <sys/ioctl.h>
#include <linux/watchdog.h>

_Static_assert(WDIOC_KEEPALIVE == 0x80045705, "WDIOC_KEEPALIVE is _IOR('W', 5, int)");
_Static_assert(WDIOC_SETTIMEOUT == 0xc0045706, "WDIOC_SETTIMEOUT is _IOWR('W', 6, int)");
#endif
