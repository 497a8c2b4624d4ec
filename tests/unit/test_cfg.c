#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "cfg.h"

#include "tap.h"

#define SECRET		"Qw8Er2Ty6Ui0Op4As1Df5Gh9Jk3Lz7XcVbNm"
#define SECRET2		"Mn0Bv9Cx8Zl7Kj6Hg5Fd4Sa3Qw2Er1TyUiOp"
#define META	"https://idp.example.com/.well-known/openid-configuration"

/* Three lines: the provider sections below start at line 4. */
#define AUTH								\
	"[auth]\n"							\
	"redirect_uri = \"https://app.example.com/oauth2callback\"\n"	\
	"cookie_secret = \"" SECRET "\"\n"

/* Four lines. */
#define PROVIDER(name)							\
	"[auth." name "]\n"						\
	"client_id = \"id\"\n"						\
	"client_secret = \"sec\"\n"					\
	"server_metadata_url = \"" META "\"\n"

/* A complete default provider at [auth] level: three lines. */
#define DEFAULT_KEYS							\
	"client_id = \"id\"\n"						\
	"client_secret = \"sec\"\n"					\
	"server_metadata_url = \"" META "\"\n"

#define LONG50	"abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdef"
#define LONG200	LONG50 LONG50 LONG50 LONG50

static char	msg[2048];

/* Loads text, keeping the reason of a refusal in msg. */
static enum err
load_string(const char *text, const char *path, struct cfg **out)
{
	enum err	e;

	err_reason_clear();
	e = cfg_load_string(text, path, out);
	snprintf(msg, sizeof(msg), "%s", err_reason_get());
	return e;
}

static enum err
load_file(const char *path, struct cfg **out)
{
	enum err	e;

	err_reason_clear();
	e = cfg_load(path, out);
	snprintf(msg, sizeof(msg), "%s", err_reason_get());
	return e;
}

static char *
fixture_path(const char *name)
{
	const char	*top = getenv("top_srcdir");
	static char	 path[4096];

	snprintf(path, sizeof(path), "%s/tests/fixtures/config/%s",
	    top != NULL && *top != '\0' ? top : ".", name);
	return path;
}

static struct cfg *
load_fixture(const char *name)
{
	struct cfg	*cfg = NULL;
	enum err	 e;

	e = load_file(fixture_path(name), &cfg);
	if (!ok(e == ERR_OK && cfg != NULL, "%s loads", name))
		diag("%s", msg);
	return cfg;
}

static void
dump_list(struct buf *b, const char *name, const struct cfg_list *l)
{
	buf_printf(b, "%s:", name);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(b, " %s", l->items[i]);
	buf_putc(b, '\n');
}

static void
dump_pairs(struct buf *b, const char *name, const struct cfg_pair *p,
    size_t n)
{
	buf_printf(b, "%s:", name);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, " %s=%s", p[i].name, p[i].value);
	buf_putc(b, '\n');
}

static void
dump_rules(struct buf *b, const struct cfg_rules *r)
{
	dump_list(b, "domains", &r->email_domains);
	dump_list(b, "emails", &r->emails);
	dump_pairs(b, "claims", r->claims, r->nclaims);
}

#define S(x)	((x) != NULL ? (x) : "(null)")

/* Everything in a cfg but line numbers and the path, as text. */
static const char *
dump(struct arena *a, const struct cfg *c)
{
	struct buf	b;

	buf_init(&b, a, 65536);
	buf_printf(&b, "%s %s %s %d %s\n", S(c->redirect_uri),
	    S(c->redirect_path), S(c->origin), c->secure, S(c->base_path));
	buf_printf(&b, "secret %.*s prev %zu\n", (int)c->secret.len,
	    (const char *)c->secret.bytes, c->nprevious);
	buf_printf(&b, "expose %d %d age %lld name %s path %s title %s\n",
	    c->expose_id, c->expose_access, c->cookie_max_age,
	    S(c->cookie_name), S(c->cookie_path), S(c->page_title));
	buf_printf(&b, "tmpl %s logout %d %s\n", S(c->template_dir),
	    c->logout, S(c->post_logout_redirect_uri));
	buf_printf(&b, "http %lld %lld %s skew %lld ttl %lld claim %s "
	    "level %d\n", c->http_timeout, c->http_connect_timeout,
	    S(c->http_ca_file), c->clock_skew, c->metadata_ttl,
	    S(c->user_claim), c->log_level);
	dump_rules(&b, &c->rules);
	for (size_t i = 0; i < c->nproviders; i++) {
		const struct cfg_provider	*p = &c->providers[i];

		buf_printf(&b, "provider %s [%s] %s %s %s\n", S(p->name),
		    S(p->display_name), S(p->client_id), S(p->client_secret),
		    S(p->server_metadata_url));
		buf_printf(&b, "  issuer %s %d scope %s auth %d userinfo %d "
		    "logout %s\n", S(p->issuer), p->issuer_explicit,
		    S(p->scope), p->token_auth, p->userinfo,
		    S(p->post_logout_redirect_uri));
		dump_pairs(&b, "  params", p->params, p->nparams);
		dump_list(&b, "  hmac", &p->hmac_algs);
		dump_list(&b, "  tenants", &p->allowed_tenants);
		dump_rules(&b, &p->rules);
	}
	return b.data;
}

