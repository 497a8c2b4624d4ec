#include "config.h"

#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "cookie.h"
#include "jv.h"
#include "req.h"
#include "seal.h"
#include "session.h"
#include "tap.h"

static const char secret[] = "0123456789abcdef0123456789ABCDEF-test-secret";

/*
 * Turns the Set-Cookie headers of resp into a Cookie header as a browser
 * would: later headers replace earlier ones, Max-Age=0 deletes.
 */
static char *
browser_cookies(struct arena *a, const char *before, const struct resp *resp)
{
	struct cookie_jar	 jar;
	struct {
		char	*name;
		char	*value;
	}			 kept[64];
	size_t			 n = 0;
	char			*out = arena_strdup(a, "");

	cookie_parse(a, before, &jar);
	for (size_t i = 0; i < jar.n && n < 64; i++) {
		kept[n].name = arena_strdup(a, jar.v[i].name);
		kept[n].value = arena_strdup(a, jar.v[i].value);
		n++;
	}
	for (size_t i = 0; i < resp->nheaders; i++) {
		const char *h = resp->headers[i].value, *eq, *semi;
		char *name, *value;
		size_t j;

		if (strcmp(resp->headers[i].name, "Set-Cookie") != 0)
			continue;
		eq = strchr(h, '=');
		semi = strchr(h, ';');
		name = arena_strndup(a, h, (size_t)(eq - h));
		value = arena_strndup(a, eq + 1, (size_t)(semi - eq - 1));
		for (j = 0; j < n; j++)
			if (strcmp(kept[j].name, name) == 0)
				break;
		if (strstr(h, "Max-Age=0") != NULL) {
			if (j < n)
				kept[j] = kept[--n];
			continue;
		}
		if (j == n)
			n++;
		kept[j].name = name;
		kept[j].value = value;
	}
	for (size_t i = 0; i < n; i++)
		out = arena_printf(a, "%s%s%s=%s", out, i ? "; " : "",
		    kept[i].name, kept[i].value);
	return out;
}

static struct cookie_jar *
jar_of(struct arena *a, const char *header)
{
	struct cookie_jar	*jar = arena_alloc(a, sizeof(*jar));

	cookie_parse(a, header, jar);
	return jar;
}

/* A session context for one call, in the arena. */
static const struct session_ctx *
ctx(struct arena *a, const struct cfg *cfg, const struct seal_keys *keys,
    const struct cookie_jar *jar, int64_t now)
{
	struct session_ctx	*sc = arena_alloc(a, sizeof(*sc));

	sc->cfg = cfg;
	sc->keys = keys;
	sc->arena = a;
	sc->jar = jar;
	sc->now = now;
	return sc;
}

static size_t
count_headers(const struct resp *resp, const char *needle)
{
	size_t	n = 0;

	for (size_t i = 0; i < resp->nheaders; i++)
		if (strstr(resp->headers[i].value, needle) != NULL)
			n++;
	return n;
}

static void
test_claims(struct arena *a)
{
	json_object	*in, *kept;
	const char	 text[] = "{\"sub\":\"u1\",\"email\":\"u@x\",\"aud\":"
	    "\"c\",\"exp\":1,\"iat\":1,\"nonce\":\"n\",\"at_hash\":\"h\","
	    "\"groups\":[\"a\",\"b\"],\"iss\":\"https://i\"}";

	jv_parse_object(a, text, strlen(text), &in);
	kept = session_identity_claims(a, in);
	ok(json_object_object_get_ex(kept, "sub", NULL), "sub kept");
	ok(json_object_object_get_ex(kept, "email", NULL), "email kept");
	ok(json_object_object_get_ex(kept, "groups", NULL), "groups kept");
	ok(json_object_object_get_ex(kept, "iss", NULL), "iss kept");
	ok(!json_object_object_get_ex(kept, "aud", NULL), "aud dropped");
	ok(!json_object_object_get_ex(kept, "exp", NULL), "exp dropped");
	ok(!json_object_object_get_ex(kept, "nonce", NULL), "nonce dropped");
	ok(!json_object_object_get_ex(kept, "at_hash", NULL),
	    "at_hash dropped");
}

static void
test_names(struct arena *a, struct cfg *cfg)
{
	is_str(session_cookie_name(a, cfg), "oidc_login", "http: plain name");
	cfg->secure = 1;
	is_str(session_cookie_name(a, cfg), "__Host-oidc_login",
	    "https, Path=/: __Host- prefix");
	cfg->cookie_path = "/app/";
	is_str(session_cookie_name(a, cfg), "__Secure-oidc_login",
	    "https, other path: __Secure- prefix");
	cfg->cookie_path = "/";
	cfg->secure = 0;
}

