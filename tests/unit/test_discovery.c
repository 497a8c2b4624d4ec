#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "discovery.h"
#include "err.h"
#include "tap.h"

#define GOOGLE_ISS	"https://accounts.google.com"
#define KEYCLOAK_ISS	"https://sso.example.org/realms/staff"
#define ENTRA_TENANT	"9a1b2c3d-0000-4000-8000-1234567890ab"
#define ENTRA_ISS	\
    "https://login.microsoftonline.com/" ENTRA_TENANT "/v2.0"
#define ENTRA_COMMON	"https://login.microsoftonline.com/common/v2.0"
#define ENTRA_TEMPLATE	"https://login.microsoftonline.com/{tenantid}/v2.0"

static const char google_doc[] =
    "{\n"
    " \"issuer\": \"https://accounts.google.com\",\n"
    " \"authorization_endpoint\": "
    "\"https://accounts.google.com/o/oauth2/v2/auth\",\n"
    " \"device_authorization_endpoint\": "
    "\"https://oauth2.googleapis.com/device/code\",\n"
    " \"token_endpoint\": \"https://oauth2.googleapis.com/token\",\n"
    " \"userinfo_endpoint\": "
    "\"https://openidconnect.googleapis.com/v1/userinfo\",\n"
    " \"revocation_endpoint\": \"https://oauth2.googleapis.com/revoke\",\n"
    " \"jwks_uri\": \"https://www.googleapis.com/oauth2/v3/certs\",\n"
    " \"response_types_supported\": [\"code\", \"token\", \"id_token\","
    " \"code token\", \"code id_token\", \"token id_token\","
    " \"code token id_token\", \"none\"],\n"
    " \"subject_types_supported\": [\"public\"],\n"
    " \"id_token_signing_alg_values_supported\": [\"RS256\"],\n"
    " \"scopes_supported\": [\"openid\", \"email\", \"profile\"],\n"
    " \"code_challenge_methods_supported\": [\"plain\", \"S256\"]\n"
    "}\n";

static const char keycloak_doc[] =
    "{\"issuer\":\"https://sso.example.org/realms/staff\","
    "\"authorization_endpoint\":\"https://sso.example.org/realms/staff/"
    "protocol/openid-connect/auth\","
    "\"token_endpoint\":\"https://sso.example.org/realms/staff/protocol/"
    "openid-connect/token\","
    "\"introspection_endpoint\":\"https://sso.example.org/realms/staff/"
    "protocol/openid-connect/token/introspect\","
    "\"userinfo_endpoint\":\"https://sso.example.org/realms/staff/protocol/"
    "openid-connect/userinfo\","
    "\"end_session_endpoint\":\"https://sso.example.org/realms/staff/"
    "protocol/openid-connect/logout\","
    "\"frontchannel_logout_session_supported\":true,"
    "\"authorization_response_iss_parameter_supported\":true,"
    "\"jwks_uri\":\"https://sso.example.org/realms/staff/protocol/"
    "openid-connect/certs\","
    "\"grant_types_supported\":[\"authorization_code\",\"refresh_token\"],"
    "\"response_types_supported\":[\"code\",\"none\",\"id_token\","
    "\"token\",\"id_token token\",\"code id_token\",\"code token\","
    "\"code id_token token\"],"
    "\"mtls_endpoint_aliases\":{\"token_endpoint\":\"https://sso.example.org"
    "/realms/staff/protocol/openid-connect/token\"}}";

static const char entra_doc[] =
    "{\"token_endpoint\":\"https://login.microsoftonline.com/" ENTRA_TENANT
    "/oauth2/v2.0/token\","
    "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\","
    "\"private_key_jwt\",\"client_secret_basic\"],"
    "\"jwks_uri\":\"https://login.microsoftonline.com/" ENTRA_TENANT
    "/discovery/v2.0/keys\","
    "\"response_modes_supported\":[\"query\",\"fragment\",\"form_post\"],"
    "\"response_types_supported\":[\"code\",\"id_token\",\"code id_token\","
    "\"id_token token\"],"
    "\"issuer\":\"" ENTRA_ISS "\","
    "\"authorization_endpoint\":\"https://login.microsoftonline.com/"
    ENTRA_TENANT "/oauth2/v2.0/authorize\","
    "\"userinfo_endpoint\":\"https://graph.microsoft.com/oidc/userinfo\","
    "\"end_session_endpoint\":\"https://login.microsoftonline.com/"
    ENTRA_TENANT "/oauth2/v2.0/logout\","
    "\"tenant_region_scope\":\"EU\",\"cloud_instance_name\":"
    "\"microsoftonline.com\"}";

