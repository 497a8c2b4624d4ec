/*
 * The error page: what a failure's status and code become for a person
 * (HTML) or a client (JSON), in the words the handler chose or the
 * defaults below.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "err.h"
#include "errpage.h"
#include "jv.h"
#include "req.h"
#include "tmpl.h"

/* What the error page says when the handler did not say better. */
static const struct {
	const char	*code;		/* for JSON clients */
	const char	*heading;
	const char	*message;
} failures[ERR__MAX] = {
	[ERR_OK] = { "ok", "", "" },
	[ERR_NOMEM] = { "server_error", "Something went wrong",
	    "The sign-in service ran out of memory. Please try again." },
	[ERR_SYSTEM] = { "server_error", "Something went wrong",
	    "The sign-in service hit an internal error. Please try again." },
	[ERR_CONFIG] = { "server_error", "Sign-in is not set up correctly",
	    "The sign-in service is misconfigured. The site's administrator "
	    "will find the reason in the server's error log." },
	[ERR_INPUT] = { "invalid_request", "Bad request",
	    "The request was malformed." },
	[ERR_TOO_BIG] = { "invalid_request", "Request too large",
	    "The request, or its cookies, are larger than this service "
	    "accepts. Clearing this site's cookies may help." },
	[ERR_NOT_FOUND] = { "not_found", "Not found",
	    "There is nothing at this address." },
	[ERR_METHOD] = { "method_not_allowed", "Method not allowed",
	    "This address does not accept that kind of request." },
	[ERR_UNVERIFIED] = { "invalid_state", "Sign-in could not be completed",
	    "This sign-in response was already used, has expired, or was "
	    "started in another browser or tab that is no longer valid. "
	    "Please start again." },
	[ERR_UNAUTHENTICATED] = { "unauthenticated", "Not signed in",
	    "You need to sign in first." },
	[ERR_FORBIDDEN] = { "forbidden", "Not allowed",
	    "You are not allowed to do this." },
	[ERR_DENIED] = { "access_denied", "Sign-in was not completed",
	    "The sign-in provider did not let the sign-in go ahead." },
	[ERR_PROVIDER] = { "provider_error", "The sign-in provider failed",
	    "The sign-in provider gave an answer this service cannot use, or "
	    "could not be reached. Please try again in a moment." },
	[ERR_TIMEOUT] = { "provider_timeout", "The sign-in provider is slow",
	    "The sign-in provider did not answer in time. Please try again "
	    "in a moment." },
	[ERR_TOKEN] = { "invalid_token", "Sign-in could not be verified",
	    "The identity the sign-in provider sent failed verification, so "
	    "it was not accepted. Please try again; if it keeps happening, "
	    "the site's administrator will find the reason in the server's "
	    "error log." },
	[ERR_SESSION_TOO_BIG] = { "session_too_large", "Your account "
	    "details are too large",
	    "The sign-in provider sent more information about you than fits "
	    "in this site's cookies. The site's administrator can reduce the "
	    "claims or tokens kept (for example expose_tokens or the scope)." },
	[ERR_TIMEOUT_CLIENT] = { "request_timeout", "Request timed out",
	    "Your browser did not send the whole request in time. Please "
	    "try again." },
};

/*
 * An error page replaces what the handler made, but keeps its Set-Cookie
 * headers (a cleared session stays cleared) and the router's Allow (a
 * 405 must say which methods the address takes).
 */
static void
keep_for_error_page(struct resp *resp)
{
	size_t	n = 0;

	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcmp(resp->headers[i].name, "Set-Cookie") == 0 ||
		    strcmp(resp->headers[i].name, "Allow") == 0 ||
		    strcmp(resp->headers[i].name, "X-Auth-Request-Renew") == 0)
			resp->headers[n++] = resp->headers[i];
	resp->nheaders = n;
	buf_clear(&resp->body);
}

/*
 * The heading and words of a failure the page can say better than the
 * code's default: naming the provider (who, NULL when none), calmly
 * when it was the person's own doing (ERR_PAGE_CALM); NULL: the
 * defaults.
 */
