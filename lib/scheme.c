#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "cfg.h"
#include "cookie.h"
#include "req.h"
#include "scheme.h"
#include "session.h"

/* Long enough for one redirect, short enough not to linger. */
#define CHECK_COOKIE_MAX_AGE	60

static const char *
check_cookie_name(struct arena *a, const struct cfg *cfg)
{
	return arena_printf(a, "%s_tls", session_cookie_name(a, cfg));
}

/* Sets (max_age > 0) or deletes (0) the test cookie, with the session's attributes. */
static void
check_cookie(const struct cfg *cfg, struct arena *a, struct resp *resp,
    long long max_age)
{
	const struct cookie_attrs	 attrs = {
		.path = cfg->cookie_path,
		.max_age = max_age,
		.secure = cfg->secure,
		.http_only = 1,
		.same_site = "Lax",
	};
	char				*header;

	/* Our name and value come from safe alphabets: cannot fail. */
	if (cookie_format(a, check_cookie_name(a, cfg), max_age ? "1" : "",
	    &attrs, &header) == ERR_OK)
		resp_header(resp, "Set-Cookie", header);
}

enum err
scheme_login_check(const struct app *app, const struct req *r,
    struct resp *resp, const char *login, int *answered)
{
	const struct cfg	*cfg = app->cfg;

	*answered = 0;
	if (!cfg->secure || r->https)
		return ERR_OK;
	if (app_param(r, SCHEME_CHECK_PARAM) == NULL) {
		check_cookie(cfg, r->arena, resp, CHECK_COOKIE_MAX_AGE);
		resp->status = 302;
		resp_header(resp, "Location", arena_printf(r->arena,
		    "%s%c" SCHEME_CHECK_PARAM "=1", login,
		    strchr(login, '?') != NULL ? '&' : '?'));
		app_security_headers(resp, NULL);
		*answered = 1;
		return ERR_OK;
	}
	if (cookie_get(r->jar, check_cookie_name(r->arena, cfg)) != NULL) {
		check_cookie(cfg, r->arena, resp, 0);
		return ERR_OK;
	}
	err_reason("login over plain http: the browser did not send back the "
	    "Secure test cookie (redirect_uri is https: open %s over https, "
	    "or have the proxy in front use https)", cfg->origin);
	err_tell("This site is set up for https, but this page was opened "
	    "over plain http (or the browser refuses cookies): the browser "
	    "does not send the site's secure cookies back over http, so the "
	    "sign-in cannot complete here. Open the site with https:// and "
	    "sign in again.");
	err_retry(arena_printf(r->arena, "%s%s", cfg->origin, login));
	/* A cookie that did not come back: the login state cannot hold. */
	return ERR_UNVERIFIED;
}