static const char entra_common_doc[] =
    "{\"token_endpoint\":\"https://login.microsoftonline.com/common/oauth2/"
    "v2.0/token\","
    "\"jwks_uri\":\"https://login.microsoftonline.com/common/discovery/v2.0/"
    "keys\","
    "\"response_types_supported\":[\"code\",\"id_token\"],"
    "\"issuer\":\"" ENTRA_TEMPLATE "\","
    "\"authorization_endpoint\":\"https://login.microsoftonline.com/common/"
    "oauth2/v2.0/authorize\","
    "\"userinfo_endpoint\":\"https://graph.microsoft.com/oidc/userinfo\","
    "\"end_session_endpoint\":\"https://login.microsoftonline.com/common/"
    "oauth2/v2.0/logout\"}";

/* A minimal document for a local test provider: http to loopback is fine. */
static const char loopback_doc[] =
    "{\"issuer\":\"http://127.0.0.1:8080\","
    "\"authorization_endpoint\":\"http://127.0.0.1:8080/auth\","
    "\"token_endpoint\":\"http://localhost:8080/token\","
    "\"jwks_uri\":\"http://[::1]:8080/jwks\"}";

struct good {
	const char	*name;
	const char	*doc;
	const char	*expected;
	const char	*issuer;
	const char	*jwks_uri;
	const char	*userinfo;
	const char	*end_session;
	int		 tenant;
};

static const struct good goods[] = {
	{ "Google", google_doc, GOOGLE_ISS, GOOGLE_ISS,
	    "https://www.googleapis.com/oauth2/v3/certs",
	    "https://openidconnect.googleapis.com/v1/userinfo", NULL, 0 },
	{ "Keycloak", keycloak_doc, KEYCLOAK_ISS, KEYCLOAK_ISS,
	    KEYCLOAK_ISS "/protocol/openid-connect/certs",
	    KEYCLOAK_ISS "/protocol/openid-connect/userinfo",
	    KEYCLOAK_ISS "/protocol/openid-connect/logout", 0 },
	{ "Entra single tenant", entra_doc, ENTRA_ISS, ENTRA_ISS,
	    "https://login.microsoftonline.com/" ENTRA_TENANT
	    "/discovery/v2.0/keys",
	    "https://graph.microsoft.com/oidc/userinfo",
	    "https://login.microsoftonline.com/" ENTRA_TENANT
	    "/oauth2/v2.0/logout", 0 },
	{ "Entra /common/", entra_common_doc, ENTRA_COMMON, ENTRA_TEMPLATE,
	    "https://login.microsoftonline.com/common/discovery/v2.0/keys",
	    "https://graph.microsoft.com/oidc/userinfo",
	    "https://login.microsoftonline.com/common/oauth2/v2.0/logout", 1 },
	{ "Entra /organizations/", entra_common_doc,
	    "https://login.microsoftonline.com/organizations/v2.0",
	    ENTRA_TEMPLATE,
	    "https://login.microsoftonline.com/common/discovery/v2.0/keys",
	    "https://graph.microsoft.com/oidc/userinfo",
	    "https://login.microsoftonline.com/common/oauth2/v2.0/logout", 1 },
	{ "loopback http", loopback_doc, "http://127.0.0.1:8080",
	    "http://127.0.0.1:8080", "http://[::1]:8080/jwks", NULL, NULL, 0 },
};

/* The four required members, and a body to put around them. */
#define ISS	"\"issuer\":\"https://idp.example.com\""
#define AUTHZ	"\"authorization_endpoint\":\"https://idp.example.com/auth\""
#define TOKEN	"\"token_endpoint\":\"https://idp.example.com/token\""
#define JWKS	"\"jwks_uri\":\"https://idp.example.com/jwks\""
#define IDP	"https://idp.example.com"

struct bad {
	const char	*name;
	const char	*doc;
	const char	*expected;
	const char	*reason;	/* in the reason; NULL: any */
};

