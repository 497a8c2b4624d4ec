#include "config.h"

#include <string.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "cfg.h"
#include "cookie.h"
#include "crypto.h"
#include "jv.h"
#include "log.h"
#include "req.h"
#include "seal.h"
#include "session.h"

/* Claims about the token rather than the person: not kept. */
static const char *const technical_claims[] = {
	"aud", "azp", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash",
	"s_hash", "auth_time", "jti", "sid", "acr", "amr", "uti", "rh",
	"aio", "ipaddr", "sid_hash",
};

/* The flow cookie is named after the first characters of its state. */
#define FLOW_ID_LEN	8

static int
is_technical(const char *name)
{
	for (size_t i = 0; i < sizeof(technical_claims) /
	    sizeof(technical_claims[0]); i++)
		if (strcmp(name, technical_claims[i]) == 0)
			return 1;
	return 0;
}

json_object *
session_identity_claims(struct arena *a, json_object *claims)
{
	json_object	*kept = jv_new_object(a);

	json_object_object_foreach(claims, name, value) {
		if (is_technical(name))
			continue;
		json_object_object_add(kept, name, json_object_get(value));
	}
	return kept;
}

const char *
session_cookie_name(struct arena *a, const struct cfg *cfg)
{
	if (!cfg->secure)
		return cfg->cookie_name;
	/* __Host- demands Path=/ and no Domain; otherwise __Secure-. */
	return arena_printf(a, "%s%s", strcmp(cfg->cookie_path, "/") == 0 ?
	    "__Host-" : "__Secure-", cfg->cookie_name);
}

static const char *
flow_prefix(const struct session_ctx *sc)
{
	return arena_printf(sc->arena, "%s_flow_",
	    session_cookie_name(sc->arena, sc->cfg));
}

static void
set_cookie(const struct session_ctx *sc, struct resp *resp, const char *name,
    const char *value, long long max_age)
{
	struct cookie_attrs	 attrs = {
		.path = sc->cfg->cookie_path,
		.max_age = max_age,
		.secure = sc->cfg->secure,
		.http_only = 1,
		.same_site = "Lax",
	};
	char			*header;

	/* Our names and values are built from safe alphabets: cannot fail. */
	if (cookie_format(sc->arena, name, value, &attrs, &header) == ERR_OK)
		resp_header(resp, "Set-Cookie", header);
}

static void
delete_cookie(const struct session_ctx *sc, struct resp *resp,
    const char *name)
{
	set_cookie(sc, resp, name, "", 0);
}

/*
 * --- Session payload: {"p": provider, "c": claims, "l", "s", "v": the
 * login, last use and last vouching times, "ti"/"ta"/"tr": tokens}.
 */

static enum err
encode_token(const struct session_ctx *sc, json_object *o,
    const char *member, const char *token)
{
	char		*sealed;
	enum err	 e;

	if (token == NULL)
		return ERR_OK;
	if ((e = seal_encrypt(sc->keys, sc->arena, member, token,
	    strlen(token), &sealed)) != ERR_OK)
		return e;
	json_object_object_add(o, member, json_object_new_string(sealed));
	return ERR_OK;
}

static enum err
session_encode(const struct session_ctx *sc, const struct session *s,
    const char **out)
{
	json_object	*o = jv_new_object(sc->arena);
	enum err	 e;

	json_object_object_add(o, "p", json_object_new_string(s->provider));
	json_object_object_add(o, "c", json_object_get(s->claims));
	json_object_object_add(o, "l", json_object_new_int64(s->login_at));
	json_object_object_add(o, "s", json_object_new_int64(s->seen_at));
	json_object_object_add(o, "v", json_object_new_int64(s->vouched_at));
	if ((e = encode_token(sc, o, "ti", s->id_token)) != ERR_OK ||
	    (e = encode_token(sc, o, "ta", s->access_token)) != ERR_OK ||
	    (e = encode_token(sc, o, "tr", s->refresh_token)) != ERR_OK)
		return e;
	*out = arena_strdup(sc->arena, jv_text(o));
	return ERR_OK;
}

