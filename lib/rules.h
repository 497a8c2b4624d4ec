/*
 * Access rules: who may pass once authenticated (allowed e-mail
 * domains, allowed e-mail addresses, required claim values), checked at
 * login and again on every authorizer and /check request, so a change
 * of rules applies to sessions already issued.
 */
#ifndef RULES_H
#define RULES_H

#include <json-c/json.h>

#include "err.h"

struct cfg_rules;

/*
 * Returns ERR_OK when claims satisfy every rule of global and of
 * provider (either may be NULL), else ERR_FORBIDDEN with err_reason()
 * naming the rule.  E-mail rules need an "email" the provider says it
 * verified, as identity_email_verified() decides (an absent
 * email_verified counts only with assume_email_verified); a domain
 * matches the whole part after the last '@', case-insensitively, never
 * a suffix.
 */
enum err	rules_check(const struct cfg_rules *global,
		    const struct cfg_rules *provider, int assume_email_verified,
		    json_object *claims);

#endif /* RULES_H */
