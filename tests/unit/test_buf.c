#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "tap.h"

int
main(void)
{
	struct arena	*a = arena_new();
	struct buf	 b;
	char		 big[5000];

	buf_init(&b, a, 10);
	is_int(b.len, 0, "new buffer is empty");
	is_str(b.data, "", "and NUL-terminated");
	is_int(buf_puts(&b, "hello"), ERR_OK, "append within cap");
	is_int(buf_puts(&b, "world"), ERR_OK, "append up to cap exactly");
	is_str(b.data, "helloworld", "contents");
	is_int(buf_putc(&b, '!'), ERR_TOO_BIG, "one byte past cap refused");
	is_str(b.data, "helloworld", "buffer unchanged after refusal");
	is_int(buf_printf(&b, "%d", 1), ERR_TOO_BIG, "printf past cap refused");
	is_int(b.len, 10, "length unchanged");
	buf_clear(&b);
	is_int(buf_printf(&b, "%s-%d", "ab", 42), ERR_OK, "printf");
	is_str(b.data, "ab-42", "printf contents");

	buf_init(&b, a, sizeof(big));
	memset(big, 'x', sizeof(big));
	for (size_t i = 0; i < sizeof(big); i += 100)
		if (buf_append(&b, big, 100) != ERR_OK)
			break;
	is_int(b.len, sizeof(big), "grows across many appends");
	ok(memcmp(b.data, big, sizeof(big)) == 0, "grown contents intact");
	is_int(b.data[b.len], '\0', "still NUL-terminated");
	is_int(buf_append(&b, "", 0), ERR_OK, "empty append at cap is fine");
	is_int(buf_append(&b, "y", 1), ERR_TOO_BIG, "cap holds after growth");

	/* Interleaved allocations force copies rather than in-place growth. */
	buf_init(&b, a, 1 << 20);
	for (int i = 0; i < 1000; i++) {
		(void)arena_alloc(a, 3);
		if (buf_puts(&b, "0123456789") != ERR_OK)
			break;
	}
	is_int(b.len, 10000, "growth with interleaved allocations");
	ok(strncmp(b.data + 9990, "0123456789", 10) == 0, "  contents intact");

	arena_reset(a);
	is_int(arena_used(a), 0, "arena reset releases everything");
	arena_free(a);
	return tap_done();
}
