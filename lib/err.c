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
	const char	*retry_label;
	const char	*provider;
	const char	*return_to;
	struct {
		const char	*url;
		const char	*label;
	}		 actions[ERR_ACTIONS_MAX];
	unsigned	 nactions;
	unsigned	 page;
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
	failure.retry_label = NULL;
	failure.provider = NULL;
	failure.return_to = NULL;
	failure.nactions = 0;
	failure.page = 0;
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

void
err_about(const char *provider, const char *return_to)
{
	failure.provider = provider;
	failure.return_to = return_to;
}

void
err_retry_label(const char *label)
{
	failure.retry_label = label;
}

void
err_action(const char *url, const char *label)
{
	if (url == NULL || label == NULL ||
	    failure.nactions == ERR_ACTIONS_MAX)
		return;
	failure.actions[failure.nactions].url = url;
	failure.actions[failure.nactions].label = label;
	failure.nactions++;
}

void
err_page(unsigned flags)
{
	failure.page = flags;
}

const char *
err_about_provider(void)
{
	return failure.provider;
}

const char *
err_about_return_to(void)
{
	return failure.return_to;
}

const char *
err_retry_label_get(void)
{
	return failure.retry_label;
}

unsigned
err_page_get(void)
{
	return failure.page;
}

int
err_action_get(unsigned i, const char **url, const char **label)
{
	if (i >= failure.nactions)
		return 0;
	*url = failure.actions[i].url;
	*label = failure.actions[i].label;
	return 1;
}