static void
test_google(void)
{
	struct cfg			*c;
	const struct cfg_provider	*p;

	if ((c = load_fixture("streamlit-google.toml")) == NULL)
		return;
	is_str(c->redirect_uri, "http://localhost:8501/oauth2callback",
	    "google: redirect_uri");
	is_str(c->redirect_path, "/oauth2callback", "google: redirect_path");
	is_str(c->origin, "http://localhost:8501", "google: origin");
	is_int(c->secure, 0, "google: not secure (http on localhost)");
	is_str(c->base_path, "", "google: base_path from /oauth2callback");
	is_int(c->secret.len, 37, "google: secret length");
	ok(memcmp(c->secret.bytes, "kP3vR8wQz1Lm", 12) == 0,
	    "google: secret bytes");
	is_int(c->nprevious, 0, "google: no previous secrets");
	is_int(c->expose_id + c->expose_access, 0, "google: no tokens kept");
	is_int(c->cookie_max_age, BOUND_SESSION_MAX_AGE_DEFAULT,
	    "google: cookie_max_age default");
	is_str(c->cookie_name, "oidc_login", "google: cookie_name default");
	is_str(c->cookie_path, "/", "google: cookie_path default");
	is_str(c->page_title, "localhost:8501",
	    "google: page_title default: the host of redirect_uri");
	is_str(c->home_url, "http://localhost:8501/",
	    "google: home_url default: the origin");
	is_str(c->template_dir, TEMPLATE_DIR, "google: template_dir default");
	is_int(c->logout, CFG_LOGOUT_PROVIDER, "google: logout default");
	is_str(c->post_logout_redirect_uri, "http://localhost:8501/",
	    "google: post_logout_redirect_uri default");
	is_int(c->http_timeout, BOUND_HTTP_TIMEOUT_DEFAULT,
	    "google: http_timeout default");
	is_int(c->http_connect_timeout, BOUND_HTTP_CONNECT_DEFAULT,
	    "google: http_connect_timeout default");
	ok(c->http_ca_file == NULL, "google: system CA store");
	is_int(c->clock_skew, BOUND_CLOCK_SKEW_DEFAULT, "google: clock_skew");
	is_int(c->metadata_ttl, BOUND_METADATA_TTL_DEFAULT,
	    "google: metadata_ttl");
	is_str(c->user_claim, "email", "google: user_claim default");
	is_int(c->log_level, LOG_LEVEL_INFO, "google: log_level default");
	is_int(c->nproviders, 1, "google: one provider");
	p = &c->providers[0];
	is_str(p->name, "default", "google: provider named default");
	is_str(p->display_name, "accounts.google.com",
	    "google: default display_name is the host");
	is_str(p->client_id, "1024393-k3n4l5m6.apps.googleusercontent.com",
	    "google: client_id");
	is_str(p->client_secret, "GOCSPX-q8Zr2Lw5Tn9Vb3Xc7Md1Kf6Hj4",
	    "google: client_secret");
	is_str(p->issuer, "https://accounts.google.com", "google: issuer");
	is_int(p->issuer_explicit, 0, "google: issuer derived");
	is_str(p->scope, "openid email profile", "google: scope default");
	is_int(p->nparams, 0, "google: no extra parameters");
	is_int(p->token_auth, CFG_TOKEN_AUTH_AUTO,
	    "google: client authentication from the provider's metadata");
	is_int(p->userinfo, 1, "google: userinfo on");
	ok(p->post_logout_redirect_uri == NULL, "google: no own logout uri");
	is_int(p->line, 1, "google: provider line is [auth]'s");
	ok(cfg_provider_find(c, "default", 7) == p, "google: find default");
	ok(cfg_provider_find(c, "defaul", 6) == NULL,
	    "google: no prefix match");
	cfg_free(c);
}

static void
test_multi(void)
{
	struct cfg			*c;
	const struct cfg_provider	*g, *m;

	if ((c = load_fixture("streamlit-multi.toml")) == NULL)
		return;
	is_int(c->nproviders, 2, "multi: two providers");
	g = cfg_provider_find(c, "google", 6);
	m = cfg_provider_find(c, "microsoft", 9);
	ok(g != NULL && m != NULL, "multi: both found by name");
	ok(cfg_provider_find(c, "default", 7) == NULL, "multi: no default");
	if (g == NULL || m == NULL)
		goto out;
	is_str(g->display_name, "Google", "multi: Google label");
	is_str(m->display_name, "Microsoft", "multi: Microsoft label");
	is_str(m->issuer, "https://login.microsoftonline.com/"
	    "9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", "multi: Entra issuer");
	is_int(g->line, 5, "multi: google line");
	is_int(m->line, 10, "multi: microsoft line");
out:
	cfg_free(c);
}

static void
test_auth0(void)
{
	struct cfg	*c = load_fixture("streamlit-auth0-kwargs.toml");

	if (c == NULL)
		return;
	is_int(c->nproviders, 1, "auth0: one provider");
	is_str(c->providers[0].name, "auth0", "auth0: name");
	is_str(c->providers[0].display_name, "Auth0", "auth0: label");
	is_int(c->providers[0].nparams, 1, "auth0: one parameter");
	if (c->providers[0].nparams == 1) {
		is_str(c->providers[0].params[0].name, "prompt",
		    "auth0: quoted key \"prompt\"");
		is_str(c->providers[0].params[0].value, "login",
		    "auth0: prompt = login");
	}
	is_str(c->providers[0].scope, "openid email profile",
	    "auth0: default scope kept");
	is_str(c->providers[0].issuer, "https://dev-k3x9q2.us.auth0.com",
	    "auth0: issuer");
	cfg_free(c);
}

static void
test_microsoft_okta(void)
{
	struct cfg	*c = load_fixture("streamlit-microsoft-okta.toml");

	if (c == NULL)
		return;
	is_int(c->nproviders, 2, "okta: two providers");
	if (c->nproviders == 2)
		is_str(c->providers[1].display_name, "Okta", "okta: label");
	cfg_free(c);
}

static void
test_equivalent_forms(void)
{
	struct arena		*a = arena_new();
	struct cfg		*s = load_fixture("subtable.toml");
	struct cfg		*i = load_fixture("inline.toml");
	struct cfg		*d = load_fixture("dotted.toml");
	const struct cfg_provider *g;
	const char		*ds;

	if (s == NULL || i == NULL || d == NULL)
		goto out;
	ds = dump(a, s);
	is_str(dump(a, i), ds, "inline.toml == subtable.toml");
	is_str(dump(a, d), ds, "dotted.toml == subtable.toml");

	is_int(s->secure, 1, "subtable: https is secure");
	is_str(s->base_path, "/auth", "subtable: base_path from the callback");
	is_str(s->post_logout_redirect_uri, "https://app.example.org/",
	    "subtable: post logout default");
	ok(s->expose_id && s->expose_access, "subtable: both tokens exposed");
	is_int(s->rules.nclaims, 1, "subtable: one global claim");
	if (s->rules.nclaims == 1) {
		is_str(s->rules.claims[0].name, "email_verified",
		    "subtable: claim name");
		is_str(s->rules.claims[0].value, "true",
		    "subtable: boolean claim as text");
	}
	is_int(s->nproviders, 2, "subtable: default and google");
	if (s->nproviders != 2)
		goto out;
	is_str(s->providers[0].name, "default", "subtable: default first");
	is_str(s->providers[0].scope, "openid email",
	    "subtable: default scope");
	is_str(s->providers[0].display_name, "idp.example.org",
	    "subtable: default label");
	is_str(s->providers[0].issuer, "https://idp.example.org/realms/main",
	    "subtable: default issuer");
	g = &s->providers[1];
	is_str(g->scope, "openid email profile", "subtable: array scope");
	is_int(g->nparams, 4, "subtable: four google parameters");
	if (g->nparams == 4) {
		is_str(g->params[0].name, "hd", "subtable: hd first");
		is_str(g->params[1].value, "3600", "subtable: integer as text");
		is_str(g->params[2].value, "offline",
		    "subtable: authorize_params after client_kwargs");
		is_str(g->params[3].value, "true", "subtable: bool as text");
	}
	is_int(g->rules.email_domains.n, 2, "subtable: two domains");
	if (g->rules.email_domains.n == 2)
		is_str(g->rules.email_domains.items[1], "example.com",
		    "subtable: domains folded to lower case");
	is_int(s->providers[0].line, 2, "subtable: default at [auth]");
	is_int(g->line, 17, "subtable: google at its header");
	is_int(d->providers[1].line, 15, "dotted: google at its first key");
out:
	cfg_free(s);
	cfg_free(i);
	cfg_free(d);
	arena_free(a);
}

