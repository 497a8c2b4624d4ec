# shellcheck shell=bash
# The identity matrix of the hostile-user tests, the same under every
# server (tests/integration/hostile_users_{lighttpd,apache,nginx}.sh):
# each case is an ID token or a userinfo answer with attacker-chosen
# claims, and what the protected content and /auth/user must then see.
# Sourced after tests/hostile/users.sh; users_matrix runs it all.
#
# The rules under test (issue 12): the identity is the configured claim
# (user_claim, default email; per provider too) and nothing else, never
# sub as a fallback; an e-mail counts only when email_verified is JSON
# true or "true" (absent counts too with assume_email_verified = true on
# the provider); a missing, non-string, empty, NUL-holding, control- or
# format-character-holding, blank-padded or over-256-byte identity is
# refused (403, no session, one log line "identity refused: ...");
# e-mail access rules follow the same rule; a string claim holding a NUL
# and claims whose names differ only in case never reach the session.

ALICE=alice@example.com
VICTIM=victim@example.com

# What the "identity refused" log line says, loosely: the words are the
# implementation's, a reason must be recognisable.
R_VERIFIED='verif'
R_MISSING='(missing|absent|not present|no email)'
R_NOT_STRING='(not a string|array|number|object|boolean)'
R_EMPTY='empty'
R_NUL='(NUL|nul)'
R_SPACE='(whitespace|space|blank|separator)'
# A tab or a newline at either end is both blank and a control character.
R_SPACE_OR_CONTROL='(whitespace|space|blank|control)'
R_CONTROL='(control|C1)'
R_FORMAT='(format|bidi|invisible|zero-width)'
R_LONG='(256|long)'

# idt JSON: a scenario whose ID token carries these claims over the
# defaults (sub alice, email alice@example.com, email_verified true).
idt() {
	printf '{"claims": %s}' "$1"
}

# --- email_verified ------------------------------------------------------------

matrix_verified() {
	local v
	accept_case "email_verified true" v "$(idt '{}')" "$ALICE"
	accept_case 'email_verified "true"' v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": \"true\"}")" "$VICTIM"
	# The log line says how to fix it: another user_claim, or (only
	# when email_verified is absent) assume_email_verified.
	refuse_case "victim's e-mail, email_verified false" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": false}")" \
	    "$R_VERIFIED" email 'user_claim'
	refuse_case "victim's e-mail, email_verified absent (Entra)" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" \
	    "$R_VERIFIED" email 'assume_email_verified'
	refuse_case "victim's e-mail, email_verified JSON null" v \
	    "{\"claims\": {\"email\": \"$VICTIM\"}, \"claims_null\": [\"email_verified\"]}" \
	    "$R_VERIFIED"
	# Numbers, other spellings, other types: only true and "true" count.
	for v in '"false"' 1 0 1.0 '"yes"' '"TRUE"' '"True"' '" true"' '[true]' \
	    '{"value": true}'; do
		refuse_case "victim's e-mail, email_verified $v" v \
		    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": $v}")" "$R_VERIFIED"
	done
}

# --- The shape of the identity claim --------------------------------------

