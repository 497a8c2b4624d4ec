#include "config.h"

#include <string.h>
#include <strings.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "cfg.h"
#include "crypto.h"
#include "discovery.h"
#include "http.h"
#include "jv.h"
#include "oidc.h"
#include "tenant.h"
#include "url.h"

/* RFC 7636 §4.1: a code verifier is 43 to 128 unreserved characters. */
#define PKCE_VERIFIER_MIN	43
#define PKCE_VERIFIER_MAX	128

#define OIDC_SCOPE_DEFAULT	"openid email profile"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Authorization request parameters the flow sets: never from config. */
static const char *const flow_params[] = {
	"response_type", "client_id", "redirect_uri", "scope", "state",
	"nonce",
};
#define FLOW_PARAM_PREFIX	"code_challenge"

/*
 * ID token claims userinfo may not replace: they carry the protocol's
 * guarantees (who issued, for whom, when, which tenant), which an
 * unsigned userinfo answer cannot give.
 */
static const char *const protected_claims[] = {
	"iss", "sub", "aud", "azp", "exp", "iat", "nbf", "nonce", "at_hash",
	"c_hash", "auth_time", "acr", "amr", "sid", "tid", "jti",
};

static int
in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Appends query to endpoint, which may already carry a query of its own. */
static char *
with_query(struct arena *a, const char *endpoint, const char *query)
{
	size_t		 n = strlen(endpoint);
	const char	*sep = "?";

	if (strchr(endpoint, '?') != NULL)
		sep = endpoint[n - 1] == '?' || endpoint[n - 1] == '&' ?
		    "" : "&";
	return arena_printf(a, "%s%s%s", endpoint, sep, query);
}

