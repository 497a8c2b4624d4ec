/*
 * Base64: the URL-safe alphabet without padding (RFC 4648 §5, as JOSE
 * and our cookies use it), decoded strictly, and the standard alphabet
 * with padding for HTTP Basic credentials (encode only).
 */
#ifndef B64_H
#define B64_H

#include <stddef.h>

#include "err.h"

struct arena;

/* Returns the length b64_url_encode writes for n input bytes (no NUL). */
size_t		b64_url_encoded_len(size_t n);

/* Encodes n bytes into out, which holds b64_url_encoded_len(n) + 1 bytes; NUL-terminates. */
void		b64_url_encode(const void *in, size_t n, char *out);

/* Returns an arena string holding the unpadded base64url encoding of n bytes. */
char		*b64_url_encode_arena(struct arena *, const void *in, size_t n);

/*
 * Decodes len characters of unpadded base64url into out (room for
 * len * 3 / 4 bytes) and sets *outlen.  Returns ERR_INPUT for padding,
 * a character outside the alphabet, an impossible length (len % 4 == 1)
 * or non-zero unused trailing bits: each value has one encoding.
 */
enum err	b64_url_decode(const char *in, size_t len, unsigned char *out,
		    size_t *outlen);

/* Like b64_url_decode, into an arena buffer (NUL-terminated for convenience). */
enum err	b64_url_decode_arena(struct arena *, const char *in, size_t len,
		    unsigned char **out, size_t *outlen);

/* Returns an arena string with the padded standard base64 of n bytes. */
char		*b64_std_encode_arena(struct arena *, const void *in, size_t n);

#endif /* B64_H */
