#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cfg.h"
#include "err.h"
#include "log.h"
#include "seal.h"

#include "fuzz.h"

static struct arena	*arena;
static struct seal_keys	*keys;

static void
free_arena(void)
{
	arena_free(arena);
	arena = NULL;
}

static void
free_keys(void)
{
	seal_keys_free(keys);
	keys = NULL;
}

struct arena *
fuzz_begin(void)
{
	if (arena == NULL) {
		/* Debug lines about skipped keys would drown the fuzzer's. */
		log_set_level(LOG_LEVEL_ERROR);
		arena = arena_new();
		atexit(free_arena);
	}
	arena_reset(arena);
	err_reason_clear();
	return arena;
}

const struct seal_keys *
fuzz_seal_keys(void)
{
	struct cfg_secret	cur, prev;

	if (keys != NULL)
		return keys;
	cur.bytes = (unsigned char *)FUZZ_SECRET;
	cur.len = strlen(FUZZ_SECRET);
	prev.bytes = (unsigned char *)FUZZ_SECRET_PREVIOUS;
	prev.len = strlen(FUZZ_SECRET_PREVIOUS);
	if (seal_keys_new(&cur, &prev, 1, &keys) != ERR_OK)
		abort();
	atexit(free_keys);
	return keys;
}

char *
fuzz_cstr(struct arena *a, const uint8_t *data, size_t size)
{
	return arena_strndup(a, (const char *)data, size);
}