static void
test_app_sections(void)
{
	struct cfg	*c = load_fixture("app-sections.toml");

	if (c == NULL)
		return;
	is_int(c->nproviders, 1, "app: only the keycloak provider");
	is_str(c->providers[0].display_name, "Keycloak", "app: label");
	is_str(c->providers[0].scope, "openid email profile roles",
	    "app: scope from a multi-line inline table");
	is_int(c->providers[0].nparams, 1, "app: one parameter");
	is_int(c->nprevious, 2, "app: two previous secrets");
	is_int(c->cookie_max_age, 86400, "app: cookie_max_age with '_'");
	is_int(c->log_level, LOG_LEVEL_DEBUG, "app: log_level debug");
	is_int(c->providers[0].line, 44, "app: provider line");
	cfg_free(c);
}

/* Configurations that must load, with one field to check. */
static void
test_good_strings(void)
{
	struct cfg	*c;
	enum err	 e;

	e = load_string("\xef\xbb\xbf[auth]\r\n"
	    "redirect_uri = \"http://127.0.0.1:8080/cb\"\r\n"
	    "cookie_secret = \"" SECRET "\"\r\n" DEFAULT_KEYS, "bom.toml", &c);
	ok(e == ERR_OK, "BOM and CRLF line ends load");
	if (e == ERR_OK)
		is_str(c->redirect_path, "/cb", "CRLF: value without \\r");
	cfg_free(c);

	e = load_string(AUTH PROVIDER("p")
	    "token_endpoint_auth_method = \"none\"\n", "t", &c);
	ok(e != ERR_OK && strstr(msg, "not used with") != NULL,
	    "none with a secret is refused");
	/* At the key's own line (6), not the section's header (4). */
	ok(strstr(msg, "t:6: [auth.p] client_secret: not used with") != NULL,
	    "... at the line of client_secret (%s)", msg);
	e = load_string(AUTH "[auth.p]\nclient_id = \"id\"\n"
	    "server_metadata_url = \"" META "\"\n"
	    "token_endpoint_auth_method = \"none\"\n", "t", &c);
	ok(e == ERR_OK && c->providers[0].client_secret == NULL &&
	    c->providers[0].token_auth == CFG_TOKEN_AUTH_NONE,
	    "a public client needs no secret");
	cfg_free(c);

	e = load_string(AUTH "[auth.p]\nclient_id = \"id\"\n"
	    "client_secret = \"s\"\n"
	    "server_metadata_url = \"https://as.example.com/.well-known/"
	    "oauth-authorization-server/tenant1\"\n", "t", &c);
	ok(e == ERR_OK && strcmp(c->providers[0].issuer,
	    "https://as.example.com/tenant1") == 0, "RFC 8414 issuer");
	cfg_free(c);

	e = load_string(AUTH PROVIDER("0idp-with_32-characters-exactly")
	    "issuer = \"https://other.example.com\"\n"
	    "client_kwargs = { response_mode = \"query\" }\n"
	    "id_token_hmac_algs = [\"HS256\", \"HS512\"]\n"
	    "allowed_tenants = \"9188040d-6c67-4c5b-b112-36a304b66dad\"\n"
	    "post_logout_redirect_uri = \"https://app.example.com/bye\"\n"
	    "userinfo = false\n", "t", &c);
	if (ok(e == ERR_OK, "a 32-character name and every provider key")) {
		const struct cfg_provider *p = &c->providers[0];

		is_str(p->issuer, "https://other.example.com",
		    "explicit issuer");
		is_int(p->issuer_explicit, 1, "issuer_explicit");
		is_str(p->display_name, "0idp-with_32-characters-exactly",
		    "label from a name starting with a digit");
		is_int(p->nparams, 1, "response_mode=query is allowed");
		is_int(p->hmac_algs.n, 2, "two HMAC algorithms");
		is_int(p->allowed_tenants.n, 1, "a single tenant string");
		is_str(p->post_logout_redirect_uri,
		    "https://app.example.com/bye", "per-provider logout uri");
		is_int(p->userinfo, 0, "userinfo off");
	} else
		diag("%s", msg);
	cfg_free(c);

	/* A random secret may hold "xxx"; it must not be taken for a sample. */
	e = load_string("[auth]\nredirect_uri = \"https://a.example.com/"
	    "x/y/cb\"\ncookie_secret = \"aB3dE5fG7hI9jK1lM2nO4pQ6rS8tUxxxZ\"\n"
	    DEFAULT_KEYS "base_path = \"\"\nhttp_ca_file = \"/dev/null\"\n"
	    "allowed_emails = \"Bob@Example.com\"\n", "t", &c);
	ok(e == ERR_OK, "a random-looking secret holding xxx is fine");
	if (e == ERR_OK) {
		is_str(c->base_path, "", "explicit empty base_path");
		is_str(c->http_ca_file, "/dev/null", "http_ca_file kept");
		is_str(c->rules.emails.items[0], "bob@example.com",
		    "emails folded to lower case");
	} else
		diag("%s", msg);
	cfg_free(c);

	e = load_string("[auth]\nredirect_uri = \"https://a.example.com/"
	    "x/y/cb\"\ncookie_secret = \"" SECRET "\"\n" DEFAULT_KEYS,
	    "t", &c);
	ok(e == ERR_OK && strcmp(c->base_path, "/x/y") == 0,
	    "base_path from a deep callback");
	cfg_free(c);

	/*
	 * What an INI parser (inih, as the first design had it) gets wrong:
	 * lines over 200 bytes, ';' comments, indented continuation lines,
	 * section names over 49 bytes.
	 */
	e = load_string(AUTH "  page_title = \"Sales ; internal\" # ; \n"
	    "[auth.abcdefghijabcdefghijabcdefghijab.authorize_params]\n"
	    "audience = \"https://api.example.com/" LONG200 "\"\n"
	    "[auth.abcdefghijabcdefghijabcdefghijab]\n"
	    "client_id = \"" LONG200 "\"\n"
	    "    client_secret = \"s\"\n"
	    "server_metadata_url = \"" META "\"\n", "t", &c);
	if (ok(e == ERR_OK, "what an INI parser would mangle loads")) {
		is_str(c->page_title, "Sales ; internal", "';' is no comment");
		is_int(strlen(c->providers[0].client_id), 200,
		    "a 200-byte value is whole");
		is_int(strlen(c->providers[0].params[0].value), 224,
		    "a long parameter in a long section is whole");
		is_str(c->providers[0].client_secret, "s",
		    "an indented line is a key, not a continuation");
	} else
		diag("%s", msg);
	cfg_free(c);

	e = load_string("auth.redirect_uri = \"https://a.example.com/cb\"\n"
	    "auth.cookie_secret = \"" SECRET "\"\n"
	    "auth.g = { client_id = \"i\", client_secret = \"s\", "
	    "server_metadata_url = \"" META "\" }\n", "t", &c);
	ok(e == ERR_OK && c->nproviders == 1 &&
	    strcmp(c->providers[0].name, "g") == 0,
	    "top-level dotted auth keys and an inline provider");
	cfg_free(c);
}

