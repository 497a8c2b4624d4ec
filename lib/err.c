#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "bounds.h"
#include "err.h"

/*
 * One process serves one request at a time: one slot is enough.  It is
 * as large as a configuration message, which is reported through it.
 */
static char reason[BOUND_CONFIG_MESSAGE];

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
};

const char *
err_str(enum err e)
{
	if ((unsigned)e >= ERR__MAX)
		return "unknown error";
	return err_names[e];
}

void
err_reason(const char *fmt, ...)
{
	va_list	ap;

	if (reason[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
}

const char *
err_reason_get(void)
{
	return reason;
}

void
err_reason_clear(void)
{
	reason[0] = '\0';
}
