#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "cfg_diag.h"
#include "cfg_keys.h"
#include "crypto.h"
#include "file.h"
#include "toml.h"
#include "url.h"

/* What a provider is called when its section does not say. */
static const struct {
	const char	*name;
	const char	*label;
} known_providers[] = {
	{ "google", "Google" },
	{ "microsoft", "Microsoft" },
	{ "okta", "Okta" },
	{ "auth0", "Auth0" },
	{ "keycloak", "Keycloak" },
	{ "github", "GitHub" },
	{ "gitlab", "GitLab" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* --- Keys nobody asked for. -------------------------------------------- */

/*
 * An unknown key or table: an error when it looks like a misspelt key
 * of ours (or belongs elsewhere), else a warning, since real secrets
 * files keep an application's own keys beside ours.
 */
static enum err
unknown_member(struct cfg_loader *L, const struct cfg_target *t,
    const struct toml_member *m, unsigned where)
{
	const struct cfg_kdef	*k = cfg_keys_find(m->key);
	const char		*near = cfg_keys_near(m->key,
				    CFG_K_GLOBAL | CFG_K_PROVIDER);
	int			 table = m->value.type == TOML_TABLE;

	if (k != NULL && (k->where & CFG_K_GLOBAL))
		return cfg_diag_fail(L, t, m->key, m->at, "this key belongs "
		    "in [auth], not in a provider section. Move it there");
	if (cfg_keys_is_auth_param(m->key))
		return cfg_diag_fail(L, t, m->key, m->at, "an authorization "
		    "parameter goes in client_kwargs. Write client_kwargs = "
		    "{ %s = ... }", m->key);
	if (near != NULL)
		return cfg_diag_fail(L, t, m->key, m->at, "unknown %s. Did you "
		    "mean %s?", table ? "table" : "key", near);
	cfg_diag_warn(L, t, m->key, m->at, "not an oidc-login %s; ignored%s",
	    table ? "table" : "key", where == CFG_K_PROVIDER ? "" :
	    " (an application's own key may sit here)");
	return L->failed ? L->e : ERR_OK;
}

/* --- Providers. -------------------------------------------------------- */

static enum err
check_provider_name(struct cfg_loader *L, const struct cfg_target *t,
    const struct toml_member *m)
{
	const char	*s = m->key;
	size_t		 n = strlen(s);

	if (n > 0 && n <= BOUND_PROVIDER_NAME && strcspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") < n && strspn(cfg_keys_lower(L->arena, s),
	    "abcdefghijklmnopqrstuvwxyz0123456789_-") == n)
		return cfg_diag_fail(L, t, NULL, m->at, "provider name \"%s\" "
		    "must be lower case (it is the NAME in /login/NAME). Write "
		    "[auth.%s]", s, cfg_keys_lower(L->arena, s));
	if (n == 0 || n > BOUND_PROVIDER_NAME || s[0] == '_' || s[0] == '-' ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return cfg_diag_fail(L, t, NULL, m->at, "\"%s\" is not a "
		    "provider name. Use 1 to %d characters a-z, 0-9, '_' and "
		    "'-', starting with a letter or digit", s,
		    BOUND_PROVIDER_NAME);
	return ERR_OK;
}

static enum err
default_display_name(struct cfg_loader *L, struct cfg_provider *p)
{
	struct url_info	 info;
	const char	*host;
	size_t		 n;

	for (size_t i = 0; i < NELEM(known_providers); i++)
		if (strcmp(p->name, known_providers[i].name) == 0)
			return cfg_keys_keep(L, &p->display_name,
			    known_providers[i].label);
	if (strcmp(p->name, "default") == 0 && url_parse_http(L->arena,
	    p->server_metadata_url, &info) == ERR_OK) {
		host = strstr(info.origin, "://") + 3;
		n = host[0] == '[' ? strcspn(host, "]") + 1 :
		    strcspn(host, ":");
		return cfg_keys_keep(L, &p->display_name, arena_strndup(L->arena, host,
		    n));
	}
	return cfg_keys_keep(L, &p->display_name, arena_printf(L->arena, "%c%s",
	    p->name[0] >= 'a' && p->name[0] <= 'z' ? p->name[0] - 'a' + 'A' :
	    p->name[0], p->name + 1));
}

/*
 * The issuer of https://h/x/.well-known/openid-configuration is
 * https://h/x (or https://h/x/, which the discovery check also takes);
 * RFC 8414 puts the well-known part first:
 * https://h/.well-known/oauth-authorization-server/x is https://h/x.
 */
static char *
derive_issuer(struct arena *a, const char *url)
{
	const char	*oidc = "/.well-known/openid-configuration";
	const char	*rfc = "/.well-known/oauth-authorization-server";
	const char	*host, *path, *w;
	size_t		 n = strlen(url), on = strlen(oidc), rn = strlen(rfc);

	if (strchr(url, '?') != NULL || (host = strstr(url, "://")) == NULL)
		return NULL;
	if ((path = strchr(host + 3, '/')) == NULL)
		return NULL;
	if (n > on && strcmp(url + n - on, oidc) == 0)
		return arena_strndup(a, url, n - on);
	w = path;
	if (strncmp(w, rfc, rn) == 0 && (w[rn] == '\0' || w[rn] == '/'))
		return arena_printf(a, "%.*s%s", (int)(w - url), url, w + rn);
	return NULL;
}

static enum err
check_provider_keys(struct cfg_loader *L, struct cfg_target *t)
{
	struct cfg_provider	*p = t->p;
	const char		*missing = NULL;

	if (p->client_id == NULL)
		missing = "client_id";
	if (p->client_secret == NULL && p->token_auth != CFG_TOKEN_AUTH_NONE)
		missing = missing == NULL ? "client_secret" :
		    arena_printf(L->arena, "%s, client_secret", missing);
	if (p->server_metadata_url == NULL)
		missing = missing == NULL ? "server_metadata_url" :
		    arena_printf(L->arena, "%s, server_metadata_url", missing);
	if (missing != NULL && strcmp(t->section, "auth") == 0)
		return cfg_diag_fail(L, t, NULL, t->at, "the default provider "
		    "is incomplete: missing %s. Add the missing keys to "
		    "[auth], or move the provider keys into a [auth.NAME] "
		    "section", missing);
	if (missing != NULL)
		return cfg_diag_fail(L, t, NULL, t->at, "missing %s. A provider "
		    "needs client_id, client_secret and server_metadata_url",
		    missing);
	if (p->token_auth == CFG_TOKEN_AUTH_NONE && p->client_secret != NULL)
		return cfg_diag_fail(L, t, "client_secret",
		    cfg_keys_seen(t, "client_secret"), "not used with "
		    "token_endpoint_auth_method = \"none\". Remove one of them");
	if (p->revalidate_after > 0 && p->revalidate_after <
	    BOUND_SESSION_IDLE_MIN)
		return cfg_diag_fail(L, t, "revalidate_after",
		    cfg_keys_seen(t, "revalidate_after"), "%lld is too short: "
		    "use 0 (off) or at least %d seconds", p->revalidate_after,
		    BOUND_SESSION_IDLE_MIN);
	if (p->hmac_algs.n > 0 && p->client_secret == NULL)
		return cfg_diag_fail(L, t, "id_token_hmac_algs",
		    cfg_keys_seen(t, "id_token_hmac_algs"), "HMAC-signed ID "
		    "tokens need a client_secret");
	return ERR_OK;
}

static enum err
finish_provider(struct cfg_loader *L, struct cfg_target *t)
{
	struct cfg_provider	*p = t->p;
	char			*issuer;
	enum err		 e;

	if ((e = check_provider_keys(L, t)) != ERR_OK)
		return e;
	if (p->scope == NULL && (e = cfg_keys_keep(L, &p->scope,
	    "openid email profile")) != ERR_OK)
		return e;
	p->issuer_explicit = p->issuer != NULL;
	if (p->issuer == NULL) {
		if ((issuer = derive_issuer(L->arena,
		    p->server_metadata_url)) == NULL)
			return cfg_diag_fail(L, t, "issuer",
			    cfg_keys_seen(t, "server_metadata_url"), "cannot "
			    "be derived from server_metadata_url (it does not "
			    "end in /.well-known/openid-configuration). Add "
			    "issuer = \"...\" with the provider's issuer URL");
		if ((e = cfg_keys_keep(L, &p->issuer, issuer)) != ERR_OK)
			return e;
	}
	if (p->display_name == NULL &&
	    (e = default_display_name(L, p)) != ERR_OK)
		return e;
	p->line = toml_line(L->doc, t->at);
	return L->failed ? L->e : ERR_OK;
}

static void
target_init(struct cfg_target *t, struct cfg *cfg, struct cfg_provider *p,
    const char *section, const char *at)
{
	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->p = p;
	t->section = section;
	t->at = at;
}

static enum err
walk_provider(struct cfg_loader *L, struct cfg_provider *p,
    const struct toml_member *m)
{
	const struct toml_table	*tb = m->value.table;
	struct cfg_target	 t;
	enum err		 e;

	target_init(&t, L->cfg, p, arena_printf(L->arena, "auth.%s", m->key),
	    tb->at);
	if ((e = cfg_keys_keep(L, &p->name, m->key)) != ERR_OK)
		return e;
	p->revalidate_after = -1;
	for (size_t i = 0; i < tb->n; i++) {
		const struct toml_member	*km = tb->members[i];
		const struct cfg_kdef		*k = cfg_keys_find(km->key);

		if (k == NULL || !(k->where & CFG_K_PROVIDER))
			e = unknown_member(L, &t, km, CFG_K_PROVIDER);
		else
			e = cfg_keys_apply(L, &t, km);
		if (e != ERR_OK)
			return e;
	}
	if ((e = cfg_keys_defaults(L, &t, CFG_K_PROVIDER)) != ERR_OK)
		return e;
	return finish_provider(L, &t);
}

/*
 * A member of [auth] that is a table and no key of ours is a provider;
 * one that is near the name of a table key of ours is a typo.
 */
static int
is_provider_member(const struct toml_member *m)
{
	return cfg_keys_find(m->key) == NULL && m->value.type == TOML_TABLE;
}

/* Keys of the default provider, written in [auth] itself. */
static int
is_default_member(const struct toml_member *m)
{
	const struct cfg_kdef	*k = cfg_keys_find(m->key);

	return k != NULL && !(k->where & CFG_K_GLOBAL);
}

/* Counts the providers and checks their number. */
static enum err
count_providers(struct cfg_loader *L, const struct cfg_target *g,
    const struct toml_table *auth, size_t *n, int *has_default)
{
	const struct toml_member	*dm;

	*n = 0;
	*has_default = 0;
	for (size_t i = 0; i < auth->n; i++) {
		const struct toml_member	*m = auth->members[i];

		if (is_default_member(m))
			*has_default = 1;
		if (is_provider_member(m) && ++*n > BOUND_PROVIDERS)
			return cfg_diag_fail(L, g, NULL, m->at, "more than %d "
			    "providers", BOUND_PROVIDERS);
	}
	if (*has_default && ++*n > BOUND_PROVIDERS)
		return cfg_diag_fail(L, g, NULL, auth->at, "more than %d "
		    "providers", BOUND_PROVIDERS);
	if (*has_default && (dm = toml_table_get(auth, "default")) != NULL)
		return cfg_diag_fail(L, g, NULL, dm->at, "[auth.default] "
		    "clashes with the provider configured in [auth] itself, "
		    "which is named \"default\". Rename the section");
	return ERR_OK;
}

/* 0 turns an interval off; a short one would renew on every request. */
static enum err
check_interval(struct cfg_loader *L, const struct cfg_target *t,
    const char *key, long long v)
{
	if (v == 0 || v >= BOUND_SESSION_IDLE_MIN)
		return ERR_OK;
	return cfg_diag_fail(L, t, key, cfg_keys_seen(t, key), "%lld is too "
	    "short: use 0 (off) or at least %d seconds", v,
	    BOUND_SESSION_IDLE_MIN);
}

static enum err
finish_global(struct cfg_loader *L, struct cfg_target *g)
{
	struct cfg	*cfg = L->cfg;
	const char	*slash;
	enum err	 e;

	if (cfg->redirect_uri == NULL)
		return cfg_diag_fail(L, g, "redirect_uri", g->at, "missing. Set "
		    "it to the absolute URL of the callback, e.g. redirect_uri "
		    "= \"https://example.com/oauth2callback\"");
	if (cfg->secret.bytes == NULL)
		return cfg_diag_fail(L, g, "cookie_secret", g->at, "missing. "
		    "Generate one with: oidc-login --gen-secret");
	for (size_t i = 0; i < cfg->nprevious; i++)
		if (cfg->previous[i].len == cfg->secret.len &&
		    crypto_equal(cfg->previous[i].bytes, cfg->secret.bytes,
		    cfg->secret.len))
			return cfg_diag_fail(L, g, "cookie_secret_previous",
			    cfg_keys_seen(g, "cookie_secret_previous"), "must "
			    "differ from cookie_secret. Keep only the old "
			    "secrets there");
	if (cfg->http_connect_timeout > cfg->http_timeout)
		return cfg_diag_fail(L, g, "http_connect_timeout",
		    cfg_keys_seen(g, "http_connect_timeout"), "%lld is more "
		    "than http_timeout (%lld). Lower it or raise http_timeout",
		    cfg->http_connect_timeout, cfg->http_timeout);
	if (cfg->post_logout_redirect_uri == NULL && (e = cfg_keys_keep(L,
	    &cfg->post_logout_redirect_uri, arena_printf(L->arena, "%s/",
	    cfg->origin))) != ERR_OK)
		return e;
	if (cfg->home_url == NULL && (e = cfg_keys_keep(L, &cfg->home_url,
	    arena_printf(L->arena, "%s/", cfg->origin))) != ERR_OK)
		return e;
	/* The site's name on the pages: its host, port included. */
	if (cfg->page_title == NULL && (e = cfg_keys_keep(L,
	    &cfg->page_title, strstr(cfg->origin, "://") + 3)) != ERR_OK)
		return e;
	if (cfg->base_path == NULL) {
		slash = strrchr(cfg->redirect_path, '/');
		if ((e = cfg_keys_keep(L, &cfg->base_path, arena_strndup(L->arena,
		    cfg->redirect_path, (size_t)(slash - cfg->redirect_path))))
		    != ERR_OK)
			return e;
	}
	if ((e = check_interval(L, g, "session_idle_timeout",
	    cfg->idle_timeout)) != ERR_OK ||
	    (e = check_interval(L, g, "revalidate_after",
	    cfg->revalidate_after)) != ERR_OK)
		return e;
	for (size_t i = 0; i < cfg->nproviders; i++) {
		struct cfg_provider	*p = &cfg->providers[i];

		if (p->user_claim == NULL && (e = cfg_keys_keep(L,
		    &p->user_claim, cfg->user_claim)) != ERR_OK)
			return e;
		if (p->revalidate_after < 0)
			p->revalidate_after = cfg->revalidate_after;
	}
	return ERR_OK;
}

/* One member of [auth]: a global key, a default provider's key, a provider. */
static enum err
walk_auth_member(struct cfg_loader *L, struct cfg_target *g,
    struct cfg_target *d, const struct toml_member *m, size_t *next)
{
	const struct cfg_kdef	*k = cfg_keys_find(m->key);
	const char		*near;
	enum err		 e;

	if (k != NULL)
		return cfg_keys_apply(L, (k->where & CFG_K_GLOBAL) ? g : d, m);
	if (m->value.type != TOML_TABLE)
		return unknown_member(L, g, m, CFG_K_GLOBAL | CFG_K_PROVIDER);
	if ((near = cfg_keys_near(m->key, CFG_K_GLOBAL | CFG_K_PROVIDER)) !=
	    NULL && cfg_keys_find(near)->type == CFG_KT_TABLE)
		return cfg_diag_fail(L, g, NULL, m->at, "[auth.%s] is not a "
		    "provider: did you mean [auth.%s]?", m->key, near);
	if ((e = check_provider_name(L, g, m)) != ERR_OK)
		return e;
	return walk_provider(L, &L->cfg->providers[(*next)++], m);
}

static enum err
walk_auth(struct cfg_loader *L, const struct toml_member *am)
{
	const struct toml_table	*auth;
	struct cfg		*cfg = L->cfg;
	struct cfg_target	 g, d;
	size_t			 n, next = 0;
	int			 has_default;
	enum err		 e;

	target_init(&g, cfg, NULL, "auth", am->value.at);
	if (am->value.type != TOML_TABLE)
		return cfg_diag_fail(L, &g, NULL, am->at, "auth must be a "
		    "table: write [auth] on a line of its own");
	auth = am->value.table;
	g.at = auth->at;
	if ((e = count_providers(L, &g, auth, &n, &has_default)) != ERR_OK)
		return e;
	if (n > 0 && (cfg->providers = calloc(n, sizeof(*cfg->providers))) ==
	    NULL)
		return cfg_diag_nomem(L);
	cfg->nproviders = n;
	target_init(&d, cfg, has_default ? &cfg->providers[next++] : NULL,
	    "auth", auth->at);
	if (d.p != NULL) {
		if ((e = cfg_keys_keep(L, &d.p->name, "default")) != ERR_OK)
			return e;
		d.p->revalidate_after = -1;
	}
	for (size_t i = 0; i < auth->n; i++)
		if ((e = walk_auth_member(L, &g, &d, auth->members[i],
		    &next)) != ERR_OK)
			return e;
	if ((e = cfg_keys_defaults(L, &g, CFG_K_GLOBAL)) != ERR_OK)
		return e;
	if (d.p != NULL && ((e = cfg_keys_defaults(L, &d, CFG_K_PROVIDER)) !=
	    ERR_OK || (e = finish_provider(L, &d)) != ERR_OK))
		return e;
	if ((e = finish_global(L, &g)) != ERR_OK)
		return e;
	if (n == 0)
		return cfg_diag_fail(L, &g, NULL, auth->at, "no provider: add "
		    "client_id, client_secret and server_metadata_url to "
		    "[auth], or a [auth.NAME] section");
	return ERR_OK;
}

/* --- Loading. ------------------------------------------------------------ */

static int
is_auth(const char *name)
{
	return strcmp(name, "auth") == 0;
}

static enum err
load(struct cfg_loader *L, const char *text, size_t len)
{
	struct toml_read_opts		 opts;
	const struct toml_member	*auth;
	enum err			 e;

	memset(&opts, 0, sizeof(opts));
	opts.keep = is_auth;
	opts.memory_max = BOUND_CONFIG_MEMORY;
	opts.warn = cfg_diag_toml_warning;
	opts.warn_ctx = L;
	if ((e = toml_read(L->arena, L->cfg->path, text, len, &opts,
	    &L->doc)) != ERR_OK)
		return e == ERR_NOMEM ? e : ERR_CONFIG;
	if (L->failed)
		return L->e;
	if ((auth = toml_table_get(L->doc->root, "auth")) == NULL)
		return cfg_diag_fail(L, NULL, NULL, NULL, "no [auth] section. "
		    "Add one with redirect_uri, cookie_secret and a provider "
		    "(see oidc-login --help)");
	return walk_auth(L, auth);
}

enum err
cfg_load_string(const char *text, const char *path, struct cfg **out)
{
	struct cfg_loader	L;
	size_t			len = strlen(text);
	enum err		e;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	if (len > BOUND_CONFIG_FILE) {
		err_reason("%s: file too large (%zu bytes, at most %d)", path,
		    len, BOUND_CONFIG_FILE);
		return ERR_CONFIG;
	}
	if ((L.cfg = calloc(1, sizeof(*L.cfg))) == NULL ||
	    (L.cfg->path = strdup(path)) == NULL) {
		free(L.cfg);
		err_reason("%s: out of memory", path);
		return ERR_NOMEM;
	}
	L.arena = arena_new();
	e = load(&L, text, len);
	arena_free(L.arena);
	if (e != ERR_OK) {
		cfg_free(L.cfg);
		return e;
	}
	*out = L.cfg;
	return ERR_OK;
}

enum err
cfg_load(const char *path, struct cfg **out)
{
	char		*text;
	size_t		 len;
	enum err	 e;

	*out = NULL;
	if ((e = file_read(path, BOUND_CONFIG_FILE, &text, &len)) != ERR_OK) {
		if (e == ERR_TOO_BIG)
			err_reason_rewrite("%s: file too large (more than %d "
			    "bytes)", path, BOUND_CONFIG_FILE);
		return e == ERR_TOO_BIG ? ERR_CONFIG : e;
	}
	if (memchr(text, '\0', len) != NULL) {
		err_reason("%s: a NUL byte in the file; it must be UTF-8 text",
		    path);
		e = ERR_CONFIG;
	} else
		e = cfg_load_string(text, path, out);
	crypto_wipe(text, len);
	free(text);
	return e;
}

/* --- Freeing. ------------------------------------------------------------ */

static void
free_list(struct cfg_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
}

static void
free_pairs(struct cfg_pair *pairs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);
}

static void
free_rules(struct cfg_rules *r)
{
	free_list(&r->email_domains);
	free_list(&r->emails);
	free_pairs(r->claims, r->nclaims);
}

static void
free_secret(struct cfg_secret *s)
{
	if (s->bytes != NULL)
		crypto_wipe(s->bytes, s->len);
	free(s->bytes);
}

static void
free_provider(struct cfg_provider *p)
{
	free(p->name);
	free(p->display_name);
	free(p->client_id);
	if (p->client_secret != NULL)
		crypto_wipe(p->client_secret, strlen(p->client_secret));
	free(p->client_secret);
	free(p->server_metadata_url);
	free(p->issuer);
	free(p->scope);
	free_pairs(p->params, p->nparams);
	free_list(&p->hmac_algs);
	free_list(&p->allowed_tenants);
	free(p->post_logout_redirect_uri);
	free(p->user_claim);
	free_rules(&p->rules);
}

void
cfg_free(struct cfg *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->redirect_uri);
	free(cfg->redirect_path);
	free(cfg->origin);
	free(cfg->base_path);
	free_secret(&cfg->secret);
	for (size_t i = 0; i < BOUND_SECRETS_PREVIOUS; i++)
		free_secret(&cfg->previous[i]);
	free(cfg->cookie_name);
	free(cfg->cookie_path);
	free(cfg->page_title);
	free(cfg->home_url);
	free(cfg->template_dir);
	free(cfg->post_logout_redirect_uri);
	free(cfg->http_ca_file);
	free(cfg->log_file);
	free(cfg->runtime_dir);
	free(cfg->user_claim);
	free_rules(&cfg->rules);
	for (size_t i = 0; i < cfg->nproviders; i++)
		free_provider(&cfg->providers[i]);
	free(cfg->providers);
	free_list(&cfg->warnings);
	crypto_wipe(cfg, sizeof(*cfg));
	free(cfg);
}

const struct cfg_provider *
cfg_provider_find(const struct cfg *cfg, const char *name, size_t namelen)
{
	for (size_t i = 0; i < cfg->nproviders; i++) {
		const char	*n = cfg->providers[i].name;

		if (n != NULL && strlen(n) == namelen &&
		    memcmp(n, name, namelen) == 0)
			return &cfg->providers[i];
	}
	return NULL;
}

void
cfg_print_keys(FILE *fp)
{
	cfg_keys_print(fp);
}