struct bad {
	const char	*text;
	const char	*want;		/* a substring of the message */
};

static const struct bad bads[] = {
	/* Required keys. */
	{ "[auth]\ncookie_secret = \"" SECRET "\"\n" PROVIDER("g"),
	    "secrets.toml:1: [auth] redirect_uri: missing. Set it" },
	{ "[auth]\nredirect_uri = \"https://a.example.com/cb\"\n"
	    PROVIDER("g"), "secrets.toml:1: [auth] cookie_secret: missing. "
	    "Generate one with: oidc-login --gen-secret" },
	{ AUTH, "secrets.toml:1: [auth] no provider: add client_id, "
	    "client_secret and server_metadata_url to [auth], or a "
	    "[auth.NAME] section" },
	{ AUTH "[auth.g]\nclient_secret = \"s\"\nserver_metadata_url = \""
	    META "\"\n", "secrets.toml:4: [auth.g] missing client_id." },
	{ AUTH "[auth.g]\nclient_id = \"s\"\nserver_metadata_url = \""
	    META "\"\n", "secrets.toml:4: [auth.g] missing client_secret." },
	{ AUTH "[auth.g]\nclient_id = \"s\"\nclient_secret = \"s\"\n",
	    "secrets.toml:4: [auth.g] missing server_metadata_url." },
	{ AUTH "[auth.g]\ndisplay_name = \"G\"\n", "secrets.toml:4: [auth.g] "
	    "missing client_id, client_secret, server_metadata_url" },
	{ AUTH "client_id = \"x\"\n", "secrets.toml:1: [auth] the default "
	    "provider is incomplete: missing client_secret, "
	    "server_metadata_url" },
	{ "title = \"x\"\n[db]\nauth = 1\n", "secrets.toml: no [auth] "
	    "section" },
	{ "auth = \"x\"\n", "secrets.toml:1: [auth] auth must be a table" },
	/* Secrets. */
	{ "[auth]\nredirect_uri = \"https://a.example.com/cb\"\n"
	    "cookie_secret = \"abcdefghijkl\"\n", "secrets.toml:3: [auth] "
	    "cookie_secret: too short (12 characters, need at least 32). "
	    "Generate one with: oidc-login --gen-secret" },
	{ "[auth]\ncookie_secret = \"xxx\"\n", "secrets.toml:2: [auth] "
	    "cookie_secret: too short (3 characters" },
	{ "[auth]\ncookie_secret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "\"\n", "secrets.toml:2: [auth] cookie_secret: too weak (only 1 "
	    "distinct" },
	{ "[auth]\ncookie_secret = \"this-is-my-secret-cookie-key-for-the-app"
	    "\"\n", "cookie_secret: looks like a placeholder (it contains "
	    "\"secret\"). Generate one with" },
	{ "[auth]\ncookie_secret = \"CHANGEME-changeme-ChangeMe-1234-5678\"\n",
	    "placeholder (it contains \"changeme\")" },
	{ "[auth]\ncookie_secret = \"your-own-long-random-cookie-value-here-4"
	    "2\"\n", "placeholder (it contains \"your\")" },
	{ "[auth]\ncookie_secret = 12345\n", "secrets.toml:2: [auth] "
	    "cookie_secret: must be a string in quotes, not an integer" },
	{ AUTH "cookie_secret_previous = \"" SECRET "\"\n" PROVIDER("g"),
	    "secrets.toml:4: [auth] cookie_secret_previous: must differ from "
	    "cookie_secret" },
	{ AUTH "cookie_secret_previous = [\"" SECRET2 "\", \"" SECRET2 "\", \""
	    SECRET2 "\", \"" SECRET2 "\", \"" SECRET2 "\"]\n",
	    "secrets.toml:4: [auth] cookie_secret_previous: 5 secrets; at most "
	    "4" },
	{ AUTH "cookie_secret_previous = [\"" SECRET2 "\",\n  \"short\"]\n",
	    "secrets.toml:5: [auth] cookie_secret_previous: too short" },
	/* Bad values of global keys. */
	{ AUTH "expose_tokens = \"refresh\"\n", "secrets.toml:4: [auth] "
	    "expose_tokens: \"refresh\": only 'id' and 'access' are allowed" },
	{ AUTH "expose_tokens = [\"id\", 1]\n", "secrets.toml:4: [auth] "
	    "expose_tokens: must be a string or an array of strings, not an "
	    "integer" },
	{ AUTH "cookie_max_age = 10\n", "secrets.toml:4: [auth] "
	    "cookie_max_age: 10 is out of range. Use a value from 60 to "
	    "34560000" },
	{ AUTH "cookie_max_age = \"3600\"\n", "cookie_max_age: must be an "
	    "integer (a number without quotes), not a string" },
	{ AUTH "cookie_max_age = 3600.0\n", "secrets.toml:4: [auth] "
	    "cookie_max_age: unsupported value type: floating-point numbers "
	    "(column 18)" },
	{ AUTH "http_timeout = 0\n", "http_timeout: 0 is out of range" },
	{ AUTH "http_timeout = 121\n", "http_timeout: 121 is out of range" },
	{ AUTH DEFAULT_KEYS "http_connect_timeout = 20\n", "secrets.toml:7: "
	    "[auth] http_connect_timeout: 20 is more than http_timeout (10)" },
	{ AUTH "clock_skew = -1\n", "clock_skew: -1 is out of range" },
	{ AUTH "metadata_ttl = 999999\n", "metadata_ttl: 999999 is out of "
	    "range" },
	{ AUTH "cookie_name = \"__Host-x\"\n", "secrets.toml:4: [auth] "
	    "cookie_name: must not start with \"__\"" },
	{ AUTH "cookie_name = \"a b\"\n", "cookie_name: \"a b\" is not a valid "
	    "cookie name" },
	{ AUTH "cookie_path = \"app\"\n", "cookie_path: \"app\" is not a "
	    "cookie path" },
	{ AUTH "cookie_path = \"/a;b\"\n", "is not a cookie path" },
	{ AUTH "logout_mode = \"global\"\n", "logout_mode: \"global\" is not "
	    "supported. Use \"provider\" or \"local\"" },
	{ AUTH "logout_mode = local\n", "secrets.toml:4: [auth] logout_mode: "
	    "a bare word is not a value: put text in quotes (column 15)" },
	{ AUTH "log_level = \"verbose\"\n", "log_level: \"verbose\" is not "
	    "supported. Use \"error\", \"warn\", \"info\" or \"debug\"" },
	{ AUTH "base_path = \"/auth/\"\n", "base_path: \"/auth/\" is not a "
	    "mount point" },
	{ AUTH "page_title = \"" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789" "x\"\n",
	    "page_title: too long (201 bytes, at most 200)" },
	{ AUTH "page_title = \"a\\nb\"\n", "page_title: must not contain "
	    "control characters" },
	{ AUTH "http_ca_file = \"/nonexistent/ca.pem\"\n", "http_ca_file: "
	    "cannot read \"/nonexistent/ca.pem\": No such file" },
	{ AUTH "user_claim = \"\"\n", "user_claim: \"\" is not a claim name" },
	{ AUTH "allowed_emails = \"bob\"\n", "allowed_emails: \"bob\" is not "
	    "an email address" },
	{ AUTH "allowed_email_domains = [\"@example.com\"]\n",
	    "allowed_email_domains: \"@example.com\" is not a domain" },
	{ AUTH "required_claims = { groups = [\"a\"] }\n", "secrets.toml:4: "
	    "[auth] required_claims.groups: must be a string, an integer or "
	    "a boolean, not an array" },
	{ AUTH "required_claims = \"x\"\n", "required_claims: must be a "
	    "table" },
	/* URLs. */
	{ "[auth]\nredirect_uri = \"not a url\"\n", "secrets.toml:2: [auth] "
	    "redirect_uri: not a usable URL (" },
	{ "[auth]\nredirect_uri = \"http://app.example.com/cb\"\n",
	    "secrets.toml:2: [auth] redirect_uri: redirect_uri must use "
	    "https; plain http is accepted only for localhost / 127.0.0.1" },
	{ "[auth]\nredirect_uri = \"https://a.example.com/cb#x\"\n",
	    "redirect_uri: not a usable URL (URL has a fragment)" },
	{ AUTH "[auth.g]\nserver_metadata_url = \"http://idp.example.com/"
	    ".well-known/openid-configuration\"\n", "secrets.toml:5: [auth.g] "
	    "server_metadata_url: must use https" },
	{ AUTH "[auth.g]\nserver_metadata_url = \"ftp://idp.example.com/\"\n",
	    "server_metadata_url: not a usable URL (scheme is not http or "
	    "https)" },
	{ AUTH "[auth.g]\nclient_id = \"i\"\nclient_secret = \"s\"\n"
	    "server_metadata_url = \"https://idp.example.com/metadata\"\n",
	    "secrets.toml:7: [auth.g] issuer: cannot be derived from "
	    "server_metadata_url" },
	{ AUTH "post_logout_redirect_uri = \"/bye\"\n",
	    "post_logout_redirect_uri: not a usable URL" },
	/* Unknown keys and sections. */
	{ AUTH "cookie_secure = true\n", "secrets.toml:4: [auth] "
	    "cookie_secure: unknown key. Did you mean cookie_secret?" },
	{ AUTH PROVIDER("g") "clientid = \"x\"\n", "secrets.toml:8: [auth.g] "
	    "clientid: unknown key. Did you mean client_id?" },
	{ AUTH "Cookie_Name = \"x\"\n", "Cookie_Name: unknown key. Did you "
	    "mean cookie_name?" },
	{ AUTH "redirect-uri = \"x\"\n", "redirect-uri: unknown key. Did you "
	    "mean redirect_uri?" },
	{ AUTH PROVIDER("g") "server_metadata_uri = \"x\"\n", "unknown key. "
	    "Did you mean server_metadata_url?" },
	{ AUTH PROVIDER("g") "scope = \"openid\"\n", "secrets.toml:8: "
	    "[auth.g] scope: an authorization parameter goes in client_kwargs" },
	{ AUTH PROVIDER("g") "[auth.g.client_kwarg]\nx = 1\n",
	    "secrets.toml:8: [auth.g] client_kwarg: unknown table. Did you mean "
	    "client_kwargs?" },
	{ AUTH PROVIDER("g") "cookie_max_age = 60\n", "secrets.toml:8: "
	    "[auth.g] cookie_max_age: this key belongs in [auth]" },
	{ AUTH "[auth.Google]\n", "secrets.toml:4: [auth] provider name "
	    "\"Google\" must be lower case (it is the NAME in /login/NAME). "
	    "Write [auth.google]" },
	{ AUTH "[auth.\"my provider\"]\n", "secrets.toml:4: [auth] \"my "
	    "provider\" is not a provider name" },
	{ AUTH "[auth.abcdefghijabcdefghijabcdefghijabc]\n",
	    "\"abcdefghijabcdefghijabcdefghijabc\" is not a provider name" },
	{ AUTH "[auth._x]\n", "\"_x\" is not a provider name" },
	{ AUTH "[auth.default]\nclient_id = \"i\"\n", "secrets.toml:4: "
	    "[auth.default] missing client_secret, server_metadata_url. A "
	    "provider needs" },
	{ AUTH DEFAULT_KEYS PROVIDER("default"), "secrets.toml:7: [auth] "
	    "[auth.default] clashes with the provider configured in [auth]" },
	{ AUTH "[[auth.providers]]\nname = 1\n", "secrets.toml:4: "
	    "[auth.providers] arrays of tables ([[...]]) are not supported in "
	    "[auth]" },
	/* TOML: duplicates. */
	{ AUTH "redirect_uri = \"https://b.example.com/cb\"\n",
	    "secrets.toml:4: [auth] redirect_uri: duplicate key "
	    "'redirect_uri' (column 1) (first at line 2)" },
	{ AUTH PROVIDER("g") PROVIDER("g"), "secrets.toml:8: [auth.g] table "
	    "'g' is defined twice (column 1) (first at line 4)" },
	{ AUTH PROVIDER("g") "client_kwargs = { prompt = \"login\" }\n"
	    "[auth.g.client_kwargs]\n", "secrets.toml:9: "
	    "[auth.g.client_kwargs] table 'client_kwargs' was given inline" },
	{ PROVIDER("g") AUTH "g.x = 1\n", "secrets.toml:8: [auth] "
	    "g.x: table 'g' has its own [header]" },
	{ AUTH PROVIDER("g") "[auth]\n", "secrets.toml:8: [auth] table "
	    "'auth' is defined twice (column 1) (first at line 1)" },
	{ AUTH "\"redirect_uri\" = \"https://b.example.com/cb\"\n",
	    "duplicate key 'redirect_uri'" },
	/* Authorization parameters. */
	{ AUTH PROVIDER("g") "client_kwargs = { response_type = \"token\" }\n",
	    "secrets.toml:8: [auth.g] client_kwargs.response_type: oidc-login "
	    "sets this itself" },
	{ AUTH PROVIDER("g") "[auth.g.authorize_params]\nstate = \"x\"\n",
	    "secrets.toml:9: [auth.g] authorize_params.state: oidc-login sets "
	    "this itself" },
	{ AUTH PROVIDER("g") "client_kwargs.response_mode = \"form_post\"\n",
	    "client_kwargs.response_mode: oidc-login sets this itself" },
	{ AUTH PROVIDER("g") "client_kwargs.code_challenge_method = \"S256\"\n",
	    "client_kwargs.code_challenge_method: oidc-login sets" },
	{ AUTH PROVIDER("g") "client_kwargs = { scope = \"email profile\" }\n",
	    "client_kwargs.scope: \"email profile\" does not contain "
	    "\"openid\"" },
	{ AUTH PROVIDER("g") "client_kwargs = { scope = \"openidx\" }\n",
	    "does not contain \"openid\"" },
	{ AUTH PROVIDER("g") "client_kwargs = { hd = \"a\" }\n"
	    "authorize_params = { hd = \"b\" }\n", "secrets.toml:9: [auth.g] "
	    "authorize_params.hd: given in both client_kwargs and "
	    "authorize_params" },
	{ AUTH PROVIDER("g") "client_kwargs = { scope = \"openid\" }\n"
	    "authorize_params = { scope = \"openid\" }\n",
	    "authorize_params.scope: scope is given twice" },
	{ AUTH PROVIDER("g") "client_kwargs = \"prompt=login\"\n",
	    "secrets.toml:8: [auth.g] client_kwargs: must be a table" },
	{ AUTH PROVIDER("g") "client_kwargs = { claims = { a = 1 } }\n",
	    "client_kwargs.claims: must be a string, an integer or a "
	    "boolean, not a table" },
	{ AUTH DEFAULT_KEYS "[auth.client_kwargs]\nnonce = \"n\"\n",
	    "secrets.toml:8: [auth] client_kwargs.nonce: oidc-login sets" },
	/* Provider keys. */
	{ AUTH PROVIDER("g") "token_endpoint_auth_method = \"private_key_jwt\""
	    "\n", "token_endpoint_auth_method: \"private_key_jwt\" is not "
	    "supported. Use \"client_secret_basic\", \"client_secret_post\" or "
	    "\"none\"" },
	{ AUTH PROVIDER("g") "id_token_hmac_algs = [\"RS256\"]\n",
	    "id_token_hmac_algs: \"RS256\" is not an HMAC algorithm" },
	{ AUTH "[auth.g]\nclient_id = \"i\"\ntoken_endpoint_auth_method = "
	    "\"none\"\nid_token_hmac_algs = \"HS256\"\nserver_metadata_url = \""
	    META "\"\n", "secrets.toml:7: [auth.g] id_token_hmac_algs: "
	    "HMAC-signed ID tokens need a client_secret" },
	{ AUTH PROVIDER("g") "userinfo = \"yes\"\n", "secrets.toml:8: [auth.g] "
	    "userinfo: must be true or false" },
	{ AUTH PROVIDER("g") "display_name = \"\"\n", "display_name: must not "
	    "be empty" },
	{ AUTH PROVIDER("g") "client_id = \"again\"\n", "duplicate key" },
	{ AUTH PROVIDER("g") "allowed_tenants = [\"a/b\"]\n",
	    "allowed_tenants: \"a/b\" is not a tenant id" },
	{ AUTH "[auth.g]\nclient_id = \"\"\n", "client_id: must not be "
	    "empty" },
	/* TOML syntax. */
	{ "[auth]\ncookie_secret = \"abc\n", "secrets.toml:2: [auth] "
	    "cookie_secret: unterminated string (column 17)" },
	{ AUTH "expose_tokens = [\n  \"id\",\n", "secrets.toml:4: [auth] "
	    "expose_tokens: unterminated array: ']' missing (column 17)" },
	{ AUTH "page_title = \"a\\qb\"\n", "secrets.toml:4: [auth] page_title: "
	    "invalid escape; the escapes are" },
	{ AUTH "page_title = \"ok\" trailing\n", "page_title: unexpected text "
	    "after the value" },
	{ AUTH "page_title = \"a\xff\"\n", "page_title: invalid UTF-8" },
	{ AUTH "page_title = \"a\x01\"\n", "page_title: a raw control "
	    "character in a string" },
	{ AUTH "[auth\n", "secrets.toml:4: expected ']' to close the table "
	    "header (column 6)" },
	{ AUTH "[auth.g] x\n", "secrets.toml:4: unexpected text after the "
	    "table header (column 10)" },
	{ AUTH "redirect_uri \"x\"\n", "secrets.toml:4: [auth] redirect_uri: "
	    "expected '=' after the key" },
	{ AUTH "= 1\n", "secrets.toml:4: [auth] missing key before '='" },
	{ AUTH "key = \n", "secrets.toml:4: [auth] key: missing value" },
	{ "[server]\nlist = [1, 2\n" AUTH, "secrets.toml:2: [server] list: "
	    "unterminated array: ']' missing" },
	{ AUTH "page_title = '''never closed\n", "unterminated multi-line "
	    "string" },
};

