#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bounds.h"
#include "err.h"

/* One process serves one request at a time: one failure is enough. */
static struct {
	char		 reason[ERR_REASON_MAX];
	const char	*message;
	const char	*detail;
	const char	*retry;
} failure;

static const char *const err_names[ERR__MAX] = {
	[ERR_OK] = "success",
	[ERR_NOMEM] = "out of memory",
	[ERR_SYSTEM] = "system error",
	[ERR_CONFIG] = "configuration error",
	[ERR_INPUT] = "malformed input",
	[ERR_TOO_BIG] = "input too large",
	[ERR_NOT_FOUND] = "not found",
	[ERR_METHOD] = "method not allowed",
	[ERR_UNVERIFIED] = "verification failed",
	[ERR_UNAUTHENTICATED] = "not signed in",
	[ERR_FORBIDDEN] = "forbidden",
	[ERR_DENIED] = "provider refused the login",
	[ERR_PROVIDER] = "provider error",
	[ERR_TIMEOUT] = "provider timed out",
	[ERR_TOKEN] = "ID token rejected",
	[ERR_SESSION_TOO_BIG] = "session too large",
	[ERR_TIMEOUT_CLIENT] = "client too slow",
};

const char *
err_str(enum err e)
{
	if ((unsigned)e >= ERR__MAX)
		return "unknown error";
	return err_names[e];
}

void
err_clear(void)
{
	failure.reason[0] = '\0';
	failure.message = NULL;
	failure.detail = NULL;
	failure.retry = NULL;
}

void
err_reason(const char *fmt, ...)
{
	va_list	ap;

	if (failure.reason[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(failure.reason, sizeof(failure.reason), fmt, ap);
	va_end(ap);
}

void
err_reason_rewrite(const char *fmt, ...)
{
	char	next[ERR_REASON_MAX];
	va_list	ap;

	/* Formatted aside: the arguments may point into the slot. */
	va_start(ap, fmt);
	vsnprintf(next, sizeof(next), fmt, ap);
	va_end(ap);
	memcpy(failure.reason, next, sizeof(next));
}

const char *
err_reason_get(void)
{
	return failure.reason;
}

void
err_reason_clear(void)
{
	failure.reason[0] = '\0';
}

void
err_tell(const char *message)
{
	failure.message = message;
}

void
err_detail(const char *detail)
{
	failure.detail = detail;
}

void
err_retry(const char *url)
{
	failure.retry = url;
}

const char *
err_tell_get(void)
{
	return failure.message;
}

const char *
err_detail_get(void)
{
	return failure.detail;
}

const char *
err_retry_get(void)
{
	return failure.retry;
}
