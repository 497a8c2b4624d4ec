#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "discovery.h"
#include "err.h"
#include "oidc.h"
#include "tap.h"

/* RFC 7636 Appendix B. */
#define VERIFIER	"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define CHALLENGE	"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

#define FLOW_QUERY							\
	"response_type=code&client_id=my-app.apps"			\
	"&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth%2Foauth2callback" \
	"&scope=openid%20email%20profile&state=S-t_a.te~1&nonce=n%2Bo%2Fn%3D" \
	"&code_challenge=" CHALLENGE "&code_challenge_method=S256"

static struct cfg_pair params[] = {
	{ "prompt", "select_account" },
	{ "login_hint", "a+b@example.com" },
	{ "acr_values", "urn:x y&z=1" },
	{ "hd", "example.com" },
};

static struct cfg cfg;
static struct cfg_provider prov;
static struct discovery disc;

static void
fixtures(void)
{
	cfg.redirect_uri = "https://app.example.com/auth/oauth2callback";
	cfg.post_logout_redirect_uri = "https://app.example.com/";
	prov.name = "idp";
	prov.client_id = "my-app.apps";
	prov.client_secret = "s3cret";
	prov.scope = "openid email profile";
	disc.issuer = "https://idp.example.com";
	disc.authorization_endpoint = "https://idp.example.com/authorize";
	disc.token_endpoint = "https://idp.example.com/token";
	disc.jwks_uri = "https://idp.example.com/jwks";
	disc.end_session_endpoint = "https://idp.example.com/logout";
}

static void
test_authorize(struct arena *a)
{
	static const struct {
		const char	*name;
		const char	*endpoint;
		size_t		 nparams;
		const char	*want;
	} cases[] = {
		{ "plain endpoint", "https://idp.example.com/authorize", 0,
		    "https://idp.example.com/authorize?" FLOW_QUERY },
		{ "endpoint with a query",
		    "https://idp.example.com/authorize?tenant=t1", 0,
		    "https://idp.example.com/authorize?tenant=t1&" FLOW_QUERY },
		{ "endpoint ending in ?", "https://idp.example.com/authorize?",
		    0, "https://idp.example.com/authorize?" FLOW_QUERY },
		{ "extra parameters needing encoding",
		    "https://idp.example.com/authorize", 4,
		    "https://idp.example.com/authorize?" FLOW_QUERY
		    "&prompt=select_account&login_hint=a%2Bb%40example.com"
		    "&acr_values=urn%3Ax%20y%26z%3D1&hd=example.com" },
	};
	char		*url;
	enum err	 e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		disc.authorization_endpoint = (char *)cases[i].endpoint;
		prov.params = params;
		prov.nparams = cases[i].nparams;
		url = NULL;
		e = oidc_authorize_url(a, &cfg, &prov, &disc, "S-t_a.te~1",
		    "n+o/n=", VERIFIER, NULL, &url);
		is_int(e, ERR_OK, "authorize: %s: ok", cases[i].name);
		is_str(url, cases[i].want, "authorize: %s: URL",
		    cases[i].name);
	}
	disc.authorization_endpoint = "https://idp.example.com/authorize";
	prov.nparams = 0;
}

static void
test_authorize_bad(struct arena *a)
{
	static const char *const owned[] = {
		"response_type", "client_id", "redirect_uri", "state",
		"nonce", "code_challenge", "code_challenge_method", "scope",
	};
	static const char *const verifiers[] = {
		"", "short", VERIFIER "+",
		"dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
		/* 129 characters; without its first, 128. */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaa",
	};
	struct cfg_pair	 p;
	char		*url;

	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		p.name = (char *)owned[i];
		p.value = "x";
		prov.params = &p;
		prov.nparams = 1;
		url = NULL;
		err_reason_clear();
		is_int(oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n",
		    VERIFIER, NULL, &url), ERR_CONFIG,
		    "authorize: param %s refused",
		    owned[i]);
		ok(url == NULL && strstr(err_reason_get(), owned[i]) != NULL,
		    "authorize: param %s: reason \"%s\"", owned[i],
		    err_reason_get());
	}
	prov.nparams = 0;
	for (size_t i = 0; i < sizeof(verifiers) / sizeof(verifiers[0]);
	    i++) {
		url = NULL;
		is_int(oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n",
		    verifiers[i], NULL, &url), ERR_INPUT,
		    "authorize: bad verifier %zu refused", i);
	}
	/* 43 and 128 characters are the RFC 7636 limits, both allowed. */
	is_int(oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n",
	    "0123456789012345678901234567890123456789012", NULL, &url),
	    ERR_OK,
	    "authorize: 43-character verifier");
	is_int(oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n",
	    verifiers[4] + 1, NULL, &url), ERR_OK,
	    "authorize: 128-character verifier");
}


