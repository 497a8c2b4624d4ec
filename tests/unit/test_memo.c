#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bounds.h"
#include "memo.h"
#include "req.h"
#include "tap.h"

int
main(void)
{
	struct memo		*m;
	struct memo_answer	 a;
	char			 name[32] = "Variable-REMOTE_USER";
	char			 value[32] = "alice@example.com";
	struct resp_header	 h[2] = { { name, value },
				    { "Variable-OIDC_PROVIDER", "alpha" } };
	const char		*key = "AAAA.bbbb";

	if (memo_new(&m) != ERR_OK) {
		tap_skip_all("out of memory");
		return 0;
	}
	ok(!memo_get(m, MEMO_AUTHORIZER, key, strlen(key), 100, &a),
	    "empty memo: no answer");
	memo_put(m, MEMO_AUTHORIZER, key, strlen(key), 200, h, 2);
	/* The memo keeps copies: the caller's memory may go. */
	memcpy(name, "garbage", 8);
	memcpy(value, "garbage", 8);
	ok(memo_get(m, MEMO_AUTHORIZER, key, strlen(key), 100, &a),
	    "remembered answer found");
	is_str(a.lines, "Variable-REMOTE_USER: alice@example.com\r\n"
	    "Variable-OIDC_PROVIDER: alpha\r\n", "  both headers, as lines");
	is_int(a.len, strlen(a.lines), "  their length");
	ok(!memo_get(m, MEMO_CHECK, key, strlen(key), 100, &a),
	    "another kind: no answer");
	ok(!memo_get(m, MEMO_AUTHORIZER, "AAAA.bbbc", 9, 100, &a),
	    "one byte differs: no answer");
	ok(!memo_get(m, MEMO_AUTHORIZER, "AAAA.bbb", 8, 100, &a),
	    "a prefix: no answer");
	ok(!memo_get(m, MEMO_AUTHORIZER, "AAAA.bbbbb", 10, 100, &a),
	    "longer: no answer");
	ok(memo_get(m, MEMO_AUTHORIZER, key, strlen(key), 199, &a),
	    "a second before expiry: answer");
	ok(!memo_get(m, MEMO_AUTHORIZER, key, strlen(key), 200, &a),
	    "at expiry: no answer");

	/* The oldest entry goes when the memo is full. */
	for (int i = 0; i < BOUND_MEMO_ENTRIES; i++) {
		char k[16];
		snprintf(k, sizeof(k), "key%d", i);
		memo_put(m, MEMO_CHECK, k, strlen(k), 1000, h + 1, 1);
	}
	ok(!memo_get(m, MEMO_AUTHORIZER, key, strlen(key), 100, &a),
	    "the oldest entry was replaced");
	ok(memo_get(m, MEMO_CHECK, "key0", 4, 100, &a) &&
	    memo_get(m, MEMO_CHECK, "key31", 5, 100, &a),
	    "the newest entries remain");
	memo_put(m, MEMO_CHECK, "none", 4, 1000, NULL, 0);
	ok(memo_get(m, MEMO_CHECK, "none", 4, 100, &a) && a.len == 0,
	    "an answer without headers");
	{
		struct resp_header bad = { "X-A", "v\r\nX-Injected: 1" };
		memo_put(m, MEMO_CHECK, "bad", 3, 1000, &bad, 1);
		ok(!memo_get(m, MEMO_CHECK, "bad", 3, 100, &a),
		    "a header with a line break is not remembered");
	}
	{
		/* A long value: the body compared fast, the tail in constant time. */
		char longkey[600];
		memset(longkey, 'k', sizeof(longkey));
		memo_put(m, MEMO_CHECK, longkey, sizeof(longkey), 1000, h, 1);
		ok(memo_get(m, MEMO_CHECK, longkey, sizeof(longkey), 100, &a),
		    "a long value is found");
		longkey[10] = 'x';
		ok(!memo_get(m, MEMO_CHECK, longkey, sizeof(longkey), 100, &a),
		    "  not when its body differs");
		longkey[10] = 'k';
		longkey[590] = 'x';
		ok(!memo_get(m, MEMO_CHECK, longkey, sizeof(longkey), 100, &a),
		    "  nor when its tail differs");
	}
	memo_free(m);
	memo_free(NULL);
	ok(1, "memo_free accepts NULL");
	return tap_done();
}
