/* A tiny unit-test runner: TEST(name) { CHECK(...); } in tests/unit/test_*.c,
 * each file its own program. */
#ifndef WB_T_H
#define WB_T_H

#include <stdint.h>

void t_register(const char *name, void (*fn)(void));
void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Path of a file under tests/fixtures. */
const char *t_fixture(const char *rel);
/* A fresh temporary directory for this test program. */
const char *t_tmpdir(void);

#define TEST(name)                                                   \
	static void name(void);                                      \
	__attribute__((constructor)) static void reg_##name(void)    \
	{ t_register(#name, name); }                                 \
	static void name(void)

#define CHECK(cond)                                                  \
	do { if (!(cond)) { t_fail(__FILE__, __LINE__, "%s", #cond); return; } } while (0)

#define CHECK_INT(a, b)                                              \
	do { long long a_ = (long long)(a), b_ = (long long)(b);     \
	     if (a_ != b_) { t_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
				    #a, a_, #b, b_); return; } } while (0)

#define CHECK_STR(a, b)                                              \
	do { const char *a_ = (a), *b_ = (b);                        \
	     if (!a_ || !b_ || strcmp(a_, b_)) {                     \
		t_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a, \
		       a_ ? a_ : "(null)", b_ ? b_ : "(null)"); return; } } while (0)

#endif