matrix_identity() {
	local long256 long257 i
	# No fallback to sub, whatever sub holds.
	refuse_case "email empty, sub '  admin@example.com'" v \
	    "$(idt '{"sub": "  admin@example.com", "email": ""}')" "$R_EMPTY"
	refuse_case "email absent (sub alice)" v "$(idt '{"email": null}')" \
	    "$R_MISSING"
	refuse_case "email JSON null" v \
	    '{"claims_null": ["email"]}' "($R_MISSING|$R_NOT_STRING|null)"
	# Not a string.
	refuse_case "email an array" v \
	    "$(idt "{\"email\": [\"$VICTIM\"]}")" "$R_NOT_STRING"
	refuse_case "email an array of two" v \
	    "$(idt "{\"email\": [\"$ALICE\", \"$VICTIM\"]}")" "$R_NOT_STRING"
	refuse_case "email a number" v "$(idt '{"email": 42}')" "$R_NOT_STRING"
	refuse_case "email true" v "$(idt '{"email": true}')" "$R_NOT_STRING"
	refuse_case "email an object" v \
	    "$(idt "{\"email\": {\"value\": \"$VICTIM\"}}")" "$R_NOT_STRING"
	# NUL: C strings would stop at it.
	refuse_case "email 'victim@example.com<NUL>@attacker.test'" v \
	    "$(idt "{\"email\": \"$VICTIM\\u0000@attacker.test\"}")" "$R_NUL"
	refuse_case "email '<NUL>' alone" v "$(idt '{"email": "\u0000"}')" "$R_NUL"
	# Blank padding, ASCII and Unicode.
	while read -r what json; do
		refuse_case "email with ${what//_/ }" v "$(idt "{\"email\": $json}")" \
		    "$R_SPACE"
	done <<'EOF'
a_leading_space " alice@example.com"
a_trailing_space "alice@example.com "
two_leading_spaces "  victim@example.com"
a_trailing_NBSP_(U+00A0) "alice@example.com\u00a0"
a_leading_ideographic_space_(U+3000) "\u3000alice@example.com"
a_trailing_em_space_(U+2003) "alice@example.com\u2003"
a_trailing_line_separator_(U+2028) "alice@example.com\u2028"
EOF
	while read -r what json; do
		refuse_case "email with ${what//_/ }" v "$(idt "{\"email\": $json}")" \
		    "$R_SPACE_OR_CONTROL"
	done <<'EOF'
a_leading_tab "\talice@example.com"
a_trailing_newline "alice@example.com\n"
a_trailing_CR "alice@example.com\r"
EOF
	# Control characters inside.
	while read -r what json; do
		refuse_case "email with ${what//_/ }" v "$(idt "{\"email\": $json}")" \
		    "$R_CONTROL"
	done <<'EOF'
BEL_inside "ali\u0007ce@example.com"
CR_LF_inside "alice@example.com\r\nX-Auth-Request-User: admin"
DEL_inside "alice\u007f@example.com"
ESC_inside "alice\u001b[0m@example.com"
C1_NEL_(U+0085)_inside "alice\u0085@example.com"
C1_CSI_(U+009B)_inside "alice\u009b@example.com"
EOF
	# Unicode format and bidi characters: invisible, or reordering.
	while read -r what json; do
		refuse_case "email with ${what//_/ }" v "$(idt "{\"email\": $json}")" \
		    "$R_FORMAT"
	done <<'EOF'
a_zero-width_space_(U+200B) "alice\u200b@example.com"
a_right-to-left_override_(U+202E) "\u202emoc.elpmaxe@ecila"
a_left-to-right_isolate_(U+2066) "alice@example.com\u2066"
a_byte-order_mark_(U+FEFF) "\ufeffalice@example.com"
a_soft_hyphen_(U+00AD) "al\u00adice@example.com"
a_zero-width_joiner_(U+200D) "alice\u200d@example.com"
EOF
	# Length: 256 bytes pass, 257 do not.
	long256=$(str 244 a)@example.com
	long257=$(str 245 a)@example.com
	accept_case "email of 256 bytes" v "$(idt "{\"email\": \"$long256\"}")" \
	    "$long256"
	refuse_case "email of 257 bytes" v "$(idt "{\"email\": \"$long257\"}")" \
	    "$R_LONG"
	i=$(str 1000 b)@example.com
	refuse_case "email of 1012 bytes" v "$(idt "{\"email\": \"$i\"}")" \
	    "$R_LONG"
	# Look-alikes are other identities: passed on byte for byte, never
	# folded into the ASCII address.
	accept_case "email with a Cyrillic a in the domain (U+0430)" v \
	    "$(idt '{"email": "alice@ex\u0430mple.com"}')" \
	    $'alice@ex\xd0\xb0mple.com'
	accept_case "email with a non-ASCII local part" v \
	    "$(idt '{"email": "j\u00fcrgen@example.com"}')" \
	    $'j\xc3\xbcrgen@example.com'
}

# --- Claims that must not reach the session ---------------------------------

