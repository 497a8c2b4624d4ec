#include "config.h"

#include <limits.h>
#include <string.h>

#include "num.h"
#include "tap.h"

static const struct {
	const char	*in;
	long long	 min, max;
	enum err	 want;
	long long	 value;
} cases[] = {
	{ "0", 0, 10, ERR_OK, 0 },
	{ "10", 0, 10, ERR_OK, 10 },
	{ "11", 0, 10, ERR_INPUT, 0 },
	{ "007", 0, 10, ERR_OK, 7 },
	{ "-1", 0, 10, ERR_INPUT, 0 },
	{ "-1", -5, 10, ERR_OK, -1 },
	{ "-6", -5, 10, ERR_INPUT, 0 },
	{ "", 0, 10, ERR_INPUT, 0 },
	{ "-", -5, 10, ERR_INPUT, 0 },
	{ "+1", 0, 10, ERR_INPUT, 0 },
	{ " 1", 0, 10, ERR_INPUT, 0 },
	{ "1 ", 0, 10, ERR_INPUT, 0 },
	{ "1e3", 0, 10000, ERR_INPUT, 0 },
	{ "0x10", 0, 100, ERR_INPUT, 0 },
	{ "9223372036854775807", 0, LLONG_MAX, ERR_OK, LLONG_MAX },
	{ "9223372036854775808", 0, LLONG_MAX, ERR_INPUT, 0 },
	{ "-9223372036854775808", LLONG_MIN, 0, ERR_OK, LLONG_MIN },
	{ "-9223372036854775809", LLONG_MIN, 0, ERR_INPUT, 0 },
	{ "99999999999999999999999", 0, LLONG_MAX, ERR_INPUT, 0 },
	{ "99999999", 0, 4, ERR_INPUT, 0 },
	{ "1.5", 0, 10, ERR_INPUT, 0 },
};

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long v = -42;
		enum err e = num_parse_str(cases[i].in, cases[i].min,
		    cases[i].max, &v);
		is_int(e, cases[i].want, "num_parse(\"%s\", %lld, %lld)",
		    cases[i].in, cases[i].min, cases[i].max);
		if (cases[i].want == ERR_OK)
			is_int(v, cases[i].value, "  value");
		else
			is_int(v, -42, "  output untouched on error");
	}
	long long v;
	is_int(num_parse("12345", 3, 0, 1000, &v), ERR_OK, "length-bounded");
	is_int(v, 123, "  reads only len bytes");
	is_int(num_parse_str(NULL, 0, 1, &v), ERR_INPUT, "NULL refused");
	is_int(num_parse("1", 1, 5, 1, &v), ERR_INPUT, "min > max refused");

	static const struct {
		unsigned long long	 v;
		const char		*want;
	} formats[] = {
		{ 0, "0" }, { 7, "7" }, { 10, "10" }, { 200, "200" },
		{ 1062, "1062" }, { 4294967296ULL, "4294967296" },
		{ ULLONG_MAX, "18446744073709551615" },
	};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char out[NUM_FORMAT_SIZE + 1];

		out[NUM_FORMAT_SIZE] = 'X';
		is_int(num_format(out, formats[i].v), strlen(formats[i].want),
		    "num_format(%llu): length", formats[i].v);
		is_str(out, formats[i].want, "  digits");
		is_int(out[NUM_FORMAT_SIZE], 'X', "  nothing past the bound");
	}

	/* Every byte: the 22 hexadecimal digits and nothing else. */
	int digits = 0, right = 1;
	for (int c = 0; c < 256; c++) {
		unsigned d = 99;
		const char *at = c != 0 ? strchr("0123456789abcdef", c) : NULL;
		const char *up = c != 0 ? strchr("0123456789ABCDEF", c) : NULL;
		int want = at != NULL || up != NULL;

		if (num_hex_digit(c, &d) != want) {
			right = 0;
			diag("num_hex_digit(%d) is %d", c, !want);
		} else if (want) {
			digits++;
			if (d != (unsigned)(at ? at - "0123456789abcdef" :
			    up - "0123456789ABCDEF")) {
				right = 0;
				diag("num_hex_digit(%d) gives %u", c, d);
			}
		} else if (d != 99) {
			right = 0;
			diag("num_hex_digit(%d) wrote %u", c, d);
		}
	}
	ok(right && digits == 22, "num_hex_digit: 22 digits, right values");
	ok(num_hex_digit('f', NULL) && !num_hex_digit('g', NULL) &&
	    !num_hex_digit(-1, NULL), "num_hex_digit without a value");
	return tap_done();
}
