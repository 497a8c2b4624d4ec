/*
 * What our cookies carry, past their MAC: the input is sealed as a
 * session payload with the session key (split in chunks when large)
 * and read back with session_load, which reaches session_decode; and
 * it is sealed as the flow cookie of FUZZ_STATE and taken back with
 * session_flow_take.  In the input, "@I@" and "@A@" are replaced by an
 * ID token and an access token encrypted as session_store does, so the
 * fuzzer gets past their decryption too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "cfg.h"
#include "cookie.h"
#include "req.h"
#include "seal.h"
#include "session.h"

#include "fuzz.h"

#define MARK_ID		"@I@"
#define MARK_ACCESS	"@A@"
#define MARK_LEN	3
#define FUZZ_ID_TOKEN	"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"
#define MAX_AGE		3600

static struct cfg *
fuzz_cfg(void)
{
	static struct cfg	cfg;

	cfg.cookie_name = FUZZ_COOKIE;
	cfg.cookie_path = "/";
	cfg.cookie_max_age = MAX_AGE;
	return &cfg;
}

/* Returns the payload with the token marks replaced by sealed tokens. */
static const char *
expand(struct arena *a, const uint8_t *data, size_t size, size_t *len)
{
	const struct seal_keys	*keys = fuzz_seal_keys();
	struct buf		 b;
	char			*id, *access;
	size_t			 i;

	if (seal_encrypt(keys, a, "ti", FUZZ_ID_TOKEN, strlen(FUZZ_ID_TOKEN),
	    &id) != ERR_OK || seal_encrypt(keys, a, "ta", FUZZ_ACCESS_TOKEN,
	    strlen(FUZZ_ACCESS_TOKEN), &access) != ERR_OK)
		abort();
	/* Larger than any payload that could be sealed. */
	buf_init(&b, a, 2 * BOUND_SESSION_SEALED);
	for (i = 0; i < size; i++) {
		const char *sub = NULL;

		if (size - i >= MARK_LEN &&
		    memcmp(data + i, MARK_ID, MARK_LEN) == 0)
			sub = id;
		else if (size - i >= MARK_LEN &&
		    memcmp(data + i, MARK_ACCESS, MARK_LEN) == 0)
			sub = access;
		if (sub != NULL) {
			if (buf_puts(&b, sub) != ERR_OK)
				return NULL;
			i += MARK_LEN - 1;
		} else if (buf_putc(&b, (char)data[i]) != ERR_OK)
			return NULL;
	}
	*len = b.len;
	return b.data;
}

static void
session(struct arena *a, const char *payload, size_t len)
{
	const struct seal_keys	*keys = fuzz_seal_keys();
	struct session_ctx	 sc;
	struct seal_chunk	*chunks;
	struct cookie_jar	 jar;
	struct session		 s;
	char			*sealed;
	size_t			 n;

	if (seal_seal(keys, a, SEAL_SESSION, FUZZ_COOKIE, FUZZ_NOW, MAX_AGE,
	    payload, len, &sealed) != ERR_OK)
		return;
	if (seal_split(a, FUZZ_COOKIE, sealed, &chunks, &n) != ERR_OK)
		abort();
	jar.v = arena_calloc(a, n, sizeof(*jar.v));
	jar.n = n;
	for (size_t i = 0; i < n; i++) {
		jar.v[i].name = chunks[i].name;
		jar.v[i].value = chunks[i].value;
	}
	sc.cfg = fuzz_cfg();
	sc.keys = keys;
	sc.arena = a;
	sc.jar = &jar;
	sc.now = FUZZ_NOW;
	switch (session_load(&sc, &s)) {
	case SESSION_VALID:
		if (s.provider == NULL || s.claims == NULL ||
		    !json_object_is_type(s.claims, json_type_object) ||
		    s.binding == NULL || s.iat != FUZZ_NOW ||
		    s.exp != FUZZ_NOW + MAX_AGE)
			abort();
		session_identity_claims(a, s.claims);
		break;
	case SESSION_INVALID:
		break;
	default:
		abort();
	}
}

static void
flow(struct arena *a, const char *payload, size_t len)
{
	struct session_ctx	 sc;
	struct cookie_jar	 jar;
	struct cookie		 c;
	struct flow		 f;
	struct resp		 resp;
	char			*sealed;

	if (seal_seal(fuzz_seal_keys(), a, SEAL_FLOW, FUZZ_FLOW_COOKIE,
	    FUZZ_NOW, BOUND_FLOW_MAX_AGE, payload, len, &sealed) != ERR_OK)
		return;
	c.name = FUZZ_FLOW_COOKIE;
	c.value = sealed;
	jar.v = &c;
	jar.n = 1;
	resp_init(&resp, a);
	sc.cfg = fuzz_cfg();
	sc.keys = fuzz_seal_keys();
	sc.arena = a;
	sc.jar = &jar;
	sc.now = FUZZ_NOW;
	if (session_flow_take(&sc, FUZZ_STATE, &f, &resp) != ERR_OK)
		return;
	if (strcmp(f.state, FUZZ_STATE) != 0 || f.provider == NULL ||
	    f.nonce == NULL || f.verifier == NULL || f.return_to == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = fuzz_begin();
	const char	*payload;
	size_t		 len;

	if ((payload = expand(a, data, size, &len)) == NULL)
		return 0;
	session(a, payload, len);
	flow(a, payload, len);
	return 0;
}