static int
verifier_ok(const char *v)
{
	size_t	len = strlen(v);

	if (len < PKCE_VERIFIER_MIN || len > PKCE_VERIFIER_MAX)
		return 0;
	for (; *v != '\0'; v++)
		if (!((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
		    (*v >= '0' && *v <= '9') || *v == '-' || *v == '.' ||
		    *v == '_' || *v == '~'))
			return 0;
	return 1;
}

static enum err
pkce_challenge(struct arena *a, const char *verifier, char **out)
{
	unsigned char	md[64];
	size_t		mdlen;
	enum err	e;

	if (!verifier_ok(verifier)) {
		err_reason("PKCE verifier is not 43 to 128 unreserved "
		    "characters");
		return ERR_INPUT;
	}
	if ((e = crypto_digest(CRYPTO_SHA256, verifier, strlen(verifier), md,
	    &mdlen)) != ERR_OK)
		return e;
	*out = b64_url_encode_arena(a, md, mdlen);
	return ERR_OK;
}

/* Returns 1 when the space-separated list holds word. */
static int
has_word(const char *list, const char *word)
{
	size_t	n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

/*
 * The scope: the configured one, with offline_access when refresh tokens
 * are wanted and the provider offers that scope (others, such as Google,
 * are asked through their own parameter: access_type=offline).
 */
static const char *
scope_of(struct arena *a, const struct cfg_provider *p,
    const struct discovery *d)
{
	const char	*scope = p->scope != NULL ? p->scope : OIDC_SCOPE_DEFAULT;

	if (p->use_refresh_token && d->offline_access &&
	    !has_word(scope, "offline_access"))
		return arena_printf(a, "%s offline_access", scope);
	return scope;
}

enum err
oidc_authorize_url(struct arena *a, const struct cfg *cfg,
    const struct cfg_provider *p, const struct discovery *d,
    const char *state, const char *nonce, const char *verifier,
    const char *prompt, char **out)
{
	char		*q, *challenge;
	enum err	 e;

	if ((e = pkce_challenge(a, verifier, &challenge)) != ERR_OK)
		return e;
	q = url_query_add(a, NULL, "response_type", "code");
	q = url_query_add(a, q, "client_id", p->client_id);
	q = url_query_add(a, q, "redirect_uri", cfg->redirect_uri);
	q = url_query_add(a, q, "scope", scope_of(a, p, d));
	if (prompt != NULL)
		q = url_query_add(a, q, "prompt", prompt);
	q = url_query_add(a, q, "state", state);
	q = url_query_add(a, q, "nonce", nonce);
	q = url_query_add(a, q, "code_challenge", challenge);
	q = url_query_add(a, q, "code_challenge_method", "S256");
	for (size_t i = 0; i < p->nparams; i++) {
		const char *name = p->params[i].name;
		if (in_list(name, flow_params, NELEM(flow_params)) ||
		    strncmp(name, FLOW_PARAM_PREFIX,
		    strlen(FLOW_PARAM_PREFIX)) == 0) {
			err_reason("provider %s: authorization parameter %s "
			    "is set by the login flow", p->name, name);
			return ERR_CONFIG;
		}
		/* This login's own prompt wins over the configured one. */
		if (prompt != NULL && strcmp(name, "prompt") == 0)
			continue;
		q = url_query_add(a, q, name, p->params[i].value);
	}
	*out = with_query(a, d->authorization_endpoint, q);
	return ERR_OK;
}

/* RFC 6749 §5.2: error codes are %x20-21 / %x23-5B / %x5D-7E. */
static int
error_char_ok(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
}

/*
 * Returns the OAuth "error" member of obj, bounded and with anything
 * outside the allowed set dropped (it goes to a log line), or NULL when
 * there is none.
 */
static const char *
oauth_error(struct arena *a, json_object *obj)
{
	json_object	*v;
	const char	*s;
	char		*code;
	size_t		 len, o = 0;

	if (!json_object_object_get_ex(obj, "error", &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, json_type_string))
		return "(not a string)";
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	code = arena_alloc(a, BOUND_OAUTH_ERROR + 1);
	for (size_t i = 0; i < len && o < BOUND_OAUTH_ERROR; i++)
		if (error_char_ok((unsigned char)s[i]))
			code[o++] = s[i];
	code[o] = '\0';
	return o > 0 ? code : "(empty)";
}

/* Sets *out to the string member key; absent is fine, another type is not. */
static enum err
optional_str(json_object *obj, const char *key, const char **out)
{
	*out = NULL;
	switch (jv_str(obj, key, out)) {
	case ERR_OK:
		return ERR_OK;
	case ERR_NOT_FOUND:
		*out = NULL;
		return ERR_OK;
	default:
		err_reason("token response: %s is not a string", key);
		return ERR_PROVIDER;
	}
}

/* A token response; an ID token is required unless need_id is 0. */
static enum err
parse_tokens(struct arena *a, const char *body, size_t len, int need_id,
    struct oidc_tokens *out)
{
	json_object	*obj;
	const char	*code;
	enum err	 e;

	memset(out, 0, sizeof(*out));
	if (len > BOUND_TOKEN_BODY) {
		err_reason("token response over %d bytes", BOUND_TOKEN_BODY);
		return ERR_PROVIDER;
	}
	if (jv_parse_object(a, body, len, &obj) != ERR_OK) {
		err_reason("token response is not a JSON object");
		return ERR_PROVIDER;
	}
	if ((code = oauth_error(a, obj)) != NULL) {
		err_reason("token endpoint: error=%s", code);
		return ERR_PROVIDER;
	}
	if ((e = optional_str(obj, "id_token", &out->id_token)) != ERR_OK ||
	    (e = optional_str(obj, "access_token", &out->access_token)) !=
	    ERR_OK ||
	    (e = optional_str(obj, "refresh_token", &out->refresh_token)) !=
	    ERR_OK ||
	    (e = optional_str(obj, "token_type", &out->token_type)) != ERR_OK)
		goto fail;
	if (out->id_token != NULL && *out->id_token == '\0')
		out->id_token = NULL;
	if (out->refresh_token != NULL && *out->refresh_token == '\0')
		out->refresh_token = NULL;
	if (need_id && out->id_token == NULL) {
		err_reason("token response has no id_token");
		e = ERR_PROVIDER;
		goto fail;
	}
	if (out->access_token != NULL && out->token_type != NULL &&
	    strcasecmp(out->token_type, "Bearer") != 0) {
		err_reason("token response: token_type is not Bearer");
		e = ERR_PROVIDER;
		goto fail;
	}
	return ERR_OK;
fail:
	memset(out, 0, sizeof(*out));
	return e;
}

enum err
oidc_token_response_parse(struct arena *a, const char *body, size_t len,
    struct oidc_tokens *out)
{
	return parse_tokens(a, body, len, 1, out);
}

enum err
oidc_check_response_iss(const struct discovery *d, const char *iss)
{
	if (iss == NULL && d->iss_in_response) {
		/* RFC 9207 §2.4: a provider that promises iss always sends it. */
		err_reason("authorization response without iss, which %s "
		    "promises", d->issuer);
		return ERR_UNVERIFIED;
	}
	if (iss == NULL || strcmp(iss, d->issuer) == 0 ||
	    tenant_issuer_matches(d->issuer, iss))
		return ERR_OK;
	err_reason("authorization response: iss %.200s is not the issuer %s",
	    iss, d->issuer);
	return ERR_UNVERIFIED;
}

/* The OAuth error code of a failed response's body, when it has one. */
static const char *
body_error_code(struct arena *a, const struct http_response *r)
{
	json_object	*obj;

	if (r->len == 0 || r->len > BOUND_TOKEN_BODY ||
	    jv_parse_object(a, r->body, r->len, &obj) != ERR_OK)
		return NULL;
	return oauth_error(a, obj);
}

enum cfg_token_auth
oidc_token_auth(const struct cfg_provider *p, const struct discovery *d)
{
	if (p->token_auth != CFG_TOKEN_AUTH_AUTO)
		return p->token_auth;
	if (!d->auth_methods_listed || d->auth_basic || !d->auth_post)
		return CFG_TOKEN_AUTH_BASIC;
	return CFG_TOKEN_AUTH_POST;
}

const char *
oidc_token_auth_name(enum cfg_token_auth m)
{
	switch (m) {
	case CFG_TOKEN_AUTH_BASIC:
		return "client_secret_basic";
	case CFG_TOKEN_AUTH_POST:
		return "client_secret_post";
	case CFG_TOKEN_AUTH_NONE:
		return "none";
	case CFG_TOKEN_AUTH_AUTO:
		break;
	}
	return "from the provider's metadata";
}

/* The client's part of a token request: its id, and its secret by post. */
static enum err
client_auth_params(struct arena *a, const struct cfg_provider *p,
    enum cfg_token_auth method, char **q)
{
	if (method != CFG_TOKEN_AUTH_NONE && p->client_secret == NULL) {
		err_reason("provider %s: client_secret missing", p->name);
		return ERR_CONFIG;
	}
	*q = url_query_add(a, *q, "client_id", p->client_id);
	if (method == CFG_TOKEN_AUTH_POST)
		*q = url_query_add(a, *q, "client_secret", p->client_secret);
	return ERR_OK;
}

/*
 * Posts body (grant parameters) with the client's authentication to the
 * token endpoint and parses the answer.  invalid_grant is the user's
 * (ERR_UNVERIFIED: a code used or expired, a refresh token revoked);
 * any other failure the provider's.
 */
static enum err
token_call(struct http *http, struct arena *a, const struct cfg_provider *p,
    const struct discovery *d, char *body, int need_id,
    struct oidc_tokens *out)
{
	struct http_response	 r;
	const char		*user = NULL, *pass = NULL, *oauth;
	enum cfg_token_auth	 method = oidc_token_auth(p, d);
	enum err		 e;

	memset(out, 0, sizeof(*out));
	if ((e = client_auth_params(a, p, method, &body)) != ERR_OK)
		return e;
	if (method == CFG_TOKEN_AUTH_BASIC) {
		user = p->client_id;
		pass = p->client_secret;
	}
	if ((e = http_post_form(http, a, d->token_endpoint, body, user, pass,
	    BOUND_TOKEN_BODY, &r)) != ERR_OK)
		return e;
	if (r.status != 200) {
		oauth = body_error_code(a, &r);
		err_reason("token endpoint answered HTTP %ld%s%s%s", r.status,
		    oauth ? " (error=" : "", oauth ? oauth : "",
		    oauth ? ")" : "");
		if (r.status == 400 && oauth != NULL &&
		    strcmp(oauth, "invalid_grant") == 0)
			return ERR_UNVERIFIED;
		return ERR_PROVIDER;
	}
	return parse_tokens(a, r.body, r.len, need_id, out);
}

enum err
oidc_exchange_code(struct http *http, struct arena *a, const struct cfg *cfg,
    const struct cfg_provider *p, const struct discovery *d,
    const char *code, const char *verifier, struct oidc_tokens *out)
{
	char	*q;

	q = url_query_add(a, NULL, "grant_type", "authorization_code");
	q = url_query_add(a, q, "code", code);
	q = url_query_add(a, q, "redirect_uri", cfg->redirect_uri);
	q = url_query_add(a, q, "code_verifier", verifier);
	return token_call(http, a, p, d, q, 1, out);
}

enum err
oidc_refresh(struct http *http, struct arena *a, const struct cfg_provider *p,
    const struct discovery *d, const char *refresh_token,
    struct oidc_tokens *out)
{
	char	*q;

	q = url_query_add(a, NULL, "grant_type", "refresh_token");
	q = url_query_add(a, q, "refresh_token", refresh_token);
	return token_call(http, a, p, d, q, 0, out);
}

/* Returns 1 when the media type (parameters aside) is application/jwt. */
static int
is_jwt_media_type(const char *ctype)
{
	static const char	jwt[] = "application/jwt";
	size_t			n = sizeof(jwt) - 1;

	if (ctype == NULL || strncasecmp(ctype, jwt, n) != 0)
		return 0;
	return ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ' ||
	    ctype[n] == '\t';
}

enum err
oidc_userinfo(struct http *http, struct arena *a, const struct discovery *d,
    const char *access_token, json_object **claims)
{
	struct http_response	r;
	enum err		e;

	*claims = NULL;
	if (d->userinfo_endpoint == NULL)
		return ERR_NOT_FOUND;
	if (access_token == NULL || *access_token == '\0') {
		err_reason("no access token to call userinfo with");
		return ERR_PROVIDER;
	}
	if ((e = http_get(http, a, d->userinfo_endpoint, access_token,
	    BOUND_USERINFO_BODY, &r)) != ERR_OK)
		return e;
	if (r.status != 200) {
		err_reason("userinfo endpoint answered HTTP %ld", r.status);
		return ERR_PROVIDER;
	}
	if (is_jwt_media_type(r.content_type)) {
		err_reason("signed userinfo not supported");
		return ERR_PROVIDER;
	}
	if (jv_parse_object(a, r.body, r.len, claims) != ERR_OK) {
		*claims = NULL;
		err_reason("userinfo response is not a JSON object");
		return ERR_PROVIDER;
	}
	return ERR_OK;
}

enum err
oidc_merge_userinfo(json_object *id_claims, json_object *userinfo)
{
	const char	*id_sub, *ui_sub;

	if (jv_str(userinfo, "sub", &ui_sub) != ERR_OK) {
		err_reason("userinfo has no sub");
		return ERR_TOKEN;
	}
	if (jv_str(id_claims, "sub", &id_sub) != ERR_OK) {
		err_reason("ID token has no sub");
		return ERR_TOKEN;
	}
	if (strcmp(id_sub, ui_sub) != 0) {
		err_reason("userinfo sub differs");
		return ERR_TOKEN;
	}
	json_object_object_foreach(userinfo, key, val) {
		if (in_list(key, protected_claims, NELEM(protected_claims)))
			continue;
		if (json_object_object_add(id_claims, key,
		    json_object_get(val)) != 0) {
			json_object_put(val);
			return ERR_NOMEM;
		}
	}
	return ERR_OK;
}

enum err
oidc_logout_url(struct arena *a, const struct cfg *cfg,
    const struct cfg_provider *p, const struct discovery *d,
    const char *id_token_hint, char **out)
{
	const char	*back;
	char		*q = NULL;

	*out = NULL;
	if (d->end_session_endpoint == NULL)
		return ERR_NOT_FOUND;
	if (id_token_hint != NULL)
		q = url_query_add(a, q, "id_token_hint", id_token_hint);
	q = url_query_add(a, q, "client_id", p->client_id);
	back = p->post_logout_redirect_uri != NULL ?
	    p->post_logout_redirect_uri : cfg->post_logout_redirect_uri;
	if (back != NULL)
		q = url_query_add(a, q, "post_logout_redirect_uri", back);
	*out = with_query(a, d->end_session_endpoint, q);
	return ERR_OK;
}