static void
test_bads(void)
{
	struct cfg	*c;

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		enum err	e;

		c = NULL;
		e = load_string(bads[i].text, "secrets.toml", &c);
		ok(e == ERR_CONFIG && c == NULL && strstr(msg, bads[i].want) !=
		    NULL, "bad %zu: %.60s", i, bads[i].want);
		if (e != ERR_CONFIG || strstr(msg, bads[i].want) == NULL)
			diag("got: %s", e == ERR_OK ? "success" : msg);
		cfg_free(c);
	}
}


/* A configuration that loads with the warnings it must carry. */
static const struct {
	const char	*text;
	const char	*want;		/* in one of the warnings */
} warned[] = {
	/* An application's own keys in [auth] (seen in public projects). */
	{ AUTH DEFAULT_KEYS "provider = \"authentik\"\n",
	    "secrets.toml:7: [auth] provider: not an oidc-login key; ignored" },
	{ AUTH DEFAULT_KEYS "provider_account_url = \"https://x.example\"\n",
	    "secrets.toml:7: [auth] provider_account_url: not an oidc-login "
	    "key" },
	{ AUTH PROVIDER("g") "[auth.g.foo]\nx = 1\n", "secrets.toml:8: "
	    "[auth.g] foo: not an oidc-login table; ignored" },
	{ AUTH PROVIDER("g") "access_token_url = \"https://x.example/t\"\n",
	    "secrets.toml:8: [auth.g] access_token_url: not an oidc-login key" },
	/* Lines that are not TOML, outside [auth]. */
	{ "[connections.db]\npassword = hunter2\n" AUTH DEFAULT_KEYS,
	    "secrets.toml:2: [connections.db] password: a bare word is not a "
	    "value: put text in quotes (column 12); the line is ignored" },
	{ "api key = \"x\"\n" AUTH DEFAULT_KEYS, "secrets.toml:1: api: "
	    "expected '=' after the key. Write key = value (column 5); the "
	    "line is ignored" },
	{ "[db]\nport = 5432\nurl = \"a\\qb\"\n" AUTH DEFAULT_KEYS,
	    "secrets.toml:3: [db] url: invalid escape" },
	{ "[connections.db]\npassword = \"abc\n" AUTH DEFAULT_KEYS,
	    "secrets.toml:2: [connections.db] password: unterminated string "
	    "(column 12); the line is ignored" },
};