static const struct bad bads[] = {
	{ "array, not object", "[{" ISS "," AUTHZ "," TOKEN "," JWKS "}]", IDP,
	    "not a JSON object" },
	{ "string", "\"" IDP "\"", IDP, "not a JSON object" },
	{ "empty", "", IDP, "not a JSON object" },
	{ "truncated", "{" ISS "," AUTHZ, IDP, "not a JSON object" },
	{ "trailing garbage", "{" ISS "," AUTHZ "," TOKEN "," JWKS "} x", IDP,
	    "not a JSON object" },
	{ "issuer mismatch: trailing slash", "{" ISS "," AUTHZ "," TOKEN ","
	    JWKS "}", IDP "/", "issuer mismatch" },
	{ "issuer mismatch: document has slash",
	    "{\"issuer\":\"https://idp.example.com/\"," AUTHZ "," TOKEN ","
	    JWKS "}", IDP, "issuer mismatch" },
	{ "issuer mismatch: other host", "{" ISS "," AUTHZ "," TOKEN ","
	    JWKS "}", "https://evil.example.com", "issuer mismatch" },
	{ "issuer mismatch: case", "{" ISS "," AUTHZ "," TOKEN "," JWKS "}",
	    "https://IDP.example.com", "issuer mismatch" },
	{ "tenant template without multi-tenant expectation",
	    entra_common_doc, ENTRA_ISS, "issuer mismatch" },
	{ "tenant template, wrong segment",
	    entra_common_doc, "https://login.microsoftonline.com/commons/v2.0",
	    "issuer mismatch" },
	{ "tenant template, other host",
	    entra_common_doc, "https://login.example.com/common/v2.0",
	    "issuer mismatch" },
	{ "tenant template in jwks_uri",
	    "{" ISS "," AUTHZ "," TOKEN ",\"jwks_uri\":"
	    "\"https://idp.example.com/{tenantid}/keys\"}", IDP,
	    "jwks_uri holds characters" },
	{ "no issuer", "{" AUTHZ "," TOKEN "," JWKS "}", IDP,
	    "issuer missing" },
	{ "no authorization_endpoint", "{" ISS "," TOKEN "," JWKS "}", IDP,
	    "authorization_endpoint missing" },
	{ "no token_endpoint", "{" ISS "," AUTHZ "," JWKS "}", IDP,
	    "token_endpoint missing" },
	{ "no jwks_uri", "{" ISS "," AUTHZ "," TOKEN "}", IDP,
	    "jwks_uri missing" },
	{ "null jwks_uri", "{" ISS "," AUTHZ "," TOKEN ",\"jwks_uri\":null}",
	    IDP, "jwks_uri missing" },
	{ "issuer a number", "{\"issuer\":1," AUTHZ "," TOKEN "," JWKS "}",
	    IDP, "issuer is not a string" },
	{ "token_endpoint an array", "{" ISS "," AUTHZ ",\"token_endpoint\":"
	    "[\"https://idp.example.com/token\"]," JWKS "}", IDP,
	    "token_endpoint is not a string" },
	{ "jwks_uri an object", "{" ISS "," AUTHZ "," TOKEN ",\"jwks_uri\":"
	    "{\"keys\":[]}}", IDP, "jwks_uri is not a string" },
	{ "userinfo_endpoint true", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"userinfo_endpoint\":true}", IDP,
	    "userinfo_endpoint is not a string" },
	{ "end_session_endpoint a number", "{" ISS "," AUTHZ "," TOKEN ","
	    JWKS ",\"end_session_endpoint\":0}", IDP,
	    "end_session_endpoint is not a string" },
	{ "http token endpoint", "{" ISS "," AUTHZ ",\"token_endpoint\":"
	    "\"http://idp.example.com/token\"," JWKS "}", IDP,
	    "token_endpoint: plain http" },
	{ "http issuer", "{\"issuer\":\"http://idp.example.com\"," AUTHZ ","
	    TOKEN "," JWKS "}", "http://idp.example.com",
	    "issuer: plain http" },
	{ "http jwks on a look-alike host", "{" ISS "," AUTHZ "," TOKEN
	    ",\"jwks_uri\":\"http://127.0.0.1.evil.com/jwks\"}", IDP,
	    "jwks_uri: plain http" },
	{ "http userinfo", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"userinfo_endpoint\":\"http://idp.example.com/me\"}", IDP,
	    "userinfo_endpoint: plain http" },
	{ "javascript: authorization endpoint", "{" ISS
	    ",\"authorization_endpoint\":\"javascript:alert(1)\"," TOKEN ","
	    JWKS "}", IDP, "authorization_endpoint:" },
	{ "javascript: end session", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"end_session_endpoint\":\"javascript://idp.example.com/%0a"
	    "alert(1)\"}", IDP, "end_session_endpoint:" },
	{ "data: jwks", "{" ISS "," AUTHZ "," TOKEN ",\"jwks_uri\":"
	    "\"data:text/plain,abc\"}", IDP, "jwks_uri:" },
	{ "relative token endpoint", "{" ISS "," AUTHZ ",\"token_endpoint\":"
	    "\"/token\"," JWKS "}", IDP, "token_endpoint:" },
	{ "protocol-relative authorization endpoint", "{" ISS
	    ",\"authorization_endpoint\":\"//idp.example.com/auth\"," TOKEN
	    "," JWKS "}", IDP, "authorization_endpoint:" },
	{ "empty token endpoint", "{" ISS "," AUTHZ ",\"token_endpoint\":\"\","
	    JWKS "}", IDP, "token_endpoint:" },
	{ "user:password in jwks_uri", "{" ISS "," AUTHZ "," TOKEN
	    ",\"jwks_uri\":\"https://u:p@idp.example.com/jwks\"}", IDP,
	    "jwks_uri:" },
	{ "fragment in authorization endpoint", "{" ISS
	    ",\"authorization_endpoint\":\"https://idp.example.com/auth#x\","
	    TOKEN "," JWKS "}", IDP, "authorization_endpoint:" },
	{ "CR LF in authorization endpoint", "{" ISS
	    ",\"authorization_endpoint\":\"https://idp.example.com/a\\r\\n"
	    "Set-Cookie: x=y\"," TOKEN "," JWKS "}", IDP,
	    "authorization_endpoint holds characters" },
	{ "quote in end session", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"end_session_endpoint\":\"https://idp.example.com/\\\"><x\"}",
	    IDP, "end_session_endpoint holds characters" },
	{ "space in token endpoint", "{" ISS "," AUTHZ ",\"token_endpoint\":"
	    "\"https://idp.example.com/t oken\"," JWKS "}", IDP,
	    "token_endpoint holds characters" },
	{ "escaped NUL in jwks_uri", "{" ISS "," AUTHZ "," TOKEN
	    ",\"jwks_uri\":\"https://idp.example.com/j\\u0000wks\"}", IDP,
	    "jwks_uri is not a string" },
	{ "response types without code", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"response_types_supported\":[\"id_token\",\"code id_token\"]}",
	    IDP, "response_types_supported" },
	{ "response types empty", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"response_types_supported\":[]}", IDP,
	    "response_types_supported" },
	{ "response types a number", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"response_types_supported\":7}", IDP,
	    "response_types_supported" },
	{ "invalid UTF-8", "{" ISS "," AUTHZ "," TOKEN "," JWKS
	    ",\"x\":\"\xff\xfe\"}", IDP, "not a JSON object" },
};