/* A login's own prompt, and offline_access for refresh tokens. */
static void
test_authorize_prompt_offline(struct arena *a)
{
	struct cfg_pair	 p = { "prompt", "select_account" };
	char		*url = NULL;

	prov.params = &p;
	prov.nparams = 1;
	is_int(oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n", VERIFIER,
	    "none", &url), ERR_OK, "authorize: prompt=none");
	ok(url != NULL && strstr(url, "&prompt=none&") != NULL &&
	    strstr(url, "select_account") == NULL, "... replaces the "
	    "configured prompt (%s)", url);
	is_int(oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n", VERIFIER,
	    NULL, &url), ERR_OK, "authorize: configured prompt");
	ok(strstr(url, "prompt=select_account") != NULL, "... kept without "
	    "a login's own");
	prov.nparams = 0;
	prov.use_refresh_token = 1;
	disc.offline_access = 1;
	oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n", VERIFIER, NULL,
	    &url);
	ok(strstr(url, "scope=openid%20email%20profile%20offline_access&") !=
	    NULL || strstr(url, "offline_access") != NULL,
	    "use_refresh_token asks for offline_access (%s)", url);
	disc.offline_access = 0;
	oidc_authorize_url(a, &cfg, &prov, &disc, "s", "n", VERIFIER, NULL,
	    &url);
	ok(strstr(url, "offline_access") == NULL, "... only when offered");
	prov.use_refresh_token = 0;
}

