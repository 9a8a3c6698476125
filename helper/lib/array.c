/* The growable array's one allocation path. */
#include "lib/array.h"

#include <stdint.h>
#include <string.h>

void *array_push_(void *vp, size_t *n, size_t *cap, size_t size)
{
	char *v;

	/* the element pointer is read and written as bytes: it may be any T * */
	memcpy(&v, vp, sizeof(v));
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		char *p;

		if (c > SIZE_MAX / size)
			return NULL;
		p = realloc(v, c * size);
		if (!p)
			return NULL;
		v = p;
		memcpy(vp, &v, sizeof(v));
		*cap = c;
	}
	memset(v + *n * size, 0, size);
	return v + (*n)++ * size;
}
