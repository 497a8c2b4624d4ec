#include "config.h"

#include <string.h>

#include "app.h"
#include "errpage.h"
#include "gate.h"
#include "login.h"
#include "logout.h"
#include "renew.h"
#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "buf.h"
#include "cfg.h"
#include "cookie.h"
#include "crypto.h"
#include "log.h"
#include "req.h"
#include "router.h"
#include "url.h"

#define M_GET	(1u << REQ_GET)
#define M_HEAD	(1u << REQ_HEAD)
#define M_POST	(1u << REQ_POST)
#define M_READ	(M_GET | M_HEAD)
#define M_ANY	(M_GET | M_HEAD | M_POST | (1u << REQ_OTHER))

struct route {
	const char	*path;
	int		 prefix;	/* the rest is the argument */
	unsigned	 methods;
	app_handler	 handler;
};

/* Paths are relative to the mount point (base_path). */
static const struct route routes[] = {
	{ "/", 0, M_READ, app_home },
	{ "/login", 0, M_READ, login_start },
	{ "/login/", 1, M_READ, login_start },
	{ "/logout", 0, M_READ, logout_page },
	{ "/logout", 0, M_POST, logout_post },
	{ "/renew", 0, M_READ, renew_page },
	{ "/signed-out", 0, M_READ, logout_signed_out },
	{ "/user", 0, M_READ, app_user },
	{ "/check", 0, M_ANY, gate_check },
	{ "/style.css", 0, M_READ, app_style },
	{ "/healthz", 0, M_READ, app_healthz },
};

/* The callback: redirect_uri's own path, wherever that is mounted. */
static const struct route callback_route = {
	NULL, 0, M_READ, login_callback
};

static const int statuses[ERR__MAX] = {
	[ERR_OK] = 200,
	[ERR_NOMEM] = 500,
	[ERR_SYSTEM] = 500,
	[ERR_CONFIG] = 500,
	[ERR_INPUT] = 400,
	[ERR_TOO_BIG] = 413,
	[ERR_NOT_FOUND] = 404,
	[ERR_METHOD] = 405,
	[ERR_UNVERIFIED] = 400,
	[ERR_UNAUTHENTICATED] = 401,
	[ERR_FORBIDDEN] = 403,
	[ERR_DENIED] = 400,
	[ERR_PROVIDER] = 502,
	[ERR_TIMEOUT] = 504,
	[ERR_TOKEN] = 502,
	[ERR_SESSION_TOO_BIG] = 500,
	[ERR_TIMEOUT_CLIENT] = 408,
};

int
router_status(const struct req *r, enum err e)
{
	if ((unsigned)e >= ERR__MAX || e == ERR_OK)
		return 500;
	/* Without a body, only headers or the URL can be too large. */
	if (e == ERR_TOO_BIG && r->method != REQ_POST)
		return 431;
	return statuses[e];
}

/* Returns path relative to the mount point base, or NULL when not under it. */
static const char *
under_base(const char *path, const char *base)
{
	size_t	blen = strlen(base);

	if (strncmp(path, base, blen) != 0 ||
	    (path[blen] != '/' && path[blen] != '\0'))
		return NULL;
	return path[blen] == '\0' ? "/" : path + blen;
}

/*
 * The path to route on: REQUEST_URI's path with the mount point taken
 * off (REQUEST_URI is the raw URL on every server, where SCRIPT_NAME and
 * PATH_INFO differ between them).  A subrequest keeps the client's
 * REQUEST_URI (nginx's auth_request asking /auth/check for /private/x):
 * then SCRIPT_NAME and PATH_INFO, the server's own view, say where it
 * went.  PATH_INFO alone when the program is mounted elsewhere.
 */
static const char *
relative_path(const struct app *app, const struct req *r)
{
	const char	*base = app->cfg->base_path, *rel;

	if ((rel = under_base(r->path, base)) != NULL)
		return rel;
	if ((rel = under_base(arena_printf(r->arena, "%s%s", r->script_name,
	    r->path_info ? r->path_info : ""), base)) != NULL)
		return rel;
	if (r->path_info != NULL && r->path_info[0] == '/')
		return r->path_info;
	return "/";
}

static int
provider_name_ok(const char *s)
{
	size_t	len = strlen(s);

	if (len == 0 || len > BOUND_PROVIDER_NAME)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* Returns whether rt's path is path; sets *arg for a prefix route. */
static int
path_matches(const struct route *rt, const char *path, const char **arg)
{
	size_t	plen;

	*arg = NULL;
	if (!rt->prefix)
		return strcmp(path, rt->path) == 0;
	plen = strlen(rt->path);
	if (strncmp(path, rt->path, plen) != 0 ||
	    !provider_name_ok(path + plen))
		return 0;
	*arg = path + plen;
	return 1;
}

/* The value of an Allow header for a set of methods. */
static const char *
allow_value(unsigned methods)
{
	static const char *const values[] = {
		"", "GET", "HEAD", "GET, HEAD", "POST", "GET, POST",
		"HEAD, POST", "GET, HEAD, POST",
	};

	return values[methods & (M_GET | M_HEAD | M_POST)];
}

/*
 * Picks among the n routes whose path (path or, for the callback, NULL)
 * matches: the one taking r's method, else a 405 naming the methods the
 * path takes.
 */
static enum err
pick(const struct route *table, size_t n, const struct req *r,
    const char *path, app_handler *handler, const char **arg,
    const char **allow)
{
	unsigned	known = 0;

	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &table[i];

		if (rt->path != NULL && !path_matches(rt, path, arg))
			continue;
		known |= rt->methods;
		if (rt->methods & (1u << r->method)) {
			*handler = rt->handler;
			return ERR_OK;
		}
	}
	*arg = NULL;
	if (known != 0) {
		*allow = allow_value(known);
		err_reason("method %s not allowed", r->method_name);
		return ERR_METHOD;
	}
	err_reason("no route");
	return ERR_NOT_FOUND;
}

