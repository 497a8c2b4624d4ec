#include "config.h"

#include <string.h>
#include <strings.h>

#include "arena.h"
#include "bounds.h"
#include "identity.h"

/* What makes a string claim unfit to be an identity. */
enum flaw {
	FLAW_NONE = 0,
	FLAW_EMPTY,
	FLAW_LONG,
	FLAW_NUL,
	FLAW_UTF8,
	FLAW_CONTROL,
	FLAW_INVISIBLE,
	FLAW_BLANK_ENDS,
	FLAW__MAX
};

static const char *const flaw_words[FLAW__MAX] = {
	[FLAW_NONE] = "",
	[FLAW_EMPTY] = "is empty",
	[FLAW_LONG] = "is longer than " "256" " bytes",
	[FLAW_NUL] = "holds a NUL character",
	[FLAW_UTF8] = "is not valid UTF-8",
	[FLAW_CONTROL] = "holds a control character",
	[FLAW_INVISIBLE] = "holds an invisible formatting character",
	[FLAW_BLANK_ENDS] = "begins or ends with a blank",
};

_Static_assert(BOUND_IDENTITY == 256, "flaw_words says 256");

/*
 * Decodes the UTF-8 sequence at s (avail bytes) into *cp; returns its
 * length, or 0 when it is not well-formed (overlong, surrogate, past
 * U+10FFFF, cut short).
 */
static size_t
utf8_decode(const unsigned char *s, size_t avail, unsigned long *cp)
{
	size_t	n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
	} else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && *cp < 0x800) || (n == 4 && *cp < 0x10000) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff) || *cp > 0x10ffff)
		return 0;
	return n;
}

