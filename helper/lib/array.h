/* One growable array for every list (kmod's shared/array.h, for elements
 * held by value): ARRAY(T) is { T *v; size_t n, cap; }, array_push() appends
 * one zeroed element and returns it. */
#ifndef WB_LIB_ARRAY_H
#define WB_LIB_ARRAY_H

#include <stddef.h>
#include <stdlib.h>

#define ARRAY(type) struct { type *v; size_t n, cap; }

/* vp: the address of the array's element pointer. NULL when out of memory
 * (the array is left as it was). */
void *array_push_(void *vp, size_t *n, size_t *cap, size_t size);

#define array_push(a) \
	((__typeof__((a)->v))array_push_(&(a)->v, &(a)->n, &(a)->cap, sizeof(*(a)->v)))
#define array_free(a) (free((a)->v), (a)->v = NULL, (a)->n = (a)->cap = 0)

#endif