static void
test_session_round_trip(struct arena *a, struct cfg *cfg,
    struct seal_keys *keys)
{
	struct session	 s, got;
	struct resp	 resp;
	json_object	*claims;
	const char	*cookies;
	const char	 text[] = "{\"sub\":\"u1\",\"email\":\"u@example.com\"}";
	int64_t		 now = 1700000000;

	jv_parse_object(a, text, strlen(text), &claims);
	memset(&s, 0, sizeof(s));
	s.provider = "alpha";
	s.claims = claims;
	s.id_token = "header.payload.signature";
	resp_init(&resp, a);
	is_int(session_store(ctx(a, cfg, keys, jar_of(a, ""), now), &s, &resp),
	    ERR_OK, "store a small session");
	is_int(count_headers(&resp, "oidc_login="), 1, "  one cookie");
	ok(count_headers(&resp, "HttpOnly") == resp.nheaders,
	    "  every cookie HttpOnly");
	ok(count_headers(&resp, "SameSite=Lax") == resp.nheaders,
	    "  every cookie SameSite=Lax");
	ok(count_headers(&resp, "header.payload") == 0,
	    "  the ID token is not in clear text");
	cookies = browser_cookies(a, "", &resp);
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, cookies), now + 10),
	    &got), SESSION_VALID, "load it back");
	is_str(got.provider, "alpha", "  provider");
	is_str(json_object_get_string(json_object_object_get(got.claims,
	    "email")), "u@example.com", "  claims");
	is_str(got.id_token, "header.payload.signature",
	    "  kept token decrypted");
	ok(got.access_token == NULL, "  token not kept stays absent");
	ok(got.binding != NULL && strlen(got.binding) > 20, "  binding set");
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, cookies),
	    now + cfg->cookie_max_age + 1), &got), SESSION_INVALID,
	    "expired session is invalid");
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, "other=1"), now), &got),
	    SESSION_ABSENT, "no cookie: absent");
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, "oidc_login=garbage"),
	    now), &got), SESSION_INVALID, "garbage: invalid");
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, "oidc_login=99999999"),
	    now), &got), SESSION_INVALID, "absurd chunk count: invalid");
}

static void
test_session_chunks(struct arena *a, struct cfg *cfg, struct seal_keys *keys)
{
	struct session	 s, got;
	struct resp	 resp, resp2;
	json_object	*claims = json_object_new_object(), *small;
	const char	*cookies;
	char		 filler[2001];
	int64_t		 now = 1700000000;

	memset(filler, 'g', sizeof(filler) - 1);
	filler[sizeof(filler) - 1] = '\0';
	json_object_object_add(claims, "sub", json_object_new_string("u1"));
	json_object_object_add(claims, "a", json_object_new_string(filler));
	json_object_object_add(claims, "b", json_object_new_string(filler));
	memset(&s, 0, sizeof(s));
	s.provider = "alpha";
	s.claims = claims;
	resp_init(&resp, a);
	is_int(session_store(ctx(a, cfg, keys, jar_of(a, ""), now), &s, &resp),
	    ERR_OK, "store a large session");
	ok(count_headers(&resp, "oidc_login_1=") == 1 &&
	    count_headers(&resp, "oidc_login_2=") == 1, "  split in chunks");
	cookies = browser_cookies(a, "", &resp);
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, cookies), now), &got),
	    SESSION_VALID, "chunked session loads");
	is_int(strlen(json_object_get_string(json_object_object_get(
	    got.claims, "b"))), 2000, "  large claim intact");

	/* A smaller session replaces it: stale chunks are deleted. */
	small = json_object_new_object();
	json_object_object_add(small, "sub", json_object_new_string("u1"));
	s.claims = small;
	resp_init(&resp2, a);
	is_int(session_store(ctx(a, cfg, keys, jar_of(a, cookies), now), &s,
	    &resp2), ERR_OK, "store a small session over it");
	ok(count_headers(&resp2, "oidc_login_1=; ") == 1 &&
	    count_headers(&resp2, "oidc_login_2=; ") == 1,
	    "  stale chunks deleted");
	cookies = browser_cookies(a, cookies, &resp2);
	ok(strstr(cookies, "oidc_login_1") == NULL, "  browser has no chunks");
	is_int(session_load(ctx(a, cfg, keys, jar_of(a, cookies), now), &got),
	    SESSION_VALID, "  small session loads");

	/* Far too large: refused, nothing set. */
	for (int i = 0; i < 4; i++) {
		char name[8];
		snprintf(name, sizeof(name), "x%d", i);
		json_object_object_add(claims, name,
		    json_object_new_string(filler));
	}
	s.claims = claims;
	resp_init(&resp, a);
	is_int(session_store(ctx(a, cfg, keys, jar_of(a, ""), now), &s, &resp),
	    ERR_SESSION_TOO_BIG, "oversized session refused");
	is_int(resp.nheaders, 0, "  no cookie set");
	json_object_put(claims);
	json_object_put(small);

	resp_init(&resp, a);
	session_clear(ctx(a, cfg, NULL, NULL, 0), &resp);
	is_int(resp.nheaders, 1 + BOUND_SESSION_CHUNKS,
	    "clear deletes the session and every chunk");
	is_int(count_headers(&resp, "Max-Age=0"), 1 + BOUND_SESSION_CHUNKS,
	    "  all with Max-Age=0");
}