static int
contains(const char *hay, const char *needle)
{
	return needle == NULL || strstr(hay, needle) != NULL;
}

static void
test_goods(void)
{
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good	*g = &goods[i];
		struct discovery	*d = NULL;
		enum err		 e;

		err_reason_clear();
		e = discovery_parse(g->doc, strlen(g->doc), g->expected, 0, &d);
		is_int(e, ERR_OK, "%s: parses", g->name);
		if (e != ERR_OK) {
			diag("reason: %s", err_reason_get());
			continue;
		}
		is_str(d->issuer, g->issuer, "%s: issuer", g->name);
		is_str(d->jwks_uri, g->jwks_uri, "%s: jwks_uri", g->name);
		ok(d->authorization_endpoint != NULL &&
		    d->token_endpoint != NULL, "%s: endpoints", g->name);
		is_str(d->userinfo_endpoint, g->userinfo, "%s: userinfo",
		    g->name);
		is_str(d->end_session_endpoint, g->end_session,
		    "%s: end_session", g->name);
		is_int(d->issuer_has_tenant, g->tenant, "%s: tenant template",
		    g->name);
		is_int(d->iss_in_response, g->doc == keycloak_doc,
		    "%s: RFC 9207 iss promised", g->name);
		discovery_free(d);
	}
}

