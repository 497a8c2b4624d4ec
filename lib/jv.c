#include "config.h"

#include <math.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "jv.h"
#include "log.h"

static void
put_object(void *p)
{
	json_object_put(p);
}

enum err
jv_parse_object_owned(const char *text, size_t len, json_object **out)
{
	json_tokener		*tok;
	json_object		*obj = NULL;
	enum json_tokener_error	 jerr;
	size_t			 end;

	if (len == 0 || len > INT32_MAX || memchr(text, '\0', len) != NULL)
		return ERR_INPUT;
	tok = json_tokener_new_ex(BOUND_JSON_DEPTH);
	if (tok == NULL)
		return ERR_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (obj == NULL || jerr != json_tokener_success)
		goto bad;
	for (; end < len; end++) {
		char c = text[end];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			goto bad;
	}
	if (!json_object_is_type(obj, json_type_object))
		goto bad;
	*out = obj;
	return ERR_OK;
bad:
	json_object_put(obj);
	return ERR_INPUT;
}

enum err
jv_parse_object(struct arena *a, const char *text, size_t len,
    json_object **out)
{
	enum err	e;

	if ((e = jv_parse_object_owned(text, len, out)) != ERR_OK)
		return e;
	arena_defer(a, put_object, *out);
	return ERR_OK;
}

enum err
jv_str(json_object *obj, const char *key, const char **out)
{
	json_object	*v;
	const char	*s;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL)
		return ERR_NOT_FOUND;
	if (!json_object_is_type(v, json_type_string))
		return ERR_INPUT;
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v))
		return ERR_INPUT;
	*out = s;
	return ERR_OK;
}

enum err
jv_int(json_object *obj, const char *key, int64_t min, int64_t max,
    int64_t *out)
{
	json_object	*v;
	int64_t		 n;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL)
		return ERR_NOT_FOUND;
	if (json_object_is_type(v, json_type_int)) {
		/*
		 * json-c saturates out-of-range integers to INT64_MIN/MAX (and
		 * keeps large positives as uint64): both are out of any range
		 * a caller asks for, so the bounds below reject them.
		 */
		if (json_object_get_int64(v) == INT64_MAX &&
		    json_object_get_uint64(v) > INT64_MAX)
			return ERR_INPUT;
		n = json_object_get_int64(v);
	} else if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);
		if (!isfinite(d) || d != floor(d) || d < (double)min ||
		    d > (double)max)
			return ERR_INPUT;
		n = (int64_t)d;
	} else
		return ERR_INPUT;
	if (n < min || n > max)
		return ERR_INPUT;
	*out = n;
	return ERR_OK;
}

enum err
jv_bool(json_object *obj, const char *key, int *out)
{
	json_object	*v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL)
		return ERR_NOT_FOUND;
	if (!json_object_is_type(v, json_type_boolean))
		return ERR_INPUT;
	*out = json_object_get_boolean(v);
	return ERR_OK;
}

int
jv_has_string(json_object *obj, const char *key, const char *s)
{
	json_object	*v, *item;
	size_t		 i, n;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strcmp(json_object_get_string(v), s) == 0;
	if (!json_object_is_type(v, json_type_array))
		return 0;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(v, i);
		if (json_object_is_type(item, json_type_string) &&
		    strcmp(json_object_get_string(item), s) == 0)
			return 1;
	}
	return 0;
}

json_object *
jv_new_object(struct arena *a)
{
	json_object	*o;

	if ((o = json_object_new_object()) == NULL)
		log_fatalx("out of memory (json)");
	arena_defer(a, put_object, o);
	return o;
}

const char *
jv_text(json_object *obj)
{
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}
