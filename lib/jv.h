/*
 * Typed access to json-c values: bounded parsing of untrusted JSON and
 * getters that say exactly whether a member is absent, of the wrong type
 * or present, so callers can fail closed.
 */
#ifndef JV_H
#define JV_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "err.h"

struct arena;

/*
 * Parses len bytes as one JSON object (not an array or a scalar), with
 * BOUND_JSON_DEPTH nesting, nothing but whitespace after it, and no NUL
 * inside.  On success *out is owned by the arena (released at reset).
 * Returns ERR_INPUT when the text is not such an object.
 */
enum err	jv_parse_object(struct arena *, const char *text, size_t len,
		    json_object **out);

/*
 * Same, but *out is owned by the caller (json_object_put); for documents
 * that outlive a request, such as discovery and JWKS.
 */
enum err	jv_parse_object_owned(const char *text, size_t len,
		    json_object **out);

/*
 * Sets *out to the string member key of obj (owned by obj).  Returns
 * ERR_NOT_FOUND when absent or null, ERR_INPUT when not a string or
 * when it holds a NUL byte.
 */
enum err	jv_str(json_object *obj, const char *key, const char **out);

/*
 * Sets *out to the integer member key of obj, which must be a JSON
 * integer (or a float with an integral value) within [min, max].
 * ERR_NOT_FOUND when absent, ERR_INPUT otherwise; never overflows.
 */
enum err	jv_int(json_object *obj, const char *key, int64_t min,
		    int64_t max, int64_t *out);

/* Sets *out to the boolean member key: ERR_NOT_FOUND, ERR_INPUT as above. */
enum err	jv_bool(json_object *obj, const char *key, int *out);

/*
 * Returns a new, empty JSON object owned by the arena (put at its next
 * reset or free).  Like arena allocation, it does not fail: out of
 * memory, the process logs and exits.
 */
json_object	*jv_new_object(struct arena *);

/*
 * Returns obj as compact JSON text, "/" not escaped; the text is owned
 * by obj and lives as long as it does unchanged.
 */
const char	*jv_text(json_object *obj);

/* Returns 1 when the array member key (or a string member) holds the string s. */
int		jv_has_string(json_object *obj, const char *key, const char *s);

#endif /* JV_H */