static void
test_bads(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad	*b = &bads[i];
		struct discovery	*d = NULL;
		enum err		 e;

		err_reason_clear();
		e = discovery_parse(b->doc, strlen(b->doc), b->expected, 0, &d);
		is_int(e, ERR_PROVIDER, "bad: %s: refused", b->name);
		ok(d == NULL, "bad: %s: no output", b->name);
		ok(contains(err_reason_get(), b->reason),
		    "bad: %s: reason \"%s\"", b->name, err_reason_get());
		discovery_free(d);
	}
}

/* Builds a good document with {"a":{"a":...}} nested depth deep. */
static char *
nested(size_t depth)
{
	const char	*core = ISS "," AUTHZ "," TOKEN "," JWKS ",\"x\":";
	size_t		 len = 2 + strlen(core) + depth * 6 + depth + 2 + 1;
	char		*s = malloc(len), *p = s;

	if (s == NULL)
		return NULL;
	p += snprintf(p, len, "{%s", core);
	for (size_t i = 0; i < depth; i++)
		p += snprintf(p, len - (size_t)(p - s), "{\"a\":");
	p += snprintf(p, len - (size_t)(p - s), "1");
	for (size_t i = 0; i < depth; i++)
		*p++ = '}';
	*p++ = '}';
	*p = '\0';
	return s;
}

static void
test_limits(void)
{
	struct discovery	*d = NULL;
	const char		*good;
	char			*big, *deep;
	size_t			 n;

	good = "{" ISS "," AUTHZ "," TOKEN "," JWKS "}";
	/* Over the bound: refused before parsing, even when well-formed. */
	n = BOUND_DISCOVERY_BODY + 1;
	big = malloc(n + 1);
	memset(big, ' ', n);
	memcpy(big, good, strlen(good));
	big[n] = '\0';
	err_reason_clear();
	is_int(discovery_parse(big, n, IDP, 0, &d), ERR_PROVIDER,
	    "over-size document refused");
	ok(contains(err_reason_get(), "over"), "over-size reason: %s",
	    err_reason_get());
	/* Exactly at the bound (trailing whitespace) is fine. */
	err_reason_clear();
	is_int(discovery_parse(big, n - 1, IDP, 0, &d), ERR_OK,
	    "document at the bound accepted");
	discovery_free(d);
	d = NULL;
	free(big);

	/* A NUL inside the length. */
	err_reason_clear();
	is_int(discovery_parse("{" ISS "," AUTHZ "," TOKEN "," JWKS "}\0",
	    strlen(good) + 1, IDP, 0, &d), ERR_PROVIDER, "embedded NUL refused");
	err_reason_clear();
	is_int(discovery_parse("{" ISS ",\0" AUTHZ "," TOKEN "," JWKS "}",
	    strlen(good) + 1, IDP, 0, &d), ERR_PROVIDER,
	    "NUL in the middle refused");

	deep = nested(BOUND_JSON_DEPTH + 4);
	err_reason_clear();
	is_int(discovery_parse(deep, strlen(deep), IDP, 0, &d), ERR_PROVIDER,
	    "deep nesting refused");
	free(deep);
	deep = nested(BOUND_JSON_DEPTH - 4);
	err_reason_clear();
	is_int(discovery_parse(deep, strlen(deep), IDP, 0, &d), ERR_OK,
	    "shallow nesting accepted");
	discovery_free(d);
	free(deep);

	discovery_free(NULL);
	ok(1, "discovery_free(NULL)");
}

/* A reason recorded earlier in the request keeps the slot. */
static void
test_reason_kept(void)
{
	struct discovery	*d = NULL;
	const char		*doc = "{" ISS ",\"authorization_endpoint\":"
	    "\"http://idp.example.com/auth\"," TOKEN "," JWKS "}";

	err_reason_clear();
	err_reason("earlier");
	is_int(discovery_parse(doc, strlen(doc), IDP, 0, &d), ERR_PROVIDER,
	    "bad URL with an earlier reason");
	is_str(err_reason_get(), "earlier", "earlier reason kept");
	err_reason_clear();
}