static void
test_token_parse(struct arena *a)
{
	static const struct {
		const char	*name;
		const char	*body;
		enum err	 want;
		const char	*id, *access, *type;
		const char	*reason;
	} cases[] = {
		{ "full", "{\"access_token\":\"at\",\"expires_in\":3599,"
		    "\"scope\":\"openid email\",\"token_type\":\"Bearer\","
		    "\"id_token\":\"h.p.s\",\"refresh_token\":\"rt\"}", ERR_OK,
		    "h.p.s", "at", "Bearer", NULL },
		{ "bearer lower case", "{\"access_token\":\"at\","
		    "\"token_type\":\"bearer\",\"id_token\":\"h.p.s\"}", ERR_OK,
		    "h.p.s", "at", "bearer", NULL },
		{ "id_token only", "{\"id_token\":\"h.p.s\"}", ERR_OK,
		    "h.p.s", NULL, NULL, NULL },
		{ "no token_type", "{\"id_token\":\"h.p.s\","
		    "\"access_token\":\"at\"}", ERR_OK, "h.p.s", "at", NULL,
		    NULL },
		{ "MAC without access token", "{\"id_token\":\"h.p.s\","
		    "\"token_type\":\"mac\"}", ERR_OK, "h.p.s", NULL, "mac",
		    NULL },
		{ "null error ignored", "{\"id_token\":\"h.p.s\","
		    "\"error\":null}", ERR_OK, "h.p.s", NULL, NULL, NULL },
		{ "OAuth error", "{\"error\":\"invalid_grant\","
		    "\"error_description\":\"Bad code\"}", ERR_PROVIDER,
		    NULL, NULL, NULL, "token endpoint: error=invalid_grant" },
		{ "error next to a token", "{\"error\":\"invalid_request\","
		    "\"id_token\":\"h.p.s\"}", ERR_PROVIDER, NULL, NULL, NULL,
		    "error=invalid_request" },
		{ "error with control bytes", "{\"error\":\"bad\\r\\nX: y"
		    "\\u0000\\\"\\\\\"}", ERR_PROVIDER, NULL, NULL, NULL,
		    "token endpoint: error=badX: y" },
		{ "error long", "{\"error\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
		    ERR_PROVIDER, NULL, NULL, NULL,
		    "error=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxx" },
		{ "error a number", "{\"error\":400}", ERR_PROVIDER, NULL,
		    NULL, NULL, "error=(not a string)" },
		{ "error empty", "{\"error\":\"\"}", ERR_PROVIDER, NULL, NULL,
		    NULL, "error=(empty)" },
		{ "no id_token", "{\"access_token\":\"at\","
		    "\"token_type\":\"Bearer\"}", ERR_PROVIDER, NULL, NULL,
		    NULL, "token response has no id_token" },
		{ "empty id_token", "{\"id_token\":\"\"}", ERR_PROVIDER, NULL,
		    NULL, NULL, "no id_token" },
		{ "null id_token", "{\"id_token\":null}", ERR_PROVIDER, NULL,
		    NULL, NULL, "no id_token" },
		{ "id_token a number", "{\"id_token\":5}", ERR_PROVIDER, NULL,
		    NULL, NULL, "id_token is not a string" },
		{ "id_token an object", "{\"id_token\":{\"a\":1}}",
		    ERR_PROVIDER, NULL, NULL, NULL,
		    "id_token is not a string" },
		{ "access_token an array", "{\"id_token\":\"h.p.s\","
		    "\"access_token\":[\"at\"]}", ERR_PROVIDER, NULL, NULL,
		    NULL, "access_token is not a string" },
		{ "token_type MAC", "{\"id_token\":\"h.p.s\","
		    "\"access_token\":\"at\",\"token_type\":\"MAC\"}",
		    ERR_PROVIDER, NULL, NULL, NULL,
		    "token_type is not Bearer" },
		{ "token_type Bearer with a space", "{\"id_token\":\"h.p.s\","
		    "\"access_token\":\"at\",\"token_type\":\"Bearer \"}",
		    ERR_PROVIDER, NULL, NULL, NULL,
		    "token_type is not Bearer" },
		{ "token_type a number", "{\"id_token\":\"h.p.s\","
		    "\"token_type\":1}", ERR_PROVIDER, NULL, NULL, NULL,
		    "token_type is not a string" },
		{ "not JSON", "<html>Bad gateway</html>", ERR_PROVIDER, NULL,
		    NULL, NULL, "not a JSON object" },
		{ "form encoded", "access_token=at&id_token=x", ERR_PROVIDER,
		    NULL, NULL, NULL, "not a JSON object" },
		{ "array", "[{\"id_token\":\"h.p.s\"}]", ERR_PROVIDER, NULL,
		    NULL, NULL, "not a JSON object" },
		{ "empty", "", ERR_PROVIDER, NULL, NULL, NULL,
		    "not a JSON object" },
		{ "two objects", "{\"id_token\":\"a\"}{\"id_token\":\"b\"}",
		    ERR_PROVIDER, NULL, NULL, NULL, "not a JSON object" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oidc_tokens	t;
		enum err		e;

		err_reason_clear();
		e = oidc_token_response_parse(a, cases[i].body,
		    strlen(cases[i].body), &t);
		is_int(e, cases[i].want, "token: %s: result", cases[i].name);
		is_str(t.id_token, cases[i].id, "token: %s: id_token",
		    cases[i].name);
		is_str(t.access_token, cases[i].access,
		    "token: %s: access_token", cases[i].name);
		is_str(t.token_type, cases[i].type, "token: %s: token_type",
		    cases[i].name);
		if (cases[i].reason != NULL)
			ok(strstr(err_reason_get(), cases[i].reason) != NULL,
			    "token: %s: reason \"%s\"", cases[i].name,
			    err_reason_get());
	}
}

static void
test_token_parse_limits(struct arena *a)
{
	struct oidc_tokens	 t;
	size_t			 n = BOUND_TOKEN_BODY + 1;
	char			*huge;
	const char		*head = "{\"id_token\":\"";

	huge = malloc(n + 1);
	memset(huge, 'a', n);
	memcpy(huge, head, strlen(head));
	huge[n - 2] = '"';
	huge[n - 1] = '}';
	huge[n] = '\0';
	err_reason_clear();
	is_int(oidc_token_response_parse(a, huge, n, &t), ERR_PROVIDER,
	    "token: huge body refused");
	ok(strstr(err_reason_get(), "over") != NULL, "token: huge: reason %s",
	    err_reason_get());
	/* One byte shorter is within the bound and parses. */
	huge[n - 3] = '"';
	huge[n - 2] = '}';
	err_reason_clear();
	is_int(oidc_token_response_parse(a, huge, n - 1, &t), ERR_OK,
	    "token: body at the bound accepted");
	free(huge);

	err_reason_clear();
	is_int(oidc_token_response_parse(a, "{\"id_token\":\"a\"}\0x", 18, &t),
	    ERR_PROVIDER, "token: NUL in body refused");
}

static json_object *
obj(const char *s)
{
	return json_tokener_parse(s);
}

static void
test_merge(void)
{
	static const struct {
		const char	*name;
		const char	*id;
		const char	*ui;
		enum err	 want;
		const char	*result;	/* id claims afterwards */
	} cases[] = {
		{ "adds and replaces",
		    "{\"sub\":\"u1\",\"iss\":\"https://idp\","
		    "\"email\":\"old@x\"}",
		    "{\"sub\":\"u1\",\"email\":\"new@x\",\"name\":\"Ann\","
		    "\"groups\":[\"a\",\"b\"]}", ERR_OK,
		    "{\"sub\":\"u1\",\"iss\":\"https://idp\","
		    "\"email\":\"new@x\","
		    "\"name\":\"Ann\",\"groups\":[\"a\",\"b\"]}" },
		{ "protocol claims kept",
		    "{\"sub\":\"u1\",\"iss\":\"https://idp\",\"aud\":\"c\","
		    "\"exp\":10,\"nonce\":\"n\",\"tid\":\"t1\"}",
		    "{\"sub\":\"u1\",\"iss\":\"https://evil\",\"aud\":\"x\","
		    "\"exp\":99,\"nonce\":\"m\",\"tid\":\"t2\",\"acr\":\"0\"}",
		    ERR_OK,
		    "{\"sub\":\"u1\",\"iss\":\"https://idp\",\"aud\":\"c\","
		    "\"exp\":10,\"nonce\":\"n\",\"tid\":\"t1\"}" },
		{ "only sub", "{\"sub\":\"u1\"}", "{\"sub\":\"u1\"}", ERR_OK,
		    "{\"sub\":\"u1\"}" },
		{ "null claim", "{\"sub\":\"u1\",\"name\":\"A\"}",
		    "{\"sub\":\"u1\",\"name\":null}", ERR_OK,
		    "{\"sub\":\"u1\",\"name\":null}" },
		{ "sub differs", "{\"sub\":\"u1\",\"email\":\"a@x\"}",
		    "{\"sub\":\"u2\",\"email\":\"b@x\"}", ERR_TOKEN,
		    "{\"sub\":\"u1\",\"email\":\"a@x\"}" },
		{ "sub differs by case", "{\"sub\":\"abc\"}",
		    "{\"sub\":\"ABC\"}", ERR_TOKEN, "{\"sub\":\"abc\"}" },
		{ "sub prefix", "{\"sub\":\"u1\"}", "{\"sub\":\"u10\"}",
		    ERR_TOKEN, "{\"sub\":\"u1\"}" },
		{ "userinfo without sub", "{\"sub\":\"u1\"}",
		    "{\"email\":\"b@x\"}", ERR_TOKEN, "{\"sub\":\"u1\"}" },
		{ "userinfo sub a number", "{\"sub\":\"1\"}", "{\"sub\":1}",
		    ERR_TOKEN, "{\"sub\":\"1\"}" },
		{ "userinfo sub null", "{\"sub\":\"u1\"}", "{\"sub\":null}",
		    ERR_TOKEN, "{\"sub\":\"u1\"}" },
		{ "ID token without sub", "{\"email\":\"a@x\"}",
		    "{\"sub\":\"u1\"}", ERR_TOKEN, "{\"email\":\"a@x\"}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object	*id = obj(cases[i].id);
		json_object	*ui = obj(cases[i].ui);
		json_object	*want = obj(cases[i].result);

		err_reason_clear();
		is_int(oidc_merge_userinfo(id, ui), cases[i].want,
		    "merge: %s: result", cases[i].name);
		ok(json_object_equal(id, want), "merge: %s: claims %s",
		    cases[i].name, json_object_to_json_string(id));
		if (cases[i].want == ERR_TOKEN)
			ok(strstr(err_reason_get(), "sub") != NULL,
			    "merge: %s: reason \"%s\"", cases[i].name,
			    err_reason_get());
		json_object_put(id);
		json_object_put(ui);
		json_object_put(want);
	}
	err_reason_clear();
	is_int(oidc_merge_userinfo(NULL, NULL), ERR_TOKEN, "merge: NULLs");
}

static void
test_logout(struct arena *a)
{
	char		*url;
	enum err	 e;

	e = oidc_logout_url(a, &cfg, &prov, &disc, "h.p.s", &url);
	is_int(e, ERR_OK, "logout: with hint");
	is_str(url, "https://idp.example.com/logout?id_token_hint=h.p.s"
	    "&client_id=my-app.apps"
	    "&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F",
	    "logout: with hint: URL");

	prov.post_logout_redirect_uri = "https://app.example.com/bye?x=1";
	e = oidc_logout_url(a, &cfg, &prov, &disc, NULL, &url);
	is_int(e, ERR_OK, "logout: provider's redirect");
	is_str(url, "https://idp.example.com/logout?client_id=my-app.apps"
	    "&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye"
	    "%3Fx%3D1", "logout: provider's redirect: URL");
	prov.post_logout_redirect_uri = NULL;

	cfg.post_logout_redirect_uri = NULL;
	disc.end_session_endpoint = "https://idp.example.com/logout?p=B2C_1";
	e = oidc_logout_url(a, &cfg, &prov, &disc, NULL, &url);
	is_int(e, ERR_OK, "logout: no redirect, endpoint with query");
	is_str(url, "https://idp.example.com/logout?p=B2C_1"
	    "&client_id=my-app.apps", "logout: no redirect: URL");
	cfg.post_logout_redirect_uri = "https://app.example.com/";

	disc.end_session_endpoint = NULL;
	url = (char *)"x";
	is_int(oidc_logout_url(a, &cfg, &prov, &disc, "h.p.s", &url),
	    ERR_NOT_FOUND, "logout: no end_session_endpoint");
	ok(url == NULL, "logout: no URL");
	disc.end_session_endpoint = "https://idp.example.com/logout";
}

static void
test_userinfo_absent(struct arena *a)
{
	json_object	*claims = (json_object *)1;

	disc.userinfo_endpoint = NULL;
	is_int(oidc_userinfo(NULL, a, &disc, "at", &claims), ERR_NOT_FOUND,
	    "userinfo: no endpoint");
	ok(claims == NULL, "userinfo: no endpoint: no claims");
	disc.userinfo_endpoint = "https://idp.example.com/userinfo";
	err_reason_clear();
	is_int(oidc_userinfo(NULL, a, &disc, NULL, &claims), ERR_PROVIDER,
	    "userinfo: no access token");
	ok(strstr(err_reason_get(), "access token") != NULL,
	    "userinfo: no access token: reason \"%s\"", err_reason_get());
	disc.userinfo_endpoint = NULL;
}

static void
test_exchange_config(struct arena *a)
{
	struct oidc_tokens	t;

	prov.client_secret = NULL;
	prov.token_auth = CFG_TOKEN_AUTH_POST;
	err_reason_clear();
	is_int(oidc_exchange_code(NULL, a, &cfg, &prov, &disc, "c", VERIFIER,
	    &t), ERR_CONFIG, "exchange: post without a secret");
	prov.token_auth = CFG_TOKEN_AUTH_BASIC;
	is_int(oidc_exchange_code(NULL, a, &cfg, &prov, &disc, "c", VERIFIER,
	    &t), ERR_CONFIG, "exchange: basic without a secret");
	prov.client_secret = "s3cret";
}

static void
test_response_iss(void)
{
	static const struct {
		const char	*issuer;
		const char	*iss;	/* NULL: the response had none */
		enum err	 want;
	} cases[] = {
		{ "https://idp.example.com", NULL, ERR_OK },
		{ "https://idp.example.com", "https://idp.example.com", ERR_OK },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/9188040d-6c67-4c5b-b112-"
		    "36a304b66dad/v2.0", ERR_OK },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/ABCDEF/v2.0", ERR_OK },
		/* Bad: another provider, near misses, template abuse. */
		{ "https://idp.example.com", "https://evil.example.com",
		    ERR_UNVERIFIED },
		{ "https://idp.example.com", "https://idp.example.com/",
		    ERR_UNVERIFIED },
		{ "https://idp.example.com", "https://IDP.example.com",
		    ERR_UNVERIFIED },
		{ "https://idp.example.com", "https://idp.example.co",
		    ERR_UNVERIFIED },
		{ "https://idp.example.com", "", ERR_UNVERIFIED },
		{ "https://idp.example.com", "https://idp.example.com\n",
		    ERR_UNVERIFIED },
		/* The template itself is the discovery document's issuer. */
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/{tenantid}/v2.0", ERR_OK },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com//v2.0", ERR_UNVERIFIED },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/x/../evil/v2.0", ERR_UNVERIFIED },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/abc/v2", ERR_UNVERIFIED },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://evil.example.com/abc/v2.0", ERR_UNVERIFIED },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef0/v2.0", ERR_UNVERIFIED },
		{ "https://login.example.com/{tenantid}/v2.0",
		    "https://login.example.com/v2.0", ERR_UNVERIFIED },
	};
	struct discovery	d;

	memset(&d, 0, sizeof(d));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d.issuer = (char *)cases[i].issuer;
		err_reason_clear();
		is_int(oidc_check_response_iss(&d, cases[i].iss), cases[i].want,
		    "response iss #%zu", i);
		if (cases[i].want != ERR_OK)
			ok(strstr(err_reason_get(), "is not the issuer") != NULL,
			    "response iss #%zu: the reason names the issuer", i);
	}
	d.issuer = "https://op.example.com";
	d.iss_in_response = 1;
	err_reason_clear();
	is_int(oidc_check_response_iss(&d, NULL), ERR_UNVERIFIED,
	    "response without iss from a provider that promises it: refused");
	is_int(oidc_check_response_iss(&d, "https://op.example.com"), ERR_OK,
	    "  with it: accepted");
	err_reason_clear();
}