static void
test_warnings(void)
{
	struct cfg	*c;
	enum err	 e;

	for (size_t i = 0; i < sizeof(warned) / sizeof(warned[0]); i++) {
		int	found = 0;

		c = NULL;
		e = load_string(warned[i].text, "secrets.toml", &c);
		if (!ok(e == ERR_OK, "warned %zu loads", i)) {
			diag("%s", msg);
			continue;
		}
		for (size_t j = 0; j < c->warnings.n; j++)
			found |= strstr(c->warnings.items[j], warned[i].want) !=
			    NULL;
		if (!ok(found, "warned %zu: %.60s", i, warned[i].want))
			for (size_t j = 0; j < c->warnings.n; j++)
				diag("warning: %s", c->warnings.items[j]);
		cfg_free(c);
	}
	/* What TOML has and the program need not read is no warning. */
	e = load_string("[db]\npi = 3.14\nwhen = 1979-05-27T07:32:00Z\n"
	    "mask = 0xff\nhosts = [\n  \"a\",\n  \"b\",\n]\n"
	    "cert = \"\"\"\n-----BEGIN-----\n[auth]\n-----END-----\n\"\"\"\n"
	    AUTH DEFAULT_KEYS, "secrets.toml", &c);
	if (ok(e == ERR_OK, "floats, dates, hex, multi-line values elsewhere "
	    "load")) {
		is_int(c->warnings.n, 0, "... without a warning");
		cfg_free(c);
	}
}