/* One issuer form against another, derived from the URL or configured. */
static const struct {
	const char	*doc_issuer;
	const char	*expected;
	int		 derived;
	int		 accepted;
} issuer_forms[] = {
	/* Auth0 and LemonLDAP::NG: X/.well-known/... for the issuer X/. */
	{ "https://tenant.auth0.com/", "https://tenant.auth0.com", 1, 1 },
	{ "https://sso.example.org/portal/", "https://sso.example.org/portal",
	    1, 1 },
	{ "https://tenant.auth0.com", "https://tenant.auth0.com", 1, 1 },
	/* Configured explicitly: exactly, nothing else. */
	{ "https://tenant.auth0.com/", "https://tenant.auth0.com", 0, 0 },
	{ "https://tenant.auth0.com/", "https://tenant.auth0.com/", 0, 1 },
	/* Nothing looser than one final '/'. */
	{ "https://tenant.auth0.com//", "https://tenant.auth0.com", 1, 0 },
	{ "https://tenant.auth0.com/x", "https://tenant.auth0.com", 1, 0 },
	{ "https://TENANT.auth0.com/", "https://tenant.auth0.com", 1, 0 },
	{ "https://tenant.auth0.com", "https://tenant.auth0.com/", 1, 0 },
	{ "https://tenant.auth0.com/?", "https://tenant.auth0.com", 1, 0 },
};

static void
test_issuer_forms(void)
{
	char	doc[512];

	for (size_t i = 0; i < sizeof(issuer_forms) /
	    sizeof(issuer_forms[0]); i++) {
		struct discovery	*d = NULL;
		enum err		 e;

		snprintf(doc, sizeof(doc), "{\"issuer\":\"%s\"," AUTHZ ","
		    TOKEN "," JWKS "}", issuer_forms[i].doc_issuer);
		err_reason_clear();
		e = discovery_parse(doc, strlen(doc), issuer_forms[i].expected,
		    issuer_forms[i].derived, &d);
		is_int(e == ERR_OK, issuer_forms[i].accepted,
		    "issuer %s for %s (%s): %s", issuer_forms[i].doc_issuer,
		    issuer_forms[i].expected, issuer_forms[i].derived ?
		    "derived" : "configured", issuer_forms[i].accepted ?
		    "accepted" : "refused");
		if (e == ERR_OK)
			is_str(d->issuer, issuer_forms[i].doc_issuer,
			    "the document's issuer is the one tokens carry");
		else
			ok(strstr(err_reason_get(), "set issuer = ") != NULL,
			    "the refusal names the issuer key");
		discovery_free(d);
	}
}

/* What the document says of client authentication, algorithms, claims. */
static void
test_capabilities(void)
{
	const char		*doc = "{" ISS "," AUTHZ "," TOKEN "," JWKS ","
	    "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\","
	    "\"private_key_jwt\"],\"id_token_signing_alg_values_supported\":"
	    "[\"HS512\",\"HS256\"],\"claims_supported\":[\"sub\",\"email\"],"
	    "\"prompt_values_supported\":[\"none\",\"login\",\"consent\"]}";
	struct discovery	*d = NULL;

	if (discovery_parse(doc, strlen(doc), IDP, 0, &d) != ERR_OK) {
		ok(0, "capabilities: parses");
		return;
	}
	ok(d->auth_methods_listed && !d->auth_basic && d->auth_post &&
	    !d->auth_none, "client_secret_post alone of ours");
	ok(d->only_hmac_algs, "only HMAC algorithms");
	ok(d->claims_listed && !d->claims_email_verified, "claims without "
	    "email_verified");
	ok(d->prompts_listed && d->prompt_login && !d->prompt_select_account,
	    "prompts: login, not select_account");
	discovery_free(d);
	if (discovery_parse(google_doc, strlen(google_doc), GOOGLE_ISS, 0,
	    &d) != ERR_OK) {
		ok(0, "google: parses");
		return;
	}
	ok(!d->auth_methods_listed && !d->only_hmac_algs &&
	    !d->claims_listed && !d->prompts_listed && !d->prompt_login,
	    "a document without the lists");
	discovery_free(d);
}

int
main(void)
{
	test_issuer_forms();
	test_capabilities();
	test_goods();
	test_bads();
	test_limits();
	test_reason_kept();
	return tap_done();
}