static enum err
decode_token(const struct session_ctx *sc, json_object *o,
    const char *member, const char **token)
{
	const char	*sealed;
	char		*plain;
	size_t		 len;
	enum err	 e;

	*token = NULL;
	e = jv_str(o, member, &sealed);
	if (e == ERR_NOT_FOUND)
		return ERR_OK;
	if (e != ERR_OK)
		return ERR_UNVERIFIED;
	if (seal_decrypt(sc->keys, sc->arena, member, sealed, &plain,
	    &len) != ERR_OK || memchr(plain, '\0', len) != NULL) {
		err_reason("session: %s does not decrypt", member);
		return ERR_UNVERIFIED;
	}
	*token = plain;
	return ERR_OK;
}

/* A time member; 0 when absent (a cookie from before they were kept). */
static enum err
decode_time(json_object *o, const char *member, int64_t *t)
{
	enum err	e = jv_int(o, member, 0, BOUND_TIME_MAX, t);

	if (e == ERR_NOT_FOUND) {
		*t = 0;
		return ERR_OK;
	}
	return e;
}

static enum err
session_decode(const struct session_ctx *sc, const char *payload, size_t len,
    struct session *s)
{
	json_object	*o, *claims;

	if (jv_parse_object(sc->arena, payload, len, &o) != ERR_OK ||
	    jv_str(o, "p", &s->provider) != ERR_OK ||
	    !json_object_object_get_ex(o, "c", &claims) ||
	    !json_object_is_type(claims, json_type_object)) {
		err_reason("session: payload malformed");
		return ERR_UNVERIFIED;
	}
	s->claims = claims;
	if (decode_token(sc, o, "ti", &s->id_token) != ERR_OK ||
	    decode_token(sc, o, "ta", &s->access_token) != ERR_OK ||
	    decode_token(sc, o, "tr", &s->refresh_token) != ERR_OK ||
	    decode_time(o, "l", &s->login_at) != ERR_OK ||
	    decode_time(o, "s", &s->seen_at) != ERR_OK ||
	    decode_time(o, "v", &s->vouched_at) != ERR_OK) {
		err_reason("session: payload malformed");
		return ERR_UNVERIFIED;
	}
	return ERR_OK;
}

enum session_found
session_load(const struct session_ctx *sc, struct session *s)
{
	const char		*name, *dot;
	struct seal_opened	 opened;
	char			*sealed;
	enum err		 e;

	memset(s, 0, sizeof(*s));
	name = session_cookie_name(sc->arena, sc->cfg);
	e = seal_join(sc->arena, sc->jar, name, &sealed);
	if (e == ERR_NOT_FOUND)
		return SESSION_ABSENT;
	if (e != ERR_OK)
		return SESSION_INVALID;
	if (seal_open(sc->keys, sc->arena, SEAL_SESSION, name, sealed, sc->now,
	    &opened) != ERR_OK)
		return SESSION_INVALID;
	if (session_decode(sc, opened.payload, opened.len, s) != ERR_OK)
		return SESSION_INVALID;
	dot = strrchr(sealed, '.');
	s->binding = dot ? dot + 1 : sealed;
	s->sealed = sealed;
	s->iat = opened.iat;
	s->exp = opened.exp;
	s->rotated = opened.rotated;
	/* A cookie from before the times were kept began when it was made. */
	if (s->login_at == 0)
		s->login_at = s->iat;
	if (s->seen_at == 0)
		s->seen_at = s->iat;
	if (s->vouched_at == 0)
		s->vouched_at = s->iat;
	return SESSION_VALID;
}

int
session_peek(const struct session_ctx *sc, const char **sealed)
{
	char	*joined;

	if (seal_join(sc->arena, sc->jar, session_cookie_name(sc->arena,
	    sc->cfg), &joined) != ERR_OK) {
		err_reason_clear();
		return 0;
	}
	*sealed = joined;
	return 1;
}

static enum err
session_seal(const struct session_ctx *sc, const struct session *s,
    const char *name, long long left, char **sealed)
{
	const char	*payload;
	enum err	 e;

	if ((e = session_encode(sc, s, &payload)) != ERR_OK)
		return e;
	return seal_seal(sc->keys, sc->arena, SEAL_SESSION, name, sc->now,
	    left, payload, strlen(payload), sealed);
}

/*
 * An ID token not exposed is kept only for logout's id_token_hint, which
 * is not worth a second cookie on every request (nor the header room
 * some servers lack, nginx's fastcgi_buffer_size of one page among them).
 */
static int
hint_only(const struct session_ctx *sc, const struct session *s)
{
	return s->id_token != NULL && !sc->cfg->expose_id;
}

