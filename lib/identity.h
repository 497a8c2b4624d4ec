/*
 * Who a signed-in user is, and which claims may be handed to the site.
 *
 * The identity (REMOTE_USER, X-Auth-Request-User) is the configured
 * claim and nothing else: no fallback to another claim, whose namespace
 * another user may control.  An e-mail address counts only when the
 * provider says it verified it.  A value that a web server or a log
 * would show as something else (blank-padded, cut at a NUL, with
 * invisible characters) is refused rather than repaired.
 */
#ifndef IDENTITY_H
#define IDENTITY_H

#include <json-c/json.h>

#include "err.h"

struct arena;

/*
 * Returns 1 when the provider vouches for the "email" claim:
 * "email_verified" is true or the string "true"; when it is absent, only
 * if assume_absent (a provider known to verify every address).  Any
 * other value -- false, "false", 1, null -- is 0, as is an email that
 * is not a string or holds a NUL.
 */
int		identity_email_verified(json_object *claims,
		    int assume_absent);

/*
 * Sets *user to the identity: the string claim named claim (owned by
 * claims).  Returns ERR_FORBIDDEN, with err_reason() naming the claim,
 * what is wrong and what to configure, when it is missing, not a
 * string, empty, over BOUND_IDENTITY bytes, not UTF-8, holds a NUL, a
 * control or an invisible formatting character, begins or ends with a
 * blank, or -- for "email" -- is not verified (identity_email_verified).
 */
enum err	identity_user(json_object *claims, const char *claim,
		    int assume_email_verified, const char **user);

/*
 * Removes from claims, in place, what cannot be handed on safely: every
 * claim with a string that holds a NUL (anywhere inside it), and both
 * claims of any two names that differ only in case (servers merge them
 * into one variable).  Sets *dropped to a list of their names for the
 * log (arena; "" when none).
 */
void		identity_clean(struct arena *, json_object *claims,
		    const char **dropped);

/*
 * Returns 1 when s (len bytes) may be handed to the server as a claim's
 * value: no NUL and no control character.
 */
int		identity_value_ok(const char *s, size_t len);

#endif /* IDENTITY_H */