matrix_claims() {
	local name
	claims_case "groups and nickname, plain" v \
	    "$(idt '{"groups": ["staff", "users"], "nickname": "bob"}')" "$ALICE"
	has_claim "plain" groups '["staff","users"]' 'staff,users'
	has_claim "plain" nickname bob bob

	claims_case "groups and GROUPS both present" v \
	    "$(idt '{"groups": ["staff"], "GROUPS": ["admin"]}')" "$ALICE"
	no_claim "groups and GROUPS" groups GROUPS
	claims_case "Nickname and nickname both present" v \
	    "$(idt '{"nickname": "bob", "Nickname": "admin"}')" "$ALICE"
	no_claim "Nickname and nickname" nickname Nickname
	refuse_case "email and EMAIL both present" v \
	    "$(idt "{\"EMAIL\": \"$VICTIM\"}")" '.'

	claims_case "a NUL in name" v "$(idt '{"name": "Alice\u0000 Admin"}')" \
	    "$ALICE"
	no_claim "a NUL in name" name
	claims_case "a NUL in nickname" v "$(idt '{"nickname": "bob\u0000evil"}')" \
	    "$ALICE"
	no_claim "a NUL in nickname" nickname
	claims_case "a NUL in one element of groups" v \
	    "$(idt '{"groups": ["staff", "admin\u0000x"]}')" "$ALICE"
	no_claim "a NUL in one element of groups" groups
	claims_case "a NUL in an object member" v \
	    "$(idt '{"address": {"street_address": "1 Main St\u0000evil"}}')" \
	    "$ALICE"
	no_claim "a NUL in an object member" address

	name=$(str 1000 N)
	claims_case "a name of 1000 bytes" v "$(idt "{\"name\": \"$name\"}")" \
	    "$ALICE"
	has_claim "a name of 1000 bytes" name "$name" "$name"
}

# --- Userinfo merged over the ID token ------------------------------------

# ui ID_CLAIMS USERINFO_CLAIMS: a scenario for provider u.
ui() {
	printf '{"claims": %s, "userinfo": {"claims": %s}}' "$1" "$2"
}

matrix_userinfo() {
	accept_case "userinfo: the usual answer" u "$(ui '{}' '{}')" "$ALICE"
	accept_case "userinfo verifies the ID token's unverified e-mail" u \
	    "$(ui '{"email_verified": false}' '{"email_verified": true}')" "$ALICE"
	accept_case 'userinfo says "true", the ID token nothing' u \
	    "$(ui '{"email_verified": null}' '{"email_verified": "true"}')" "$ALICE"
	refuse_case "userinfo says email_verified false" u \
	    "$(ui '{}' '{"email_verified": false}')" "$R_VERIFIED"
	refuse_case 'userinfo says email_verified "false"' u \
	    "$(ui '{}' '{"email_verified": "false"}')" "$R_VERIFIED"
	refuse_case "userinfo: another e-mail, email_verified 1" u \
	    "$(ui '{}' "{\"email\": \"$VICTIM\", \"email_verified\": 1}")" "$R_VERIFIED"
	refuse_case "userinfo: e-mail empty" u "$(ui '{}' '{"email": ""}')" "$R_EMPTY"
	refuse_case "userinfo: e-mail with a NUL" u \
	    "$(ui '{}' "{\"email\": \"$VICTIM\\u0000@attacker.test\"}")" "$R_NUL"
	refuse_case "userinfo: e-mail an array" u \
	    "$(ui '{}' "{\"email\": [\"$VICTIM\"]}")" "$R_NOT_STRING"
	refuse_case "userinfo: e-mail with a trailing space" u \
	    "$(ui '{}' '{"email": "alice@example.com "}')" "$R_SPACE"
	claims_case "userinfo: GROUPS beside the ID token's groups" u \
	    "$(ui '{"groups": ["staff"]}' '{"GROUPS": ["admin"]}')" "$ALICE"
	no_claim "userinfo GROUPS" groups GROUPS
	scenario u '{"userinfo": {"sub": "mallory"}}'
	login u
	refused "userinfo of another sub" 502 'userinfo sub differs'
	_nothing_reaches "userinfo of another sub"
}