static void
failure_words(struct arena *a, enum err e, const char *who, unsigned page,
    const char **heading, const char **message)
{
	*heading = *message = NULL;
	if ((page & ERR_PAGE_CALM) && e == ERR_UNVERIFIED) {
		*heading = "This sign-in is no longer valid";
		return;
	}
	if (who == NULL)
		return;
	if (page & ERR_PAGE_CALM) {
		*heading = "You did not sign in";
		*message = arena_printf(a, "The sign-in at %s was cancelled or "
		    "declined, so you are not signed in. Nothing has changed.",
		    who);
		return;
	}
	switch (e) {
	case ERR_TIMEOUT:
		*heading = arena_printf(a, "%s is not answering", who);
		*message = arena_printf(a, "%s did not answer in time. Please "
		    "try again in a moment, or sign in another way.", who);
		break;
	case ERR_PROVIDER:
		*heading = arena_printf(a, "%s is not working right now", who);
		*message = arena_printf(a, "%s could not be reached, or gave an "
		    "answer this site cannot use. Please try again in a "
		    "moment, or sign in another way.", who);
		break;
	case ERR_TOKEN:
		*heading = arena_printf(a, "The sign-in with %s could not be "
		    "verified", who);
		break;
	case ERR_DENIED:
		*heading = arena_printf(a, "%s did not sign you in", who);
		*message = arena_printf(a, "%s answered with an error instead of "
		    "signing you in.", who);
		break;
	case ERR_FORBIDDEN:
		*heading = "This account is not allowed here";
		break;
	default:
		break;
	}
}

static void
error_json(struct app *app, struct req *r, struct resp *resp, enum err e,
    const char *message, const char *detail)
{
	json_object	*o = jv_new_object(r->arena);
	const char	*provider = err_about_provider();

	json_object_object_add(o, "error",
	    json_object_new_string(failures[e].code));
	json_object_object_add(o, "message", json_object_new_string(message));
	if (detail != NULL)
		json_object_object_add(o, "detail",
		    json_object_new_string(detail));
	if (provider != NULL)
		json_object_object_add(o, "provider",
		    json_object_new_string(provider));
	if (r->ref != NULL)
		json_object_object_add(o, "reference",
		    json_object_new_string(r->ref));
	if (app_send_json(r, resp, o) != ERR_OK)
		buf_clear(&resp->body);
}

/* The ways on: the retry's words, more actions, the other providers. */
static void
add_ways_on(struct app *app, struct req *r, struct tmpl_ctx *ctx,
    const char *provider)
{
	const char	*url, *label = err_retry_label_get();
	const char	*return_to = err_about_return_to();

	tmpl_set(ctx, "retry_label", label != NULL ? label : "Try again");
	for (unsigned i = 0; err_action_get(i, &url, &label); i++) {
		struct tmpl_ctx *item = tmpl_add_item(ctx, "actions");
		tmpl_set(item, "url", url);
		tmpl_set(item, "label", label);
	}
	if (err_page_get() & ERR_PAGE_OTHERS)
		tmpl_set_bool(ctx, "has_alternatives", app_add_providers(app, r, ctx,
		    "alternatives", provider, return_to != NULL ? return_to :
		    "/") > 0);
}

void
errpage_send(struct app *app, struct req *r, struct resp *resp, int status,
    enum err e)
{
	const char	*message = err_tell_get(), *detail = err_detail_get();
	const char	*retry = err_retry_get(), *provider = err_about_provider();
	const char	*heading = NULL, *said = NULL, *who = NULL;
	unsigned	 page = err_page_get();
	struct tmpl_ctx	*ctx;

	if ((unsigned)e >= ERR__MAX || e == ERR_OK)
		e = ERR_SYSTEM;
	if (provider != NULL)
		who = app_provider_name(app, provider);
	failure_words(r->arena, e, who, page, &heading, &said);
	if (message == NULL)
		message = said != NULL ? said : failures[e].message;
	if (heading == NULL)
		heading = failures[e].heading;
	keep_for_error_page(resp);
	resp->status = status;
	if (req_wants_json(r) || (r->role == REQ_AUTHORIZER &&
	    !app_is_navigation(r)) || (status == 401 && !app_is_navigation(r))) {
		error_json(app, r, resp, e, message, detail);
		return;
	}
	ctx = app_page_ctx(app, r);
	tmpl_set(ctx, "status", arena_printf(r->arena, "%d", status));
	tmpl_set_bool(ctx, "calm", (page & ERR_PAGE_CALM) != 0);
	tmpl_set(ctx, "heading", heading);
	tmpl_set(ctx, "message", message);
	tmpl_set(ctx, "detail", detail);
	tmpl_set(ctx, "detail_label", who != NULL && e == ERR_DENIED ?
	    arena_printf(r->arena, "%s said:", who) : "Details:");
	tmpl_set(ctx, "retry_url", retry);
	tmpl_set(ctx, "ref", r->ref);
	add_ways_on(app, r, ctx, provider);
	if (app_render(app, resp, APP_PAGE_ERROR, ctx, NULL) != ERR_OK) {
		/* A page that does not fit still gets its status. */
		buf_clear(&resp->body);
		buf_puts(&resp->body, heading);
	}
}
