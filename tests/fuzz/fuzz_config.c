/*
 * cfg_load_string on a secrets.toml: a refusal says why and returns
 * nothing; an accepted configuration keeps its bounds, finds each of
 * its providers by name and yields cookie keys.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "err.h"
#include "seal.h"

#include "fuzz.h"

static void
check(const struct cfg *cfg)
{
	struct seal_keys	*keys = NULL;

	if (cfg->nproviders == 0 || cfg->nproviders > BOUND_PROVIDERS ||
	    cfg->redirect_uri == NULL || cfg->cookie_name == NULL ||
	    cfg->cookie_path == NULL || cfg->secret.len < BOUND_SECRET_MIN ||
	    cfg->nprevious > BOUND_SECRETS_PREVIOUS)
		abort();
	for (size_t i = 0; i < cfg->nproviders; i++) {
		const struct cfg_provider *p = &cfg->providers[i];

		if (p->name == NULL || p->client_id == NULL ||
		    strlen(p->name) > BOUND_PROVIDER_NAME ||
		    cfg_provider_find(cfg, p->name, strlen(p->name)) != p)
			abort();
	}
	if (seal_keys_new(&cfg->secret, cfg->previous, cfg->nprevious,
	    &keys) != ERR_OK)
		abort();
	seal_keys_free(keys);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	*a = fuzz_begin();
	struct cfg	*cfg = NULL;

	err_reason_clear();
	if (cfg_load_string(fuzz_cstr(a, data, size), "fuzz.toml", &cfg) !=
	    ERR_OK) {
		if (cfg != NULL || err_reason_get()[0] == '\0')
			abort();
		return 0;
	}
	if (cfg == NULL)
		abort();
	check(cfg);
	cfg_free(cfg);
	return 0;
}