# --- E-mail access rules -------------------------------------------------------

matrix_domain_rule() {
	users_restart 'allowed_email_domains = ["example.com"]' \
	    'allowed_email_domains = ["example.com"]'
	accept_case "domain rule: alice@example.com, verified" v "$(idt '{}')" \
	    "$ALICE"
	# The identity check or the rule may say no first: either way, 403.
	rule_case "domain rule: victim's e-mail, email_verified absent" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" \
	    "($R_VERIFIED|access rule)"
	rule_case "domain rule: 'victim@example.com<NUL>@attacker.test'" v \
	    "$(idt "{\"email\": \"$VICTIM\\u0000@attacker.test\"}")" \
	    "($R_NUL|access rule|identity refused)"
	rule_case "domain rule: a Cyrillic a in the domain" v \
	    "$(idt '{"email": "alice@ex\u0430mple.com"}')" 'access rule'
	rule_case "domain rule: example.com.attacker.test" v \
	    "$(idt '{"email": "alice@example.com.attacker.test"}')" 'access rule'
	rule_case "domain rule: e-mail an array" v \
	    "$(idt "{\"email\": [\"$ALICE\"]}")" "($R_NOT_STRING|access rule)"
	rule_case "domain rule: userinfo moves the e-mail elsewhere" u \
	    "$(ui '{}' '{"email": "alice@attacker.test"}')" 'access rule'
}

# The e-mail rules with another identity claim: the e-mail they look at
# must be verified all the same.
matrix_rules_with_sub() {
	local v
	users_restart 'user_claim = "sub", allowed_email_domains' \
	    'user_claim = "sub"
allowed_email_domains = ["example.com"]'
	accept_case "sub + domain rule: verified e-mail" v "$(idt '{}')" alice
	accept_case 'sub + domain rule: email_verified "true"' v \
	    "$(idt '{"email_verified": "true"}')" alice
	rule_case "sub + domain rule: email_verified absent" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" \
	    'access rule'
	for v in false '"false"' 1 '"yes"'; do
		rule_case "sub + domain rule: email_verified $v" v \
		    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": $v}")" \
		    'access rule'
	done
	rule_case "sub + domain rule: email_verified JSON null" v \
	    "{\"claims\": {\"email\": \"$VICTIM\"}, \"claims_null\": [\"email_verified\"]}" \
	    'access rule'

	users_restart 'user_claim = "sub", allowed_emails' \
	    "user_claim = \"sub\"
allowed_emails = [\"$VICTIM\"]"
	accept_case "sub + allowed_emails: the address, verified" v \
	    "$(idt "{\"email\": \"$VICTIM\"}")" alice
	rule_case "sub + allowed_emails: the address, email_verified absent" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" \
	    'access rule'
	rule_case "sub + allowed_emails: the address + NUL + more" v \
	    "$(idt "{\"email\": \"$VICTIM\\u0000x\"}")" '.'
}

# user_claim = "sub": the blank-padded sub is refused too.
matrix_sub() {
	users_restart 'user_claim = "sub"' 'user_claim = "sub"'
	accept_case "user_claim sub: sub alice, e-mail not verified" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": false}")" alice
	refuse_case "user_claim sub: sub '  admin@example.com', email ''" v \
	    "$(idt '{"sub": "  admin@example.com", "email": ""}')" \
	    "$R_SPACE" sub
	refuse_case "user_claim sub: sub 'admin '" v "$(idt '{"sub": "admin "}')" \
	    "$R_SPACE" sub
	refuse_case "user_claim sub: sub with a zero-width space" v \
	    "$(idt '{"sub": "admin\u200b"}')" "$R_FORMAT" sub
	refuse_case "user_claim sub: sub with a C1 control" v \
	    "$(idt '{"sub": "adm\u0085in"}')" "$R_CONTROL" sub
}