static const char *
start_flow(struct arena *a, struct cfg *cfg, struct seal_keys *keys,
    const char *cookies, const char *state, int64_t now)
{
	struct flow	f = { "alpha", state, "nonce-1", "verifier-1",
	    "/back?x=1", NULL, now };
	struct resp	resp;

	resp_init(&resp, a);
	if (session_flow_start(ctx(a, cfg, keys, jar_of(a, cookies), now), &f,
	    &resp) != ERR_OK)
		return NULL;
	return browser_cookies(a, cookies, &resp);
}

static void
test_flows(struct arena *a, struct cfg *cfg, struct seal_keys *keys)
{
	const char	*s1 = "AAAAAAAA1111111111111111111111111111111111x";
	const char	*s2 = "BBBBBBBB1111111111111111111111111111111111x";
	const char	*s3 = "CCCCCCCC1111111111111111111111111111111111x";
	const char	*s4 = "DDDDDDDD1111111111111111111111111111111111x";
	const char	*c;
	struct flow	 f;
	struct resp	 resp;
	int64_t		 now = 1700000000;

	c = start_flow(a, cfg, keys, "", s1, now);
	ok(c != NULL && strstr(c, "oidc_login_flow_AAAAAAAA=") != NULL,
	    "flow cookie named after its state");
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a, c), now + 5), s1,
	    &f, &resp), ERR_OK, "take the flow");
	is_str(f.provider, "alpha", "  provider");
	is_str(f.nonce, "nonce-1", "  nonce");
	is_str(f.verifier, "verifier-1", "  verifier");
	is_str(f.return_to, "/back?x=1", "  return_to");
	is_int(count_headers(&resp, "Max-Age=0"), 1, "  flow cookie deleted");
	c = browser_cookies(a, c, &resp);
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a, c), now + 6), s1,
	    &f, &resp), ERR_UNVERIFIED, "a used flow cannot be taken again");

	c = start_flow(a, cfg, keys, "", s1, now);
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a, c),
	    now + BOUND_FLOW_MAX_AGE + 1), s1, &f, &resp), ERR_UNVERIFIED,
	    "an expired flow is refused");
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a, c), now), s2, &f,
	    &resp), ERR_UNVERIFIED, "another state (another browser) is refused");
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a, c), now),
	    "AAAAAAAA2222222222222222222222222222222222x", &f, &resp),
	    ERR_UNVERIFIED, "same cookie name, other state: refused");
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a, c), now), "short",
	    &f, &resp), ERR_UNVERIFIED, "malformed state refused");
	resp_init(&resp, a);
	is_int(session_flow_take(ctx(a, cfg, keys, jar_of(a,
	    "oidc_login_flow_AAAAAAAA=forged"), now), s1, &f, &resp),
	    ERR_UNVERIFIED, "forged flow cookie refused");

	/* At most BOUND_FLOWS_LIVE attempts live at once. */
	c = start_flow(a, cfg, keys, "", s1, now);
	c = start_flow(a, cfg, keys, c, s2, now + 1);
	c = start_flow(a, cfg, keys, c, s3, now + 2);
	c = start_flow(a, cfg, keys, c, s4, now + 3);
	ok(strstr(c, "_flow_AAAAAAAA") == NULL, "the oldest flow is expired");
	ok(strstr(c, "_flow_BBBBBBBB") && strstr(c, "_flow_CCCCCCCC") &&
	    strstr(c, "_flow_DDDDDDDD"), "  the newest three live");
	c = start_flow(a, cfg, keys, "oidc_login_flow_ZZZZZZZZ=junk", s1, now);
	ok(strstr(c, "ZZZZZZZZ") == NULL, "an invalid flow cookie is cleared");
}