static int
is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Unicode's spaces (White_Space, without the controls). */
static int
is_blank(unsigned long cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/*
 * Characters that show as nothing, or turn the text around it: a name
 * holding one reads as another name (Unicode's Default_Ignorable and
 * bidirectional controls that matter here).
 */
static int
is_invisible(unsigned long cp)
{
	return cp == 0xad || cp == 0x34f || cp == 0x61c || cp == 0x115f ||
	    cp == 0x1160 || cp == 0x17b4 || cp == 0x17b5 || cp == 0x180e ||
	    (cp >= 0x180b && cp <= 0x180f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff ||
	    cp == 0xffa0 || (cp >= 0xfff0 && cp <= 0xfffb) ||
	    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
	    (cp >= 0x1d173 && cp <= 0x1d17a) ||
	    (cp >= 0xe0000 && cp <= 0xe0fff);
}

/* The first flaw of s (len bytes) as an identity. */
static enum flaw
flaw_of(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp = 0;
	size_t			 i = 0, n;
	int			 first_blank = 0;

	if (len == 0)
		return FLAW_EMPTY;
	if (len > BOUND_IDENTITY)
		return FLAW_LONG;
	if (memchr(s, '\0', len) != NULL)
		return FLAW_NUL;
	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return FLAW_UTF8;
		if (is_control(cp) || cp == '\t')
			return FLAW_CONTROL;
		if (is_invisible(cp))
			return FLAW_INVISIBLE;
		if (i == 0)
			first_blank = is_blank(cp);
		i += n;
	}
	/* cp is now the last character. */
	if (first_blank || is_blank(cp))
		return FLAW_BLANK_ENDS;
	return FLAW_NONE;
}

int
identity_value_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* Returns the string claim name, whole (*len), or NULL. */
static const char *
string_claim(json_object *claims, const char *name, size_t *len)
{
	json_object	*v;

	if (claims == NULL || !json_object_object_get_ex(claims, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

int
identity_email_verified(json_object *claims, int assume_absent)
{
	json_object	*v;
	const char	*email;
	size_t		 len;

	if ((email = string_claim(claims, "email", &len)) == NULL ||
	    memchr(email, '\0', len) != NULL)
		return 0;
	if (!json_object_object_get_ex(claims, "email_verified", &v))
		return assume_absent;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	return json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "true") == 0 &&
	    json_object_get_string_len(v) == 4;
}

/* Why an email is not taken, and what would make it count. */
static enum err
unverified(json_object *claims, const char *claim)
{
	json_object	*v;

	if (!json_object_object_get_ex(claims, "email_verified", &v))
		err_reason("identity refused: claim %s is not known to be "
		    "verified (the provider sends no email_verified). Set "
		    "user_claim = \"sub\" (or \"oid\", \"preferred_username\") "
		    "for this provider, or assume_email_verified = true if it "
		    "verifies every address", claim);
	else
		err_reason("identity refused: claim %s is not verified by the "
		    "provider (email_verified is %s). Set user_claim = \"sub\" "
		    "for this provider to identify its users otherwise", claim,
		    json_object_is_type(v, json_type_boolean) ? "false" :
		    "not true");
	return ERR_FORBIDDEN;
}

enum err
identity_user(json_object *claims, const char *claim,
    int assume_email_verified, const char **user)
{
	json_object	*v;
	const char	*s;
	size_t		 len;
	enum flaw	 f;

	*user = NULL;
	if (claims == NULL || !json_object_object_get_ex(claims, claim, &v) ||
	    v == NULL) {
		err_reason("identity refused: claim %.64s is missing. Set "
		    "user_claim to a claim this provider sends (such as "
		    "\"sub\")", claim);
		return ERR_FORBIDDEN;
	}
	if ((s = string_claim(claims, claim, &len)) == NULL) {
		err_reason("identity refused: claim %.64s is a %s, not a "
		    "string", claim, json_type_to_name(json_object_get_type(v)));
		return ERR_FORBIDDEN;
	}
	if ((f = flaw_of(s, len)) != FLAW_NONE) {
		err_reason("identity refused: claim %.64s %s", claim,
		    flaw_words[f]);
		return ERR_FORBIDDEN;
	}
	if (strcmp(claim, "email") == 0 &&
	    !identity_email_verified(claims, assume_email_verified))
		return unverified(claims, claim);
	*user = s;
	return ERR_OK;
}

/* Returns 1 when v, or a string anywhere inside it, holds a NUL. */
static int
holds_nul(json_object *v, int depth)
{
	if (depth > BOUND_JSON_DEPTH)
		return 1;
	switch (json_object_get_type(v)) {
	case json_type_string:
		return memchr(json_object_get_string(v), '\0',
		    (size_t)json_object_get_string_len(v)) != NULL;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (holds_nul(json_object_array_get_idx(v, i),
			    depth + 1))
				return 1;
		return 0;
	case json_type_object: {
		json_object_object_foreach(v, key, member) {
			if (holds_nul(member, depth + 1))
				return 1;
			(void)key;
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* Returns 1 when another claim's name differs from name only in case. */
static int
has_case_twin(json_object *claims, const char *name)
{
	json_object_object_foreach(claims, other, v) {
		(void)v;
		if (strcmp(other, name) != 0 && strcasecmp(other, name) == 0)
			return 1;
	}
	return 0;
}

void
identity_clean(struct arena *a, json_object *claims, const char **dropped)
{
	const char	**doomed;
	char		 *list = arena_strdup(a, "");
	size_t		  n = 0;

	*dropped = list;
	if (claims == NULL || !json_object_is_type(claims, json_type_object))
		return;
	/* Names first, deletions after: the walk must not see them. */
	doomed = arena_alloc(a, sizeof(*doomed) *
	    ((size_t)json_object_object_length(claims) + 1));
	json_object_object_foreach(claims, name, v) {
		if (holds_nul(v, 0) || has_case_twin(claims, name))
			doomed[n++] = arena_strdup(a, name);
	}
	for (size_t i = 0; i < n; i++) {
		json_object_object_del(claims, doomed[i]);
		list = arena_printf(a, "%s%s%.64s", list, i ? ", " : "",
		    doomed[i]);
	}
	*dropped = list;
}
