/*
 * lib/err.c: the names of the codes, the one reason slot (first reason
 * wins, cut at its bound, rewritten by a caller that adds context) and
 * what the error page is told, all forgotten by err_clear.
 */
#include "config.h"

#include <string.h>

#include "err.h"
#include "tap.h"

static void
test_names(void)
{
	int	named = 1;

	for (int e = 0; e < ERR__MAX; e++)
		if (err_str((enum err)e) == NULL || *err_str((enum err)e) ==
		    '\0' || strcmp(err_str((enum err)e), "unknown error") == 0)
			named = 0;
	ok(named, "every code has its own name");
	is_str(err_str(ERR_OK), "success", "ERR_OK: success");
	is_str(err_str(ERR__MAX), "unknown error", "ERR__MAX: unknown");
	is_str(err_str((enum err)-1), "unknown error", "a negative code");
}

static void
test_reason(void)
{
	char	long_text[ERR_REASON_MAX + 100];

	err_clear();
	is_str(err_reason_get(), "", "no reason after a clear");
	err_reason("first %d", 1);
	err_reason("second");
	is_str(err_reason_get(), "first 1", "the first reason wins");
	err_reason_rewrite("context: %s", err_reason_get());
	is_str(err_reason_get(), "context: first 1",
	    "a rewrite may quote the reason it replaces");
	err_reason_clear();
	is_str(err_reason_get(), "", "err_reason_clear forgets it");
	err_reason("after");
	is_str(err_reason_get(), "after", "and the next one is recorded");
	err_reason_rewrite("%s", "");
	is_str(err_reason_get(), "", "a rewrite to nothing");

	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	err_clear();
	err_reason("%s", long_text);
	is_int(strlen(err_reason_get()), ERR_REASON_MAX - 1,
	    "a long reason is cut to %d bytes", ERR_REASON_MAX - 1);
	err_reason_rewrite("%s%s", err_reason_get(), "tail");
	is_int(strlen(err_reason_get()), ERR_REASON_MAX - 1,
	    "so is a long rewrite");
}

static void
test_page(void)
{
	err_clear();
	ok(err_tell_get() == NULL && err_detail_get() == NULL &&
	    err_retry_get() == NULL, "nothing to tell after a clear");
	err_tell("one");
	err_tell("two");
	err_detail("the provider's text");
	err_retry("/auth/login");
	is_str(err_tell_get(), "two", "the last explanation wins");
	is_str(err_detail_get(), "the provider's text", "the detail");
	is_str(err_retry_get(), "/auth/login", "the retry URL");
	err_reason("why");
	err_reason_clear();
	is_str(err_tell_get(), "two", "err_reason_clear keeps the page texts");
	err_retry(NULL);
	ok(err_retry_get() == NULL, "NULL forgets a text");
	err_reason("why");
	err_clear();
	ok(err_tell_get() == NULL && err_detail_get() == NULL &&
	    err_retry_get() == NULL && err_reason_get()[0] == '\0',
	    "err_clear forgets reason and texts");
}

static void
test_ways_on(void)
{
	const char	*url, *label;

	err_clear();
	ok(err_about_provider() == NULL && err_about_return_to() == NULL &&
	    err_retry_label_get() == NULL && err_page_get() == 0 &&
	    !err_action_get(0, &url, &label), "no ways on after a clear");
	err_about("alpha", "/private/");
	err_retry_label("Sign in again");
	err_page(ERR_PAGE_CALM | ERR_PAGE_OTHERS);
	is_str(err_about_provider(), "alpha", "the provider concerned");
	is_str(err_about_return_to(), "/private/", "the page on the way to");
	is_str(err_retry_label_get(), "Sign in again", "the retry's words");
	is_int(err_page_get(), ERR_PAGE_CALM | ERR_PAGE_OTHERS, "the flags");
	err_page(ERR_PAGE_OTHERS);
	is_int(err_page_get(), ERR_PAGE_OTHERS, "the last flags win");
	err_action("/one", "One");
	err_action(NULL, "No URL");
	err_action("/two", "Two");
	err_action("/three", "Three");
	ok(err_action_get(0, &url, &label) && strcmp(url, "/one") == 0 &&
	    strcmp(label, "One") == 0, "the first action");
	ok(err_action_get(1, &url, &label) && strcmp(url, "/two") == 0,
	    "an action without a URL is ignored");
	ok(!err_action_get(ERR_ACTIONS_MAX, &url, &label),
	    "at most %d actions", ERR_ACTIONS_MAX);
	err_clear();
	ok(err_about_provider() == NULL && err_retry_label_get() == NULL &&
	    err_page_get() == 0 && !err_action_get(0, &url, &label),
	    "err_clear forgets the ways on");
}

int
main(void)
{
	test_names();
	test_reason();
	test_page();
	test_ways_on();
	return tap_done();
}