/* Stores s at now and loads it back at later, through the cookie. */
static int
round_trip(struct arena *a, struct cfg *cfg, struct seal_keys *keys,
    const struct session *s, int64_t now, int64_t later, struct session *out)
{
	struct resp	 resp;
	char		*jar = arena_strdup(a, "");
	const char	*v;

	resp_init(&resp, a);
	if (session_store(ctx(a, cfg, keys, jar_of(a, ""), now), s, &resp) !=
	    ERR_OK)
		return 0;
	for (size_t i = 0; i < resp.nheaders; i++) {
		v = resp.headers[i].value;
		jar = arena_printf(a, "%s%s%.*s", jar, *jar ? "; " : "",
		    (int)strcspn(v, ";"), v);
	}
	return session_load(ctx(a, cfg, keys, jar_of(a, jar), later), out) ==
	    SESSION_VALID;
}

/* The lifetimes: absolute, idle with its sliding window, re-validation. */
static void
test_lifetimes(struct arena *a, struct cfg *cfg, struct seal_keys *keys)
{
	struct cfg_provider	 pc;
	struct session		 s, got;
	const char		 text[] = "{\"sub\":\"u1\"}";
	int64_t			 t = 1700000000, until;

	memset(&pc, 0, sizeof(pc));
	memset(&s, 0, sizeof(s));
	s.provider = "alpha";
	jv_parse_object(a, text, strlen(text), &s.claims);
	s.refresh_token = "rt-secret";
	s.login_at = t;
	s.seen_at = t + 100;
	s.vouched_at = t + 50;
	ok(round_trip(a, cfg, keys, &s, t + 100, t + 101, &got), "a session "
	    "with its times round-trips");
	ok(got.login_at == t && got.seen_at == t + 100 && got.vouched_at ==
	    t + 50, "the times are kept");
	is_str(got.refresh_token, "rt-secret", "the refresh token is kept, "
	    "decrypted");
	is_int(got.exp, t + cfg->cookie_max_age, "it ends at login + max age, "
	    "whenever it was stored");
	ok(!round_trip(a, cfg, keys, &s, t + 100, t + cfg->cookie_max_age,
	    &got), "... and not later");
	ok(!round_trip(a, cfg, keys, &s, t + cfg->cookie_max_age + 1,
	    t + cfg->cookie_max_age + 1, &got), "a session past its lifetime "
	    "cannot be stored again");

	/* Nothing configured: fresh until it expires. */
	got = s;
	got.exp = t + 3600;
	is_int(session_due(cfg, &pc, &got, t + 3000, &until), SESSION_FRESH,
	    "no idle timeout, no re-validation: fresh");
	is_int(until, t + 3600, "... until it expires");
	/* Re-validation. */
	pc.revalidate_after = 600;
	is_int(session_due(cfg, &pc, &got, t + 50 + 599, &until),
	    SESSION_FRESH, "vouched 599 s ago: fresh");
	is_int(until, t + 650, "... until re-validation is due");
	is_int(session_due(cfg, &pc, &got, t + 650, &until), SESSION_RENEW,
	    "vouched 600 s ago: renew");
	pc.revalidate_after = 0;
	/* Idle timeout, sliding a quarter at a time. */
	cfg->idle_timeout = 400;
	is_int(session_due(cfg, &pc, &got, t + 199, &until), SESSION_FRESH,
	    "used 99 s ago of 400: fresh");
	is_int(until, t + 200, "... until a quarter has passed");
	is_int(session_due(cfg, &pc, &got, t + 200, &until), SESSION_TOUCH,
	    "a quarter passed: the window slides");
	is_int(session_due(cfg, &pc, &got, t + 499, &until), SESSION_TOUCH,
	    "399 s: still in it");
	is_int(session_due(cfg, &pc, &got, t + 500, &until), SESSION_IDLE,
	    "400 s unused: over");
	pc.revalidate_after = 60;
	is_int(session_due(cfg, &pc, &got, t + 500, &until), SESSION_IDLE,
	    "idle before renewal: over, not renewed");
	cfg->idle_timeout = 0;
}

int
main(void)
{
	struct arena		*a = arena_new();
	struct cfg_secret	 cur = { (unsigned char *)secret,
	    sizeof(secret) - 1 };
	struct seal_keys	*keys;
	struct cfg		 cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.cookie_name = "oidc_login";
	cfg.cookie_path = "/";
	cfg.cookie_max_age = 3600;
	if (seal_keys_new(&cur, NULL, 0, &keys) != ERR_OK) {
		tap_skip_all("cannot derive keys");
		return 0;
	}
	test_claims(a);
	test_names(a, &cfg);
	test_session_round_trip(a, &cfg, keys);
	test_session_chunks(a, &cfg, keys);
	test_flows(a, &cfg, keys);
	test_lifetimes(a, &cfg, keys);
	seal_keys_free(keys);
	arena_free(a);
	return tap_done();
}