static int
hint_only_too_big(const struct session_ctx *sc, const struct session *s,
    const char *sealed)
{
	static int	said;

	if (!hint_only(sc, s) || (sealed != NULL &&
	    strlen(sealed) <= BOUND_COOKIE_CHUNK))
		return 0;
	if (!said++)
		log_warnx("an ID token is not kept for logout's id_token_hint "
		    "where the session would then need more than one cookie "
		    "(logout at the provider goes without the hint)");
	return 1;
}

enum err
session_store(const struct session_ctx *sc, const struct session *s,
    struct resp *resp)
{
	const struct cfg	*cfg = sc->cfg;
	const char		*name;
	struct seal_chunk	*chunks;
	struct session		 dated = *s;
	char			*sealed;
	long long		 left;
	int64_t			 begun;
	size_t			 n;
	enum err		 e;

	/* However often it is renewed, a session ends where it began + max. */
	begun = s->login_at > 0 ? s->login_at : sc->now;
	left = begun + cfg->cookie_max_age - sc->now;
	if (left <= 0 || left > cfg->cookie_max_age) {
		err_reason("session: its lifetime is over");
		return ERR_UNVERIFIED;
	}
	/* A session without times begins now. */
	dated.login_at = begun;
	if (dated.seen_at <= 0)
		dated.seen_at = sc->now;
	if (dated.vouched_at <= 0)
		dated.vouched_at = sc->now;
	name = session_cookie_name(sc->arena, cfg);
	e = session_seal(sc, &dated, name, left, &sealed);
	if (e == ERR_SESSION_TOO_BIG && hint_only(sc, &dated))
		sealed = NULL;
	else if (e != ERR_OK)
		return e;
	if (hint_only_too_big(sc, &dated, sealed)) {
		err_reason_clear();
		dated.id_token = NULL;
		if ((e = session_seal(sc, &dated, name, left, &sealed)) !=
		    ERR_OK)
			return e;
	}
	if ((e = seal_split(sc->arena, name, sealed, &chunks, &n)) != ERR_OK)
		return e;
	for (size_t i = 0; i < n; i++)
		set_cookie(sc, resp, chunks[i].name, chunks[i].value, left);
	/* Chunks the browser holds beyond the new count are stale. */
	for (size_t i = n; i <= BOUND_SESSION_CHUNKS; i++) {
		const char *chunk = seal_chunk_name(sc->arena, name, i);
		if (cookie_get(sc->jar, chunk) != NULL)
			delete_cookie(sc, resp, chunk);
	}
	return ERR_OK;
}

