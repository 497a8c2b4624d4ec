#include "config.h"

#include <limits.h>
#include <string.h>

#include "num.h"

enum err
num_parse(const char *s, size_t len, long long min, long long max,
    long long *out)
{
	unsigned long long	limit, v = 0;
	int			negative = 0;
	size_t			i = 0;

	if (s == NULL || len == 0 || min > max)
		return ERR_INPUT;
	if (s[0] == '-') {
		if (min >= 0)
			return ERR_INPUT;
		negative = 1;
		i = 1;
	}
	if (i == len)
		return ERR_INPUT;
	/* The magnitude may reach LLONG_MAX, or one more when negative. */
	limit = negative ? (unsigned long long)LLONG_MAX + 1 :
	    (unsigned long long)LLONG_MAX;
	for (; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return ERR_INPUT;
		d = (unsigned)(s[i] - '0');
		if (v > (limit - d) / 10)
			return ERR_INPUT;
		v = v * 10 + d;
	}
	long long value;
	if (negative)
		value = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		value = (long long)v;
	if (value < min || value > max)
		return ERR_INPUT;
	*out = value;
	return ERR_OK;
}

enum err
num_parse_str(const char *s, long long min, long long max, long long *out)
{
	if (s == NULL)
		return ERR_INPUT;
	return num_parse(s, strlen(s), min, max, out);
}

size_t
num_format(char *out, unsigned long long v)
{
	char	digits[NUM_FORMAT_SIZE];
	size_t	n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (size_t i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	out[n] = '\0';
	return n;
}

int
num_hex_digit(int c, unsigned *value)
{
	unsigned	v;

	if (c >= '0' && c <= '9')
		v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned)(c - 'a') + 10;
	else if (c >= 'A' && c <= 'F')
		v = (unsigned)(c - 'A') + 10;
	else
		return 0;
	if (value != NULL)
		*value = v;
	return 1;
}
