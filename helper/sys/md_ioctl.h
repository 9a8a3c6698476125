/* The kernel's md ioctl interface (linux/raid/md_u.h needs these first). */
#ifndef WB_MD_IOCTL_H
#define WB_MD_IOCTL_H
#include <linux/major.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <linux/raid/md_u.h>
#include <linux/raid/md_p.h>
#endif
