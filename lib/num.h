/*
 * The one number parser: every integer that comes from text goes
 * through here, bounded and overflow-checked (no atoi, no strtol).
 */
#ifndef NUM_H
#define NUM_H

#include <stddef.h>

#include "err.h"

/*
 * Parses len bytes of decimal digits (a leading '-' only when min < 0)
 * into *out; returns ERR_INPUT for anything else, empty input, or a
 * value outside [min, max].  *out is untouched on error.
 */
enum err	num_parse(const char *s, size_t len, long long min,
		    long long max, long long *out);

/* Same as num_parse for a NUL-terminated string. */
enum err	num_parse_str(const char *s, long long min, long long max,
		    long long *out);

/*
 * Returns 1 when c is a hexadecimal digit (either case) and sets *value
 * (when not NULL) to what it is worth, 0 to 15; returns 0 otherwise.
 */
int		num_hex_digit(int c, unsigned *value);

/* Bytes num_format may write: 20 digits of 2^64 - 1 and a NUL. */
#define NUM_FORMAT_SIZE	21

/*
 * Writes v in decimal and a NUL into out (the caller's, at least
 * NUM_FORMAT_SIZE bytes) and returns the number of digits: the formatter
 * of the per-request paths, where snprintf's parsing of a format costs
 * more than the work.
 */
size_t		num_format(char *out, unsigned long long v);

#endif /* NUM_H */