/* No message ever holds a secret's value, however it is written. */
static void
test_secrets_not_echoed(void)
{
	static const struct {
		const char	*text;
		const char	*secret;
	} cases[] = {
		{ AUTH PROVIDER("g") "client_secret = GOCSPX-AbCdEf123\n",
		    "GOCSPX-AbCdEf123" },
		{ "[auth]\ncookie_secret = Qw8Er2Ty6Ui0Op4As1Df5Gh9Jk3Lz7X\n",
		    "Qw8Er2Ty6Ui0Op4As1Df5Gh9Jk3Lz7X" },
		{ AUTH PROVIDER("g") "client_secret = \"GOCSPX\\q-AbCdEf\"\n",
		    "AbCdEf" },
		{ AUTH PROVIDER("g") "client_secret = \"GOCSPX\\uD800zz\"\n",
		    "D800" },
		{ AUTH PROVIDER("g") "client_secret = 'GOCSPX-\x01xyz'\n",
		    "xyz" },
		{ AUTH "cookie_secret_previous = [\"GOCSPX-short\"]\n",
		    "GOCSPX-short" },
		{ "[db]\npassword = hunter2-Xy\n" AUTH DEFAULT_KEYS,
		    "hunter2-Xy" },
		{ "[db]\npassword = \"hunter2\\q-Xy\"\n" AUTH DEFAULT_KEYS,
		    "Xy" },
	};
	struct cfg	*c;
	enum err	 e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	leaked;

		c = NULL;
		e = load_string(cases[i].text, "secrets.toml", &c);
		leaked = strstr(msg, cases[i].secret) != NULL;
		for (size_t j = 0; c != NULL && j < c->warnings.n; j++)
			leaked |= strstr(c->warnings.items[j],
			    cases[i].secret) != NULL;
		ok(!leaked && (e != ERR_OK || c->warnings.n > 0), "secret %zu "
		    "is not in the message", i);
		if (leaked || (e == ERR_OK && c->warnings.n == 0))
			diag("%s", e == ERR_OK ? c->warnings.n > 0 ?
			    c->warnings.items[0] : "no warning" : msg);
		cfg_free(c);
	}
}