static int64_t
earlier(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

enum session_due
session_due(const struct cfg *cfg, const struct cfg_provider *pc,
    const struct session *s, int64_t now, int64_t *until)
{
	long long	idle = cfg->idle_timeout;
	long long	again = pc != NULL ? pc->revalidate_after : 0;
	int64_t		touch;

	*until = s->exp;
	if (idle > 0 && now - s->seen_at >= idle)
		return SESSION_IDLE;
	if (again > 0 && now - s->vouched_at >= again)
		return SESSION_RENEW;
	if (again > 0)
		*until = earlier(*until, s->vouched_at + again);
	if (idle <= 0)
		return SESSION_FRESH;
	touch = s->seen_at + idle / 4;
	if (now >= touch)
		return SESSION_TOUCH;
	*until = earlier(*until, touch);
	return SESSION_FRESH;
}

void
session_clear(const struct session_ctx *sc, struct resp *resp)
{
	const char	*name = session_cookie_name(sc->arena, sc->cfg);

	delete_cookie(sc, resp, name);
	for (size_t i = 1; i <= BOUND_SESSION_CHUNKS; i++)
		delete_cookie(sc, resp, seal_chunk_name(sc->arena, name, i));
}

/* --- Flow cookies: {"p", "s", "n", "v", "r"}. ------------------------ */

static int
state_is_wellformed(const char *state)
{
	size_t	len = strlen(state);

	if (len != b64_url_encoded_len(BOUND_RANDOM_BYTES))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = state[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static const char *
flow_cookie_name(const struct session_ctx *sc, const char *state)
{
	return arena_printf(sc->arena, "%s%.*s", flow_prefix(sc), FLOW_ID_LEN,
	    state);
}

static enum err
flow_open(const struct session_ctx *sc, const char *name, const char *value,
    struct flow *f)
{
	struct seal_opened	 opened;
	json_object		*o;

	memset(f, 0, sizeof(*f));
	if (seal_open(sc->keys, sc->arena, SEAL_FLOW, name, value, sc->now,
	    &opened) != ERR_OK)
		return ERR_UNVERIFIED;
	if (jv_parse_object(sc->arena, opened.payload, opened.len, &o) !=
	    ERR_OK ||
	    jv_str(o, "p", &f->provider) != ERR_OK ||
	    jv_str(o, "s", &f->state) != ERR_OK ||
	    jv_str(o, "n", &f->nonce) != ERR_OK ||
	    jv_str(o, "v", &f->verifier) != ERR_OK ||
	    jv_str(o, "r", &f->return_to) != ERR_OK ||
	    (jv_str(o, "u", &f->renew_sub) != ERR_OK &&
	    json_object_object_get_ex(o, "u", NULL))) {
		err_reason("flow cookie payload malformed");
		return ERR_UNVERIFIED;
	}
	f->iat = opened.iat;
	return ERR_OK;
}

/* Expires invalid flow cookies and the oldest valid ones beyond keep. */
static void
flow_expire(const struct session_ctx *sc, size_t keep, struct resp *resp)
{
	const struct cookie_jar	*jar = sc->jar;
	const char		*prefix = flow_prefix(sc);
	size_t			 plen = strlen(prefix), nlive = 0;
	struct {
		const char	*name;
		int64_t		 iat;
	}			*live;

	live = arena_calloc(sc->arena, jar->n, sizeof(*live));
	for (size_t i = 0; i < jar->n; i++) {
		struct flow f;

		if (strncmp(jar->v[i].name, prefix, plen) != 0)
			continue;
		if (flow_open(sc, jar->v[i].name, jar->v[i].value, &f) !=
		    ERR_OK) {
			delete_cookie(sc, resp, jar->v[i].name);
			continue;
		}
		live[nlive].name = jar->v[i].name;
		live[nlive].iat = f.iat;
		nlive++;
	}
	while (nlive > keep) {
		size_t oldest = 0;
		for (size_t i = 1; i < nlive; i++)
			if (live[i].iat < live[oldest].iat)
				oldest = i;
		delete_cookie(sc, resp, live[oldest].name);
		live[oldest] = live[--nlive];
	}
}

enum err
session_flow_start(const struct session_ctx *sc, const struct flow *f,
    struct resp *resp)
{
	json_object	*o = jv_new_object(sc->arena);
	const char	*name, *payload;
	char		*sealed;
	enum err	 e;

	json_object_object_add(o, "p", json_object_new_string(f->provider));
	json_object_object_add(o, "s", json_object_new_string(f->state));
	json_object_object_add(o, "n", json_object_new_string(f->nonce));
	json_object_object_add(o, "v", json_object_new_string(f->verifier));
	json_object_object_add(o, "r", json_object_new_string(f->return_to));
	if (f->renew_sub != NULL)
		json_object_object_add(o, "u",
		    json_object_new_string(f->renew_sub));
	payload = jv_text(o);
	name = flow_cookie_name(sc, f->state);
	if ((e = seal_seal(sc->keys, sc->arena, SEAL_FLOW, name, sc->now,
	    BOUND_FLOW_MAX_AGE, payload, strlen(payload), &sealed)) != ERR_OK)
		return e;
	flow_expire(sc, BOUND_FLOWS_LIVE - 1, resp);
	set_cookie(sc, resp, name, sealed, BOUND_FLOW_MAX_AGE);
	return ERR_OK;
}

enum err
session_flow_take(const struct session_ctx *sc, const char *state,
    struct flow *f, struct resp *resp)
{
	const char	*name, *value;

	if (!state_is_wellformed(state)) {
		err_reason("state parameter malformed");
		return ERR_UNVERIFIED;
	}
	name = flow_cookie_name(sc, state);
	if ((value = cookie_get(sc->jar, name)) == NULL) {
		err_reason("no flow cookie for this state (used, expired, "
		    "or another browser)");
		return ERR_UNVERIFIED;
	}
	delete_cookie(sc, resp, name);
	if (flow_open(sc, name, value, f) != ERR_OK)
		return ERR_UNVERIFIED;
	if (!crypto_equal_str(state, strlen(state), f->state,
	    strlen(f->state))) {
		err_reason("state does not match its flow cookie");
		return ERR_UNVERIFIED;
	}
	return ERR_OK;
}
