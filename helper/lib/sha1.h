/* SHA-1, for the homehost hash mdadm stores in 0.90 UUIDs. */
#ifndef WB_SHA1_H
#define WB_SHA1_H
#include <stddef.h>
#include <stdint.h>
void sha1(const void *data, size_t len, uint8_t out[20]);
#endif