/* The client authentication method: configured, else from the document. */
static void
test_token_auth(void)
{
	static const struct {
		enum cfg_token_auth	 configured;
		int			 listed, basic, post, none;
		enum cfg_token_auth	 want;
		const char		*name;
	} cases[] = {
		{ CFG_TOKEN_AUTH_AUTO, 0, 0, 0, 0, CFG_TOKEN_AUTH_BASIC,
		    "no list: basic (RFC 8414's default)" },
		{ CFG_TOKEN_AUTH_AUTO, 1, 1, 1, 0, CFG_TOKEN_AUTH_BASIC,
		    "both listed: basic" },
		{ CFG_TOKEN_AUTH_AUTO, 1, 0, 1, 0, CFG_TOKEN_AUTH_POST,
		    "post alone: post" },
		{ CFG_TOKEN_AUTH_AUTO, 1, 0, 1, 1, CFG_TOKEN_AUTH_POST,
		    "post and none: post (we have a secret)" },
		{ CFG_TOKEN_AUTH_AUTO, 1, 0, 0, 0, CFG_TOKEN_AUTH_BASIC,
		    "only private_key_jwt: basic, refused clearly" },
		{ CFG_TOKEN_AUTH_POST, 1, 1, 0, 0, CFG_TOKEN_AUTH_POST,
		    "configured post wins" },
		{ CFG_TOKEN_AUTH_NONE, 1, 1, 1, 0, CFG_TOKEN_AUTH_NONE,
		    "configured none wins" },
	};
	struct cfg_provider	p;
	struct discovery	d;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&p, 0, sizeof(p));
		memset(&d, 0, sizeof(d));
		p.token_auth = cases[i].configured;
		d.auth_methods_listed = cases[i].listed;
		d.auth_basic = cases[i].basic;
		d.auth_post = cases[i].post;
		d.auth_none = cases[i].none;
		is_int(oidc_token_auth(&p, &d), cases[i].want, "token auth: %s",
		    cases[i].name);
	}
	is_str(oidc_token_auth_name(CFG_TOKEN_AUTH_POST), "client_secret_post",
	    "method name");
}

int
main(void)
{
	struct arena	*a = arena_new();

	test_token_auth();
	fixtures();
	test_authorize(a);
	test_authorize_bad(a);
	test_authorize_prompt_offline(a);
	arena_reset(a);
	test_token_parse(a);
	test_token_parse_limits(a);
	arena_reset(a);
	test_merge();
	test_logout(a);
	test_userinfo_absent(a);
	test_exchange_config(a);
	test_response_iss();
	arena_free(a);
	return tap_done();
}