# required_claims on groups: what the rule needs cannot be smuggled in.
matrix_groups_rule() {
	users_restart 'required_claims groups = "staff"' \
	    'required_claims = { groups = "staff" }'
	accept_case "groups rule: groups [staff]" v \
	    "$(idt '{"groups": ["staff"]}')" "$ALICE"
	accept_case "groups rule: groups \"staff\"" v \
	    "$(idt '{"groups": "staff"}')" "$ALICE"
	rule_case "groups rule: groups and GROUPS both [staff]" v \
	    "$(idt '{"groups": ["staff"], "GROUPS": ["staff"]}')" \
	    'groups.*GROUPS|GROUPS.*groups'
	rule_case "groups rule: GROUPS [staff] beside groups [users]" v \
	    "$(idt '{"groups": ["users"], "GROUPS": ["staff"]}')" '.'
	rule_case "groups rule: GROUPS [staff] alone" v \
	    "$(idt '{"GROUPS": ["staff"]}')" 'access rule'
	rule_case "groups rule: [\"staff<NUL>\"]" v \
	    "$(idt '{"groups": ["staff\u0000"]}')" '.'
	rule_case "groups rule: [\"users\", \"staff<NUL>x\"]" v \
	    "$(idt '{"groups": ["users", "staff\u0000x"]}')" '.'
	rule_case "groups rule: \"staff<NUL>admin\"" v \
	    "$(idt '{"groups": "staff\u0000admin"}')" '.'
	rule_case "groups rule: [\" staff\"]" v \
	    "$(idt '{"groups": [" staff"]}')" 'access rule'
	rule_case "groups rule: a Cyrillic s (U+0455)" v \
	    "$(idt '{"groups": ["\u0455taff"]}')" 'access rule'
}

# Per provider: user_claim and assume_email_verified (new keys).
matrix_per_provider() {
	local v
	add_provider ae ae client_secret_basic \
	    'userinfo = false;assume_email_verified = true'
	add_provider ps ps client_secret_basic 'userinfo = false;user_claim = "sub"'
	users_restart 'per-provider user_claim and assume_email_verified'
	accept_case "assume_email_verified: email_verified absent" ae \
	    "$(idt '{"email_verified": null}')" "$ALICE"
	accept_case "assume_email_verified: email_verified true" ae \
	    "$(idt '{}')" "$ALICE"
	for v in false '"false"' 1 '"yes"'; do
		refuse_case "assume_email_verified: email_verified $v" ae \
		    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": $v}")" "$R_VERIFIED"
	done
	refuse_case "assume_email_verified: email_verified JSON null" ae \
	    "{\"claims\": {\"email\": \"$VICTIM\"}, \"claims_null\": [\"email_verified\"]}" \
	    "$R_VERIFIED"
	refuse_case "assume_email_verified: still no blank padding" ae \
	    "$(idt '{"email": "alice@example.com ", "email_verified": null}')" \
	    "$R_SPACE"
	refuse_case "another provider: email_verified absent still refused" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" "$R_VERIFIED"
	accept_case "provider user_claim sub: e-mail not verified" ps \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": false}")" alice
	refuse_case "provider user_claim sub: sub '  admin@example.com'" ps \
	    "$(idt '{"sub": "  admin@example.com", "email": ""}')" \
	    "$R_SPACE" sub

	users_restart 'per provider, with allowed_email_domains' \
	    'allowed_email_domains = ["example.com"]'
	accept_case "assume_email_verified + domain rule: absent" ae \
	    "$(idt '{"email_verified": null}')" "$ALICE"
	rule_case "user_claim sub + domain rule: email_verified absent" ps \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" \
	    'access rule'
	refuse_case "another provider + domain rule: absent" v \
	    "$(idt "{\"email\": \"$VICTIM\", \"email_verified\": null}")" "$R_VERIFIED"
}

# users_matrix: every case, in an order that restarts the server least.
users_matrix() {
	matrix_verified
	matrix_identity
	matrix_claims
	matrix_userinfo
	matrix_domain_rule
	matrix_rules_with_sub
	matrix_sub
	matrix_groups_rule
	matrix_per_provider
}
