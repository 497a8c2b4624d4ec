/*
 * A tiny TAP emitter for the unit tests: tap_plan(n) or tap_done() at
 * the end, one ok()/is_int()/is_str() per check.  Exit status is 0 once
 * the plan is printed; automake's TAP driver counts the lines.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static void __attribute__((unused))
tap_plan(int n)
{
	printf("1..%d\n", n);
}

static void __attribute__((unused))
tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
}

__attribute__((format(printf, 2, 3), unused))
static int __attribute__((unused))
ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!ok(g_ == w_, __VA_ARGS__))					\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL && w_ == NULL) ||			\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	if (!ok(same_, __VA_ARGS__))					\
		printf("#   got \"%s\", want \"%s\"\n",			\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

static void __attribute__((unused))
diag(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void __attribute__((unused))
diag(const char *fmt, ...)
{
	va_list	ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Prints the plan after the tests; returns 0 so the driver decides. */
static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return 0;
}

#endif /* TAP_H */