/* Keys of [auth] that a provider may override: inherited otherwise. */
static void
test_inherited(void)
{
	struct cfg	*c = NULL;
	enum err	 e;

	e = load_string(AUTH "user_claim = \"sub\"\nrevalidate_after = 900\n"
	    "session_idle_timeout = 1800\n" PROVIDER("a")
	    PROVIDER("b") "user_claim = \"oid\"\nrevalidate_after = 0\n"
	    "assume_email_verified = true\nuse_refresh_token = true\n",
	    "t", &c);
	if (!ok(e == ERR_OK, "overridable keys load")) {
		diag("%s", msg);
		return;
	}
	is_str(c->providers[0].user_claim, "sub", "a provider inherits "
	    "[auth]'s user_claim");
	is_str(c->providers[1].user_claim, "oid", "... or sets its own");
	is_int(c->providers[0].revalidate_after, 900, "revalidate_after "
	    "inherited");
	is_int(c->providers[1].revalidate_after, 0, "... or turned off");
	is_int(c->idle_timeout, 1800, "session_idle_timeout");
	ok(!c->providers[0].assume_email_verified &&
	    c->providers[1].assume_email_verified, "assume_email_verified");
	ok(!c->providers[0].use_refresh_token &&
	    c->providers[1].use_refresh_token, "use_refresh_token");
	cfg_free(c);
	e = load_string(AUTH DEFAULT_KEYS, "t", &c);
	if (ok(e == ERR_OK, "defaults load")) {
		is_str(c->providers[0].user_claim, "email", "user_claim default");
		ok(c->idle_timeout == 0 && c->revalidate_after == 0 &&
		    c->providers[0].revalidate_after == 0, "no idle timeout, no "
		    "re-validation by default");
		cfg_free(c);
	}
	e = load_string(AUTH DEFAULT_KEYS "session_idle_timeout = 30\n", "t",
	    &c);
	ok(e == ERR_CONFIG && strstr(msg, "secrets.toml") == NULL &&
	    strstr(msg, "t:7: [auth] session_idle_timeout: 30 is too short: "
	    "use 0 (off) or at least 60 seconds") != NULL,
	    "a short idle timeout is refused (%s)", msg);
	e = load_string(AUTH PROVIDER("a") "revalidate_after = 10\n", "t", &c);
	ok(e == ERR_CONFIG && strstr(msg, "t:8: [auth.a] revalidate_after: 10 "
	    "is too short") != NULL, "a short re-validation is refused (%s)",
	    msg);
}

/* Bad configurations too large to write out in the table. */
static void
test_bad_sizes(void)
{
	struct arena	*a = arena_new();
	struct cfg	*c = NULL;
	struct buf	 b;
	enum err	 e;

	buf_init(&b, a, BOUND_CONFIG_FILE * 2);
	buf_puts(&b, AUTH);
	for (int i = 0; i <= BOUND_PROVIDERS; i++)
		buf_printf(&b, PROVIDER("p%d"), i);
	e = load_string(b.data, "s", &c);
	ok(e == ERR_CONFIG && strstr(msg, "s:68: [auth] more than 16 "
	    "providers") != NULL, "17 providers are too many");

	buf_clear(&b);
	buf_puts(&b, AUTH);
	for (int i = 0; i < BOUND_PROVIDERS; i++)
		buf_printf(&b, PROVIDER("p%d"), i);
	e = load_string(b.data, "s", &c);
	ok(e == ERR_OK && c->nproviders == BOUND_PROVIDERS,
	    "16 providers are fine");
	cfg_free(c);

	buf_clear(&b);
	buf_puts(&b, AUTH "page_title = \"");
	for (int i = 0; i < BOUND_CONFIG_LINE; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\"\n");
	e = load_string(b.data, "s", &c);
	ok(e == ERR_CONFIG && strstr(msg, "s:4: [auth] page_title: line too "
	    "long") != NULL, "a line over the bound");

	buf_clear(&b);
	buf_puts(&b, AUTH "expose_tokens = [\n");
	for (int i = 0; i <= BOUND_CONFIG_LIST; i++)
		buf_puts(&b, "  \"id\",\n");
	buf_puts(&b, "]\n");
	e = load_string(b.data, "s", &c);
	ok(e == ERR_CONFIG && strstr(msg, "s:69: [auth] expose_tokens: more "
	    "than 64 entries in an array (column 3)") != NULL,
	    "an array over the bound, at the entry's line");

	buf_clear(&b);
	buf_puts(&b, AUTH DEFAULT_KEYS "[app]\n");
	while (b.len <= BOUND_CONFIG_FILE)
		buf_puts(&b, "# padding padding padding padding padding\n");
	e = load_string(b.data, "s", &c);
	ok(e == ERR_CONFIG && strstr(msg, "s: file too large") != NULL,
	    "a file over the bound");
	arena_free(a);
}

static void
test_files(void)
{
	struct cfg	*c = NULL;
	enum err	 e;

	e = load_file("/nonexistent/secrets.toml", &c);
	ok(e == ERR_SYSTEM && c == NULL, "a missing file fails");
	is_str(msg, "/nonexistent/secrets.toml: cannot read: No such file or "
	    "directory", "with the file and strerror");
	e = load_file("/", &c);
	ok(e != ERR_OK && c == NULL && strstr(msg, "/: cannot read") == msg,
	    "a directory fails");
	cfg_free(NULL);
	ok(1, "cfg_free(NULL) is fine");
}

static const char *const documented[] = {
	"redirect_uri", "cookie_secret", "cookie_secret_previous",
	"expose_tokens", "cookie_max_age", "cookie_name", "cookie_path",
	"page_title", "template_dir", "logout_mode",
	"post_logout_redirect_uri", "http_timeout", "http_connect_timeout",
	"http_ca_file", "clock_skew", "metadata_ttl", "user_claim",
	"log_level", "base_path", "allowed_email_domains", "allowed_emails",
	"required_claims", "client_id", "client_secret",
	"server_metadata_url", "client_kwargs", "authorize_params",
	"display_name", "token_endpoint_auth_method", "userinfo", "issuer",
	"id_token_hmac_algs", "allowed_tenants",
};

static void
test_print_keys(void)
{
	FILE	*fp = tmpfile();
	char	 text[16384];
	size_t	 n;

	if (!ok(fp != NULL, "tmpfile"))
		return;
	cfg_print_keys(fp);
	rewind(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	ok(strstr(text, "[auth]") == text, "help starts with [auth]");
	ok(strstr(text, "\n[auth.NAME]") != NULL, "help has [auth.NAME]");
	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]);
	    i++) {
		char	want[64];

		snprintf(want, sizeof(want), "\n  %s (", documented[i]);
		ok(strstr(text, want) != NULL, "help documents %s",
		    documented[i]);
	}
	ok(strstr(text, "cookie_max_age (integer, default: 2592000)") !=
	    NULL, "help shows a default");
	ok(strstr(text, "redirect_uri (string, required)") != NULL,
	    "help shows required keys");
}

int
main(void)
{
	test_google();
	test_multi();
	test_auth0();
	test_microsoft_okta();
	test_equivalent_forms();
	test_app_sections();
	test_good_strings();
	test_bads();
	test_warnings();
	test_secrets_not_echoed();
	test_inherited();
	test_bad_sizes();
	test_files();
	test_print_keys();
	return tap_done();
}
