/* musl's fnmatch asks iswctype for bracket classes ("[[:alpha:]]") and
 * towlower/towupper for FNM_CASEFOLD, which brings musl's Unicode tables
 * (~13 KiB). warmboot never calls setlocale: in musl's C locale fnmatch
 * passes these only ASCII characters, or the code units 0xdf80..0xdfff that
 * stand for bytes >= 0x80, which no class holds and no case maps. These
 * give musl's answers for those from <ctype.h>'s ASCII tables; defined
 * here, the linker never takes musl's (as lib/decomp.c's crc32 replaces
 * zlib's). A program that set a UTF-8 locale would need musl's back. */
#include <ctype.h>
#include <string.h>
#include <wctype.h>

/* musl's wctype_t values: 1 + the index */
static const char class_names[][7] = {
	"alnum", "alpha", "blank", "cntrl", "digit", "graph",
	"lower", "print", "punct", "space", "upper", "xdigit",
};

wctype_t wctype(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (!strcmp(name, class_names[i]))
			return i + 1;
	return 0;
}

int iswctype(wint_t wc, wctype_t type)
{
	static int (*const is_class[])(int) = {
		isalnum, isalpha, isblank, iscntrl, isdigit, isgraph,
		islower, isprint, ispunct, isspace, isupper, isxdigit,
	};

	if (wc >= 0x80 || !type || type > sizeof(is_class) / sizeof(is_class[0]))
		return 0;
	return !!is_class[type - 1]((int)wc);
}

wint_t towlower(wint_t wc)
{
	return wc < 0x80 ? (wint_t)tolower((int)wc) : wc;
}

wint_t towupper(wint_t wc)
{
	return wc < 0x80 ? (wint_t)toupper((int)wc) : wc;
}
