#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "cfg_diag.h"
#include "cfg_check.h"
#include "cfg_keys.h"
#include "toml.h"
#include "url.h"

#define STR_(x)		#x
#define STR(x)		STR_(x)

#define G(field)	offsetof(struct cfg, field)
#define P(field)	offsetof(struct cfg_provider, field)

#define GEN_SECRET_HINT	"Generate one with: oidc-login --gen-secret"

/* A key name longer than this is compared with no key. */
#define NEAR_NAME_MAX		64

static enum err	set_redirect_uri(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);
static enum err	set_cookie_secret(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);
static enum err	set_previous(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);
static enum err	set_expose(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);
static enum err	set_required_claims(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);
static enum err	set_auth_params(struct cfg_loader *, struct cfg_target *,
		    const struct cfg_kdef *, const struct toml_value *);

static const char *const logout_modes[] = {
	[CFG_LOGOUT_PROVIDER] = "provider",
	[CFG_LOGOUT_LOCAL] = "local",
};

static const char *const log_levels[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

/* CFG_TOKEN_AUTH_AUTO has no name: it is what leaving the key out means. */
static const char *const token_auth_methods[] = {
	[CFG_TOKEN_AUTH_BASIC] = "client_secret_basic",
	[CFG_TOKEN_AUTH_POST] = "client_secret_post",
	[CFG_TOKEN_AUTH_NONE] = "none",
};

#define NAMES(a)	.names = (a), .nnames = sizeof(a) / sizeof((a)[0])

/* Every key, in the order --help lists them. */
static const struct cfg_kdef kdefs[] = {
	{ .name = "redirect_uri", .where = CFG_K_GLOBAL | CFG_K_REQUIRED,
	  .type = CFG_KT_STRING, .set = set_redirect_uri,
	  .help = "Absolute URL of the callback (https, or http on "
	  "localhost); its path is the callback route." },
	{ .name = "cookie_secret", .where = CFG_K_GLOBAL | CFG_K_REQUIRED,
	  .type = CFG_KT_STRING, .set = set_cookie_secret,
	  .help = "Signs and encrypts the cookies; at least "
	  STR(BOUND_SECRET_MIN) " random characters (oidc-login "
	  "--gen-secret)." },
	{ .name = "cookie_secret_previous", .where = CFG_K_GLOBAL,
	  .type = CFG_KT_LIST, .set = set_previous, .def_doc = "none",
	  .help = "Earlier secrets (at most " STR(BOUND_SECRETS_PREVIOUS)
	  "), still accepted to verify cookies, never used to sign." },
	{ .name = "expose_tokens", .where = CFG_K_GLOBAL, .type = CFG_KT_LIST,
	  .set = set_expose, .def_doc = "none",
	  .help = "\"id\", \"access\" or both: those tokens are kept "
	  "(encrypted) and shown in /user." },
	{ .name = "cookie_max_age", .where = CFG_K_GLOBAL, .type = CFG_KT_INT,
	  .min = BOUND_SESSION_MAX_AGE_MIN, .max = BOUND_SESSION_MAX_AGE_MAX,
	  .goff = G(cookie_max_age), .def = STR(BOUND_SESSION_MAX_AGE_DEFAULT),
	  .help = "Session lifetime in seconds (" STR(BOUND_SESSION_MAX_AGE_MIN)
	  " to " STR(BOUND_SESSION_MAX_AGE_MAX) ")." },
	{ .name = "session_idle_timeout", .where = CFG_K_GLOBAL,
	  .type = CFG_KT_INT, .min = 0, .max = BOUND_SESSION_MAX_AGE_MAX,
	  .goff = G(idle_timeout), .def = "0",
	  .help = "Seconds without a request after which a session is over "
	  "(0: no idle timeout; else at least " STR(BOUND_SESSION_IDLE_MIN)
	  ")." },
	{ .name = "revalidate_after", .where = CFG_K_GLOBAL | CFG_K_PROVIDER,
	  .type = CFG_KT_INT, .min = 0, .max = BOUND_SESSION_MAX_AGE_MAX,
	  .goff = G(revalidate_after), .poff = P(revalidate_after),
	  .def = "0",
	  .help = "Seconds after the provider last vouched for the user that "
	  "a session must be renewed with it before it is honoured again "
	  "(0: never; else at least " STR(BOUND_SESSION_IDLE_MIN) "; per "
	  "provider: overrides the [auth] value)." },
	{ .name = "cookie_name", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(cookie_name), .def = "\"oidc_login\"",
	  .check = cfg_check_cookie_name,
	  .help = "Base name of the cookies (letters, digits, '_', '-'); "
	  "__Host- is added under https." },
	{ .name = "cookie_path", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(cookie_path), .def = "\"/\"", .check = cfg_check_cookie_path,
	  .help = "Path attribute of the cookies." },
	{ .name = "page_title", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(page_title), .check = cfg_check_label,
	  .def_doc = "the host of redirect_uri",
	  .help = "The site's name on every page (above the heading and in "
	  "the window title)." },
	{ .name = "template_dir", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(template_dir), .def = "\"" TEMPLATE_DIR "\"",
	  .check = cfg_check_nonempty,
	  .help = "Directory of the HTML templates." },
	{ .name = "logout_mode", .where = CFG_K_GLOBAL, .type = CFG_KT_ENUM,
	  .goff = G(logout), NAMES(logout_modes), .def = "\"provider\"",
	  .help = "\"provider\": also sign out at the provider when it offers "
	  "it; \"local\": clear our cookies only." },
	{ .name = "post_logout_redirect_uri",
	  .where = CFG_K_GLOBAL | CFG_K_PROVIDER, .type = CFG_KT_STRING,
	  .goff = G(post_logout_redirect_uri),
	  .poff = P(post_logout_redirect_uri), .check = cfg_check_url,
	  .def_doc = "the origin of redirect_uri + \"/\"",
	  .help = "Where the browser goes after logout (per provider: "
	  "overrides the [auth] value)." },
	{ .name = "home_url", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(home_url), .check = cfg_check_url,
	  .def_doc = "the origin of redirect_uri + \"/\"",
	  .help = "The site's home page, where \"Go to the home page\" "
	  "leads." },
	{ .name = "http_timeout", .where = CFG_K_GLOBAL, .type = CFG_KT_INT,
	  .min = 1, .max = BOUND_HTTP_TIMEOUT_MAX, .goff = G(http_timeout),
	  .def = STR(BOUND_HTTP_TIMEOUT_DEFAULT),
	  .help = "Total seconds one call to a provider may take." },
	{ .name = "http_connect_timeout", .where = CFG_K_GLOBAL,
	  .type = CFG_KT_INT, .min = 1, .max = BOUND_HTTP_TIMEOUT_MAX,
	  .goff = G(http_connect_timeout),
	  .def = STR(BOUND_HTTP_CONNECT_DEFAULT),
	  .help = "Seconds to connect to a provider (at most http_timeout)." },
	{ .name = "http_ca_file", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(http_ca_file), .check = cfg_check_ca_file,
	  .def_doc = "the system's CA store",
	  .help = "CA certificates (PEM) that providers' TLS certificates "
	  "are checked against." },
	{ .name = "clock_skew", .where = CFG_K_GLOBAL, .type = CFG_KT_INT,
	  .min = 0, .max = BOUND_CLOCK_SKEW_MAX, .goff = G(clock_skew),
	  .def = STR(BOUND_CLOCK_SKEW_DEFAULT),
	  .help = "Seconds of clock difference allowed for exp, nbf and "
	  "iat." },
	{ .name = "metadata_ttl", .where = CFG_K_GLOBAL, .type = CFG_KT_INT,
	  .min = BOUND_METADATA_TTL_MIN, .max = BOUND_METADATA_TTL_MAX,
	  .goff = G(metadata_ttl), .def = STR(BOUND_METADATA_TTL_DEFAULT),
	  .help = "Seconds discovery documents and JWKS are cached." },
	{ .name = "user_claim", .where = CFG_K_GLOBAL | CFG_K_PROVIDER,
	  .type = CFG_KT_STRING, .goff = G(user_claim), .poff = P(user_claim),
	  .def = "\"email\"", .check = cfg_check_claim_name,
	  .help = "The claim that identifies a user (REMOTE_USER); nothing "
	  "else stands in for it. \"email\" counts only when the provider "
	  "says it is verified (per provider: overrides the [auth] "
	  "value)." },
	{ .name = "assume_email_verified", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_BOOL, .poff = P(assume_email_verified),
	  .def = "false",
	  .help = "Take an email without an email_verified claim as "
	  "verified: only for a provider known to verify every address "
	  "(email_verified = false is still refused)." },
	{ .name = "log_level", .where = CFG_K_GLOBAL, .type = CFG_KT_ENUM,
	  .goff = G(log_level), NAMES(log_levels), .def = "\"info\"",
	  .help = "\"error\", \"warn\", \"info\" or \"debug\"." },
	{ .name = "log_file", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(log_file), .check = cfg_check_absolute_path,
	  .def_doc = "stderr (the server's error log)",
	  .help = "A file the log lines are appended to instead, for servers "
	  "that discard their FastCGI programs' stderr." },
	{ .name = "runtime_dir", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(runtime_dir), .check = cfg_check_absolute_path,
	  .def_doc = "$RUNTIME_DIRECTORY, /run/oidc-login or /tmp",
	  .help = "Where the processes of this host record the login states "
	  "already used, so that a callback cannot be replayed." },
	{ .name = "base_path", .where = CFG_K_GLOBAL, .type = CFG_KT_STRING,
	  .goff = G(base_path), .check = cfg_check_base_path,
	  .def_doc = "the directory of redirect_uri's path",
	  .help = "Where the program is mounted, e.g. \"/auth\" (\"\" for "
	  "the root)." },
	{ .name = "allowed_email_domains",
	  .where = CFG_K_GLOBAL | CFG_K_PROVIDER | CFG_K_FOLD,
	  .type = CFG_KT_LIST, .goff = G(rules.email_domains),
	  .poff = P(rules.email_domains), .check = cfg_check_domain,
	  .def_doc = "any",
	  .help = "Only users whose verified email is in one of these "
	  "domains may sign in." },
	{ .name = "allowed_emails",
	  .where = CFG_K_GLOBAL | CFG_K_PROVIDER | CFG_K_FOLD,
	  .type = CFG_KT_LIST, .goff = G(rules.emails), .poff = P(rules.emails),
	  .check = cfg_check_email, .def_doc = "any",
	  .help = "Only these verified email addresses may sign in." },
	{ .name = "required_claims", .where = CFG_K_GLOBAL | CFG_K_PROVIDER,
	  .type = CFG_KT_TABLE, .set = set_required_claims, .def_doc = "none",
	  .help = "Table of claim = value pairs the identity must carry." },
	{ .name = "client_id", .where = CFG_K_PROVIDER | CFG_K_REQUIRED,
	  .type = CFG_KT_STRING, .poff = P(client_id),
	  .check = cfg_check_nonempty,
	  .help = "The client id registered at the provider." },
	{ .name = "client_secret", .where = CFG_K_PROVIDER | CFG_K_REQUIRED,
	  .type = CFG_KT_STRING, .poff = P(client_secret),
	  .check = cfg_check_client_secret,
	  .help = "The client secret (not with token_endpoint_auth_method "
	  "= \"none\")." },
	{ .name = "server_metadata_url",
	  .where = CFG_K_PROVIDER | CFG_K_REQUIRED, .type = CFG_KT_STRING,
	  .poff = P(server_metadata_url), .check = cfg_check_callable_url,
	  .help = "The provider's discovery document "
	  "(.../.well-known/openid-configuration)." },
	{ .name = "client_kwargs", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_TABLE, .set = set_auth_params,
	  .def_doc = "scope = \"openid email profile\"",
	  .help = "scope (string or array, with openid) and extra "
	  "authorization parameters (prompt, login_hint, hd, ...)." },
	{ .name = "authorize_params", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_TABLE, .set = set_auth_params, .def_doc = "none",
	  .help = "More authorization parameters (Authlib's spelling)." },
	{ .name = "display_name", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_STRING, .poff = P(display_name),
	  .check = cfg_check_display_name,
	  .def_doc = "from the name, e.g. \"Google\"",
	  .help = "Label of the provider's button." },
	{ .name = "token_endpoint_auth_method", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_ENUM, .poff = P(token_auth),
	  NAMES(token_auth_methods),
	  .def_doc = "from the provider's metadata",
	  .help = "\"client_secret_basic\", \"client_secret_post\" or "
	  "\"none\" (public client, PKCE only); without it, basic when the "
	  "provider lists it or lists none, else post." },
	{ .name = "use_refresh_token", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_BOOL, .poff = P(use_refresh_token), .def = "false",
	  .help = "Ask for a refresh token (scope offline_access when the "
	  "provider offers it) and keep it, encrypted, to renew the session "
	  "with the provider without the browser (see revalidate_after)." },
	{ .name = "userinfo", .where = CFG_K_PROVIDER, .type = CFG_KT_BOOL,
	  .poff = P(userinfo), .def = "true",
	  .help = "Call the userinfo endpoint after the code exchange." },
	{ .name = "issuer", .where = CFG_K_PROVIDER, .type = CFG_KT_STRING,
	  .poff = P(issuer), .check = cfg_check_url,
	  .def_doc = "server_metadata_url without /.well-known/...",
	  .help = "The expected issuer, matched exactly; without it, the "
	  "derived one, with or without a final '/' as the document says." },
	{ .name = "id_token_hmac_algs", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_LIST, .poff = P(hmac_algs), .check = cfg_check_hmac_alg,
	  .def_doc = "none",
	  .help = "HS256, HS384, HS512: ID tokens signed with the client "
	  "secret that are accepted." },
	{ .name = "allowed_tenants", .where = CFG_K_PROVIDER,
	  .type = CFG_KT_LIST, .poff = P(allowed_tenants),
	  .check = cfg_check_tenant, .def_doc = "none",
	  .help = "Microsoft Entra tenant ids (GUIDs) accepted from a "
	  "multi-tenant issuer." },
};

#define NKDEFS	(sizeof(kdefs) / sizeof(kdefs[0]))

_Static_assert(NKDEFS <= CFG_KEYS_MAX, "cfg_target.seen has a slot per key");

/* Parameters the login flow sets itself. */
static const char *const owned_params[] = {
	"response_type", "client_id", "redirect_uri", "state", "nonce",
	"code_challenge", "code_challenge_method", "code_verifier",
};

/* Authorization parameters people write beside client_kwargs by mistake. */
static const char *const auth_params[] = {
	"scope", "prompt", "login_hint", "hd", "domain_hint", "acr_values",
	"audience", "resource", "response_mode", "max_age", "ui_locales",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* --- Finding keys. ----------------------------------------------------- */

const struct cfg_kdef *
cfg_keys_find(const char *name)
{
	for (size_t i = 0; i < NKDEFS; i++)
		if (strcmp(kdefs[i].name, name) == 0)
			return &kdefs[i];
	return NULL;
}

static size_t
kdef_index(const struct cfg_kdef *k)
{
	return (size_t)(k - kdefs);
}

const char *
cfg_keys_seen(const struct cfg_target *t, const char *name)
{
	const struct cfg_kdef	*k = cfg_keys_find(name);

	return k != NULL ? t->seen[kdef_index(k)] : NULL;
}

int
cfg_keys_is_auth_param(const char *name)
{
	for (size_t i = 0; i < NELEM(auth_params); i++)
		if (strcmp(name, auth_params[i]) == 0)
			return 1;
	return 0;
}

/* name in lower case without '_' and '-', into out (NEAR_NAME_MAX + 1). */
static void
squash(const char *name, char *out)
{
	size_t	n = 0;

	for (; *name != '\0' && n < NEAR_NAME_MAX; name++)
		if (*name != '_' && *name != '-')
			out[n++] = (char)(*name >= 'A' && *name <= 'Z' ?
			    *name - 'A' + 'a' : *name);
	out[n] = '\0';
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t	m = a < b ? a : b;

	return m < c ? m : c;
}

/* Edits (insert, delete, replace, swap two neighbours) from a to b. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t	d[NEAR_NAME_MAX + 1][NEAR_NAME_MAX + 1];
	size_t	n = strlen(a), m = strlen(b);

	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 <
			    d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[n][m];
}

const char *
cfg_keys_near(const char *name, unsigned where)
{
	char		 want[NEAR_NAME_MAX + 1], have[NEAR_NAME_MAX + 1];
	const char	*best = NULL;
	size_t		 best_d = (size_t)-1, limit;

	if (strlen(name) > NEAR_NAME_MAX)
		return NULL;
	squash(name, want);
	/* Short names are near by chance: one edit for them, two for others. */
	limit = strlen(want) <= 6 ? 1 : 2;
	for (size_t i = 0; i < NKDEFS; i++) {
		size_t	d;

		if (!(kdefs[i].where & where))
			continue;
		squash(kdefs[i].name, have);
		if ((d = edit_distance(want, have)) <= limit && d < best_d) {
			best = kdefs[i].name;
			best_d = d;
		}
	}
	return best;
}

char *
cfg_keys_lower(struct arena *a, const char *s)
{
	char	*l = arena_strdup(a, s);

	for (char *p = l; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

/* --- Keeping values. --------------------------------------------------- */

enum err
cfg_keys_keep(struct cfg_loader *L, char **dst, const char *s)
{
	char	*copy;

	if ((copy = strdup(s)) == NULL)
		return cfg_diag_nomem(L);
	free(*dst);
	*dst = copy;
	return ERR_OK;
}

static enum err
keep_secret(struct cfg_loader *L, struct cfg_secret *dst,
    const struct toml_value *v)
{
	if ((dst->bytes = malloc(v->len)) == NULL)
		return cfg_diag_nomem(L);
	memcpy(dst->bytes, v->str, v->len);
	dst->len = v->len;
	return ERR_OK;
}

static enum err
keep_pair(struct cfg_loader *L, struct cfg_pair **pairs, size_t *n,
    const char *name, const char *value)
{
	struct cfg_pair	*grown;

	if ((grown = reallocarray(*pairs, *n + 1, sizeof(**pairs))) == NULL)
		return cfg_diag_nomem(L);
	*pairs = grown;
	grown[*n].name = strdup(name);
	grown[*n].value = strdup(value);
	(*n)++;
	if (grown[*n - 1].name == NULL || grown[*n - 1].value == NULL)
		return cfg_diag_nomem(L);
	return ERR_OK;
}

static enum err
keep_item(struct cfg_loader *L, struct cfg_list *l, const char *s)
{
	char	**grown;

	if ((grown = reallocarray(l->items, l->n + 1, sizeof(*grown))) == NULL)
		return cfg_diag_nomem(L);
	l->items = grown;
	if ((l->items[l->n] = strdup(s)) == NULL)
		return cfg_diag_nomem(L);
	l->n++;
	return ERR_OK;
}

/* The field a generic key is kept in, in t's scope. */
static void *
field_of(const struct cfg_target *t, const struct cfg_kdef *k)
{
	if (t->p != NULL && (k->where & CFG_K_PROVIDER))
		return (char *)t->p + k->poff;
	return (char *)t->cfg + k->goff;
}

static void
items_of(const struct toml_value *v, const struct toml_value **items,
    size_t *n)
{
	if (v->type == TOML_ARRAY) {
		*items = v->items;
		*n = v->nitems;
	} else {
		*items = v;
		*n = 1;
	}
}

/* A key's value as the words of a message: "an integer", "a table". */
static const char *
a_type(enum toml_type type)
{
	return type == TOML_INTEGER || type == TOML_ARRAY ? "an" : "a";
}

static enum err __attribute__((format(printf, 5, 6)))
bad(struct cfg_loader *L, const struct cfg_target *t, const char *key,
    const char *at, const char *fmt, ...)
{
	char	msg[BOUND_CONFIG_MESSAGE];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cfg_diag_fail(L, t, key, at, "%s", msg);
}

static enum err
check_string(struct cfg_loader *L, const struct cfg_target *t,
    const char *key, const struct toml_value *v, const char *what)
{
	if (v->type != TOML_STRING)
		return bad(L, t, key, v->at, "must be %s, not %s %s", what,
		    a_type(v->type), toml_type_name(v->type));
	if (cfg_check_has_control(v->str))
		return bad(L, t, key, v->at, "must not contain control "
		    "characters");
	return ERR_OK;
}

/* The checks a key's type implies, before its own. */
static enum err
check_type(struct cfg_loader *L, const struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	const struct toml_value	*items;
	size_t			 n;
	enum err		 e;

	switch (k->type) {
	case CFG_KT_STRING:
	case CFG_KT_ENUM:
		return check_string(L, t, k->name, v, "a string in quotes");
	case CFG_KT_INT:
		if (v->type != TOML_INTEGER)
			return bad(L, t, k->name, v->at, "must be an integer "
			    "(a number without quotes), not %s %s",
			    a_type(v->type), toml_type_name(v->type));
		if (v->integer < k->min || v->integer > k->max)
			return bad(L, t, k->name, v->at, "%lld is out of "
			    "range. Use a value from %lld to %lld",
			    v->integer, k->min, k->max);
		return ERR_OK;
	case CFG_KT_BOOL:
		if (v->type != TOML_BOOLEAN)
			return bad(L, t, k->name, v->at, "must be true or "
			    "false (without quotes), not %s %s",
			    a_type(v->type), toml_type_name(v->type));
		return ERR_OK;
	case CFG_KT_LIST:
		items_of(v, &items, &n);
		for (size_t i = 0; i < n; i++)
			if ((e = check_string(L, t, k->name, &items[i],
			    "a string or an array of strings")) != ERR_OK)
				return e;
		return ERR_OK;
	case CFG_KT_TABLE:
		if (v->type != TOML_TABLE)
			return bad(L, t, k->name, v->at, "must be a table, "
			    "e.g. %s = { name = \"value\" }, not %s %s",
			    k->name, a_type(v->type), toml_type_name(v->type));
		return ERR_OK;
	}
	return ERR_OK;
}

static enum err
set_list(struct cfg_loader *L, struct cfg_target *t, const struct cfg_kdef *k,
    const struct toml_value *v)
{
	struct cfg_list		*list = field_of(t, k);
	const struct toml_value	*items;
	const char		*why;
	size_t			 n;
	enum err		 e;

	items_of(v, &items, &n);
	if (n > BOUND_CONFIG_LIST)
		return bad(L, t, k->name, v->at, "more than %d entries",
		    BOUND_CONFIG_LIST);
	for (size_t i = 0; i < n; i++) {
		if (k->check != NULL &&
		    (why = k->check(L->arena, &items[i])) != NULL)
			return bad(L, t, k->name, items[i].at, "%s", why);
		if ((e = keep_item(L, list, (k->where & CFG_K_FOLD) ?
		    cfg_keys_lower(L->arena, items[i].str) : items[i].str)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
set_enum(struct cfg_loader *L, struct cfg_target *t, const struct cfg_kdef *k,
    const struct toml_value *v)
{
	char	*known = arena_strdup(L->arena, "");
	size_t	 left = 0;

	for (size_t i = 0; i < k->nnames; i++) {
		if (k->names[i] == NULL)
			continue;
		if (strcmp(v->str, k->names[i]) == 0) {
			*(int *)field_of(t, k) = (int)i;
			return ERR_OK;
		}
		left++;
	}
	for (size_t i = 0; i < k->nnames; i++) {
		if (k->names[i] == NULL)
			continue;
		known = arena_printf(L->arena, "%s%s\"%s\"", known,
		    *known == '\0' ? "" : left == 1 ? " or " : ", ",
		    k->names[i]);
		left--;
	}
	return bad(L, t, k->name, v->at, "\"%s\" is not supported. Use %s",
	    v->str, known);
}

/* The setter of every key without one of its own, by its type. */
static enum err
set_by_type(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	const char	*why;

	switch (k->type) {
	case CFG_KT_STRING:
		if (k->check != NULL && (why = k->check(L->arena, v)) != NULL)
			return bad(L, t, k->name, v->at, "%s", why);
		return cfg_keys_keep(L, field_of(t, k), v->str);
	case CFG_KT_INT:
		*(long long *)field_of(t, k) = v->integer;
		return ERR_OK;
	case CFG_KT_BOOL:
		*(int *)field_of(t, k) = v->boolean;
		return ERR_OK;
	case CFG_KT_LIST:
		return set_list(L, t, k, v);
	case CFG_KT_ENUM:
		return set_enum(L, t, k, v);
	case CFG_KT_TABLE:
		break;
	}
	return bad(L, t, k->name, v->at, "internal error: no setter");
}

/* --- Keys with setters of their own. ------------------------------------ */

static enum err
set_redirect_uri(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	struct cfg	*cfg = t->cfg;
	struct url_info	 info;
	const char	*why;
	enum err	 e;

	if ((why = cfg_check_url(L->arena, v)) != NULL)
		return bad(L, t, k->name, v->at, "%s", why);
	(void)url_parse_http(L->arena, v->str, &info);
	if (!info.https && !info.loopback)
		return bad(L, t, k->name, v->at, "redirect_uri must use https; "
		    "plain http is accepted only for localhost / 127.0.0.1");
	cfg->secure = info.https;
	if ((e = cfg_keys_keep(L, &cfg->redirect_uri, v->str)) != ERR_OK ||
	    (e = cfg_keys_keep(L, &cfg->redirect_path, info.path)) != ERR_OK)
		return e;
	return cfg_keys_keep(L, &cfg->origin, info.origin);
}

static enum err
check_secret(struct cfg_loader *L, const struct cfg_target *t,
    const char *key, const struct toml_value *v)
{
	const char	*why;

	if ((why = cfg_check_secret(L->arena, v->str, v->len)) != NULL)
		return bad(L, t, key, v->at, "%s. " GEN_SECRET_HINT, why);
	return ERR_OK;
}

static enum err
set_cookie_secret(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	enum err	e;

	if ((e = check_secret(L, t, k->name, v)) != ERR_OK)
		return e;
	return keep_secret(L, &t->cfg->secret, v);
}

static enum err
set_previous(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	const struct toml_value	*items;
	size_t			 n;
	enum err		 e;

	items_of(v, &items, &n);
	if (n > BOUND_SECRETS_PREVIOUS)
		return bad(L, t, k->name, v->at, "%zu secrets; at most %d are "
		    "accepted. Drop the oldest", n, BOUND_SECRETS_PREVIOUS);
	for (size_t i = 0; i < n; i++) {
		if ((e = check_secret(L, t, k->name, &items[i])) != ERR_OK ||
		    (e = keep_secret(L, &t->cfg->previous[i], &items[i])) !=
		    ERR_OK)
			return e;
		t->cfg->nprevious = i + 1;
	}
	return ERR_OK;
}

static enum err
set_expose(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	const struct toml_value	*items;
	size_t			 n;

	items_of(v, &items, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(items[i].str, "id") == 0)
			t->cfg->expose_id = 1;
		else if (strcmp(items[i].str, "access") == 0)
			t->cfg->expose_access = 1;
		else
			return bad(L, t, k->name, items[i].at, "\"%s\": only "
			    "'id' and 'access' are allowed", items[i].str);
	}
	return ERR_OK;
}

/* A scalar table entry as text: strings as they are, numbers, booleans. */
static const char *
scalar_text(struct arena *a, const struct toml_value *v)
{
	switch (v->type) {
	case TOML_STRING:
		return v->str;
	case TOML_INTEGER:
		return arena_printf(a, "%lld", v->integer);
	case TOML_BOOLEAN:
		return v->boolean ? "true" : "false";
	default:
		return NULL;
	}
}

/* One entry of a table of name = scalar pairs; *text is its value. */
static enum err
check_entry(struct cfg_loader *L, const struct cfg_target *t, const char *key,
    const struct toml_member *m, const char **text)
{
	if ((*text = scalar_text(L->arena, &m->value)) == NULL)
		return bad(L, t, key, m->at, "must be a string, an integer or "
		    "a boolean, not %s %s", a_type(m->value.type),
		    toml_type_name(m->value.type));
	if (cfg_check_has_control(*text))
		return bad(L, t, key, m->at, "must not contain control "
		    "characters");
	return ERR_OK;
}

static struct cfg_rules *
rules_of(const struct cfg_target *t)
{
	return t->p != NULL ? &t->p->rules : &t->cfg->rules;
}

static enum err
set_required_claims(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	const struct toml_table	*tb = v->table;
	struct cfg_rules	*r = rules_of(t);
	const char		*text;
	enum err		 e;

	if (tb->n > BOUND_CONFIG_LIST)
		return bad(L, t, k->name, v->at, "more than %d claims",
		    BOUND_CONFIG_LIST);
	for (size_t i = 0; i < tb->n; i++) {
		const struct toml_member *m = tb->members[i];
		char	*key = arena_printf(L->arena, "%s.%s", k->name, m->key);

		if (m->key[0] == '\0' || cfg_check_has_control(m->key))
			return bad(L, t, key, m->at, "not a claim name");
		if ((e = check_entry(L, t, key, m, &text)) != ERR_OK ||
		    (e = keep_pair(L, &r->claims, &r->nclaims, m->key,
		    text)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static int
is_owned_param(const char *name, const struct toml_value *v)
{
	for (size_t i = 0; i < NELEM(owned_params); i++)
		if (strcmp(name, owned_params[i]) == 0)
			return 1;
	return strcmp(name, "response_mode") == 0 &&
	    (v->type != TOML_STRING || strcmp(v->str, "query") != 0);
}

/* scope: a string or an array of words, that must hold "openid". */
static enum err
set_scope(struct cfg_loader *L, struct cfg_target *t, const char *key,
    const struct toml_value *v)
{
	const struct toml_value	*items;
	char			*scope = arena_strdup(L->arena, ""), *w;
	size_t			 n;
	int			 openid = 0;

	if (t->p->scope != NULL)
		return bad(L, t, key, v->at, "scope is given twice (in "
		    "client_kwargs and authorize_params). Keep one");
	if (v->type != TOML_STRING && v->type != TOML_ARRAY)
		return bad(L, t, key, v->at, "must be a string such as "
		    "\"openid email profile\" or an array of strings");
	items_of(v, &items, &n);
	for (size_t i = 0; i < n; i++) {
		if (items[i].type != TOML_STRING ||
		    cfg_check_has_control(items[i].str))
			return bad(L, t, key, items[i].at, "must be a string "
			    "or an array of strings");
		scope = arena_printf(L->arena, "%s%s%s", scope,
		    i > 0 ? " " : "", items[i].str);
	}
	for (char *p = arena_strdup(L->arena, scope); (w = strsep(&p, " ")) !=
	    NULL;)
		if (strcmp(w, "openid") == 0)
			openid = 1;
	if (!openid)
		return bad(L, t, key, v->at, "\"%s\" does not contain "
		    "\"openid\". Add it: OpenID Connect needs it", scope);
	return cfg_keys_keep(L, &t->p->scope, scope);
}

static enum err
add_auth_param(struct cfg_loader *L, struct cfg_target *t, const char *key,
    const struct toml_member *m)
{
	struct cfg_provider	*p = t->p;
	const char		*text;
	enum err		 e;

	if (m->key[0] == '\0' || strspn(m->key, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(m->key))
		return bad(L, t, key, m->at, "not a parameter name (letters, "
		    "digits, '_', '.' and '-')");
	if (is_owned_param(m->key, &m->value))
		return bad(L, t, key, m->at, "oidc-login sets this itself. "
		    "Remove it (refused: response_type, client_id, "
		    "redirect_uri, state, nonce, code_challenge*, "
		    "code_verifier, response_mode other than \"query\")");
	if ((e = check_entry(L, t, key, m, &text)) != ERR_OK)
		return e;
	for (size_t j = 0; j < p->nparams; j++)
		if (strcmp(p->params[j].name, m->key) == 0)
			return bad(L, t, key, m->at, "given in both "
			    "client_kwargs and authorize_params. Keep one");
	if (p->nparams == BOUND_CONFIG_LIST)
		return bad(L, t, key, m->at, "more than %d authorization "
		    "parameters", BOUND_CONFIG_LIST);
	return keep_pair(L, &p->params, &p->nparams, m->key, text);
}

/* client_kwargs and authorize_params. */
static enum err
set_auth_params(struct cfg_loader *L, struct cfg_target *t,
    const struct cfg_kdef *k, const struct toml_value *v)
{
	const struct toml_table	*tb = v->table;
	enum err		 e;

	for (size_t i = 0; i < tb->n; i++) {
		const struct toml_member *m = tb->members[i];
		char	*key = arena_printf(L->arena, "%s.%s", k->name, m->key);

		if (strcmp(m->key, "scope") == 0)
			e = set_scope(L, t, key, &m->value);
		else
			e = add_auth_param(L, t, key, m);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* --- Applying. --------------------------------------------------------- */

enum err
cfg_keys_apply(struct cfg_loader *L, struct cfg_target *t,
    const struct toml_member *m)
{
	const struct cfg_kdef	*k = cfg_keys_find(m->key);
	enum err		 e;

	if (k == NULL)
		return bad(L, t, m->key, m->at, "internal error: unknown key");
	if ((e = check_type(L, t, k, &m->value)) != ERR_OK)
		return e;
	t->seen[kdef_index(k)] = m->at;
	return (k->set != NULL ? k->set : set_by_type)(L, t, k, &m->value);
}

enum err
cfg_keys_defaults(struct cfg_loader *L, struct cfg_target *t, unsigned where)
{
	struct toml_value	v;
	enum err		e;

	for (size_t i = 0; i < NKDEFS; i++) {
		const struct cfg_kdef	*k = &kdefs[i];

		if (!(k->where & where) || k->def == NULL || t->seen[i] != NULL)
			continue;
		/* A provider inherits what [auth] sets: see finish_global. */
		if (t->p != NULL && (k->where & CFG_K_GLOBAL))
			continue;
		if (toml_value_parse(L->arena, k->def, strlen(k->def), &v) !=
		    ERR_OK)
			return bad(L, t, k->name, NULL, "internal error: bad "
			    "default %s", k->def);
		if ((e = (k->set != NULL ? k->set : set_by_type)(L, t, k,
		    &v)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* --- Help. ------------------------------------------------------------- */

static const char *
type_doc(enum cfg_ktype type)
{
	switch (type) {
	case CFG_KT_STRING:
	case CFG_KT_ENUM:
		return "string";
	case CFG_KT_INT:
		return "integer";
	case CFG_KT_BOOL:
		return "boolean";
	case CFG_KT_LIST:
		return "string or array of strings";
	case CFG_KT_TABLE:
		return "table";
	}
	return "value";
}

static void
print_group(FILE *fp, unsigned where)
{
	for (size_t i = 0; i < NKDEFS; i++) {
		const struct cfg_kdef	*k = &kdefs[i];

		if (!(k->where & where))
			continue;
		fprintf(fp, "  %s (%s", k->name, type_doc(k->type));
		if (k->where & CFG_K_REQUIRED)
			fprintf(fp, ", required");
		else if (k->def != NULL)
			fprintf(fp, ", default: %s", k->def);
		else if (k->def_doc != NULL)
			fprintf(fp, ", default: %s", k->def_doc);
		fprintf(fp, ")\n      %s\n", k->help);
	}
}

void
cfg_keys_print(FILE *fp)
{
	fprintf(fp, "[auth]: shared by all providers\n");
	print_group(fp, CFG_K_GLOBAL);
	fprintf(fp, "\n[auth.NAME]: one provider; its keys may also sit in "
	    "[auth] for the provider named \"default\"\n");
	print_group(fp, CFG_K_PROVIDER);
}
