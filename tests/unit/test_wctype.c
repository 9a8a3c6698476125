/* lib/wctype.c: the ASCII iswctype, wctype, towlower and towupper that
 * replace musl's for fnmatch give the C library's own answers (its
 * iswalpha... remain) for every character fnmatch can ask about in the C
 * locale: ASCII, the code units 0xdf80..0xdfff of bytes >= 0x80, WEOF. */
#include "t.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <wctype.h>

static const struct {
	const char *name;
	int (*is)(wint_t);
} classes[] = {
	{ "alnum", iswalnum }, { "alpha", iswalpha }, { "blank", iswblank },
	{ "cntrl", iswcntrl }, { "digit", iswdigit }, { "graph", iswgraph },
	{ "print", iswprint }, { "punct", iswpunct }, { "space", iswspace },
	{ "xdigit", iswxdigit },
};

static int in_fnmatch_domain(long c)
{
	return c < 0x80 || (c >= 0xdf80 && c <= 0xdfff);
}

TEST(wctype_classes_answer_as_the_c_library)
{
	long c;
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		wctype_t t = wctype(classes[i].name);

		CHECK(t);
		for (c = -1; c <= 0xffff; c++) {
			wint_t wc = (wint_t)c;

			if (!in_fnmatch_domain(c))
				continue;
			if (!iswctype(wc, t) != !classes[i].is(wc)) {
				t_fail(__FILE__, __LINE__, "[:%s:] of %#lx", classes[i].name, c);
				break;
			}
		}
	}
}

/* iswlower and iswupper are musl's through towupper and towlower: the ASCII
 * <ctype.h> answers, and no case for the rest */
TEST(wctype_case_is_ascii)
{
	long c;

	for (c = -1; c <= 0xffff; c++) {
		wint_t wc = (wint_t)c;

		if (!in_fnmatch_domain(c))
			continue;
		CHECK_INT(!!iswctype(wc, wctype("lower")), c >= 0 && c < 0x80 && islower((int)c));
		CHECK_INT(!!iswctype(wc, wctype("upper")), c >= 0 && c < 0x80 && isupper((int)c));
		CHECK_INT(towlower(wc), c >= 0 && c < 0x80 ? (wint_t)tolower((int)c) : wc);
		CHECK_INT(towupper(wc), c >= 0 && c < 0x80 ? (wint_t)toupper((int)c) : wc);
	}
	CHECK_INT(wctype("bogus"), 0);
	CHECK_INT(iswctype('a', 0), 0);
}

TEST(wctype_fnmatch_brackets)
{
	CHECK_INT(fnmatch("[[:alpha:]]d[[:lower:]][[:digit:]]*", "sda12", 0), 0);
	CHECK_INT(fnmatch("nvme[[:digit:]]n[[:digit:]]", "nvme0n1", 0), 0);
	CHECK_INT(fnmatch("[[:upper:]]*", "sda", 0), FNM_NOMATCH);
	CHECK_INT(fnmatch("[[:punct:]]", "-", 0), 0);
	CHECK_INT(fnmatch("a[[:space:]]b", "a b", 0), 0);
	CHECK_INT(fnmatch("[[:alpha:]]", "\xc3\xa9", 0), FNM_NOMATCH);
	CHECK_INT(fnmatch("[[:bogus:]]", "a", 0), FNM_NOMATCH);
	CHECK_INT(fnmatch("SD[A-Z]", "sdb", FNM_CASEFOLD), 0);
}