enum err
router_route(const struct app *app, const struct req *r,
    app_handler *handler, const char **arg, const char **allow)
{
	*handler = NULL;
	*arg = NULL;
	*allow = NULL;
	/* The callback owns its path, whatever else it looks like. */
	if (strcmp(r->path, app->cfg->redirect_path) == 0)
		return pick(&callback_route, 1, r, r->path, handler, arg,
		    allow);
	return pick(routes, sizeof(routes) / sizeof(routes[0]), r,
	    relative_path(app, r), handler, arg, allow);
}

static enum err
dispatch(struct app *app, struct req *r, struct resp *resp)
{
	app_handler	 handler;
	const char	*arg, *allow;
	enum err	 e;

	if ((e = router_route(app, r, &handler, &arg, &allow)) == ERR_OK)
		return handler(app, r, resp, arg);
	if (e == ERR_METHOD)
		resp_header(resp, "Allow", allow);
	return e;
}

static enum err
parse_input(struct req *r)
{
	enum err	e;

	if (r->input_error != ERR_OK)
		return r->input_error;
	r->jar = arena_alloc(r->arena, sizeof(*r->jar));
	if ((e = cookie_parse(r->arena, r->cookie, r->jar)) != ERR_OK) {
		err_reason("Cookie header over its bounds");
		return e;
	}
	r->params = arena_alloc(r->arena, sizeof(*r->params));
	/* The query belongs to the protected URL. */
	if (r->role == REQ_AUTHORIZER || r->redirect_status == 401)
		return ERR_OK;
	if ((e = url_parse_form(r->arena, r->query, strlen(r->query),
	    r->params)) != ERR_OK) {
		err_reason("query string %s", e == ERR_TOO_BIG ?
		    "has too many parameters" : "is malformed");
		return e == ERR_TOO_BIG ? ERR_TOO_BIG : ERR_INPUT;
	}
	return ERR_OK;
}

/*
 * A failure's reference: random, short enough to read out on the
 * phone, in the log line and on the page.
 */
static const char *
failure_ref(struct arena *a)
{
	unsigned char	raw[BOUND_FAILURE_REF_BYTES];

	if (crypto_random(raw, sizeof(raw)) != ERR_OK)
		return NULL;
	return b64_url_encode_arena(a, raw, sizeof(raw));
}

static void
log_failure(const struct req *r, int status, enum err e)
{
	const char	*reason = err_reason_get();
	void		(*logf)(const char *, ...)
			    __attribute__((format(printf, 1, 2)));

	/* An unauthenticated /check or authorizer call is routine. */
	if (status == 401)
		logf = log_debug;
	else if (status >= 500)
		logf = log_warnx;
	else
		logf = log_info;
	/* The path only: the query may hold a code or a state. */
	/* The reference first: a line's end belongs to its reason. */
	logf("%s%s%s%s %.200s: %d %s%s%s", r->ref ? "ref " : "",
	    r->ref ? r->ref : "", r->ref ? ": " : "", r->method_name, r->path,
	    status, err_str(e), reason[0] ? ": " : "", reason);
}

static enum err
handle(struct app *app, struct req *r, struct resp *resp)
{
	if (r->role == REQ_AUTHORIZER)
		return gate_authorize(app, r, resp, NULL);
	/* Apache's ErrorDocument 401 (or nginx's error_page 401) is us. */
	if (r->redirect_status == 401)
		return gate_refused(app, r, resp, NULL);
	return dispatch(app, r, resp);
}

/*
 * mod_fcgid's access checker turns every refusal into a 401 and keeps
 * its headers for the final response, whose ErrorDocument (oidc-login
 * again, see gate_refused) says everything: the refusal stays bare.
 */
static void
bare_refusal(const struct req *r, struct resp *resp)
{
	if (r->role != REQ_AUTHORIZER || resp->status == 200 ||
	    r->apache_role == NULL ||
	    strcmp(r->apache_role, "ACCESS_CHECKER") != 0)
		return;
	resp->status = 401;
	resp->nheaders = 0;
	buf_clear(&resp->body);
}

void
router_handle(struct app *app, struct req *r, struct resp *resp)
{
	enum err	e;
	int		status;

	if ((e = parse_input(r)) == ERR_OK)
		e = handle(app, r, resp);
	if (e != ERR_OK) {
		status = router_status(r, e);
		r->ref = failure_ref(r->arena);
		log_failure(r, status, e);
		errpage_send(app, r, resp, status, e);
	}
	bare_refusal(r, resp);
}

void
router_serve(struct app *app, struct arena *a, req_getparam get,
    req_readbody rd, req_write wr, void *ctx)
{
	struct req	r;
	struct resp	resp;

	err_clear();
	req_fill(&r, a, get, rd, ctx);
	resp_init(&resp, a);
	router_handle(app, &r, &resp);
	if (resp_send(&resp, r.method == REQ_HEAD, wr, ctx) != ERR_OK)
		log_debug("%s %.200s: client went away", r.method_name,
		    r.path);
}
