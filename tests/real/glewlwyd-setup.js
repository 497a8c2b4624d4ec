#!/usr/bin/env node
/*
 * Configures a freshly started Glewlwyd (Debian's 2.7) through its admin
 * API, as its administration page would: signs in as the packaged
 * database's admin (admin/password), adds the user property
 * email_verified to the database user backend, the users, an OpenID
 * Connect plugin instance "oidc" and the clients.
 *
 * Usage:
 *   node tests/real/glewlwyd-setup.js --url EXTERNAL_URL --issuer ISS
 *       --redirect URI --post-logout URI --client SPEC... --user LOGIN...
 *
 *   SPEC  id:secret:kid:auth_methods[;property=value...]
 *         kid: the signing key (sign_kid) of the client's tokens, one of
 *         RS256, RS512, PS256, ES256, ES384, EdDSA; auth_methods: a comma
 *         list for token_endpoint_auth_method (client_secret_basic,
 *         client_secret_post, none).  An empty secret: a public client.
 *   LOGIN a user whose password is LOGIN-password, e-mail
 *         LOGIN@example.com (verified), name "<Login> Tester".
 *
 * The plugin: issuer ISS, private keys generated here (one per kid above,
 * published at /api/oidc/jwks), code flow only, PKCE allowed (required
 * with --pkce-required), name and email claims always in the ID token,
 * email_verified (boolean) from the user property, session management
 * (end_session_endpoint) on.  Prints nothing; exits 1 with a message on
 * the first API call that fails.
 */

import * as crypto from 'node:crypto';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
	options: {
		url: { type: 'string' },
		issuer: { type: 'string' },
		redirect: { type: 'string' },
		'post-logout': { type: 'string' },
		'pkce-required': { type: 'boolean', default: false },
		client: { type: 'string', multiple: true, default: [] },
		user: { type: 'string', multiple: true, default: [] },
	},
	strict: true,
});
for (const k of ['url', 'issuer', 'redirect', 'post-logout']) {
	if (!opt[k]) {
		process.stderr.write(`glewlwyd-setup.js: --${k} is required\n`);
		process.exit(2);
	}
}
const api = `${opt.url.replace(/\/$/, '')}/api`;
let cookie = '';

async function call(method, path, body) {
	const res = await fetch(`${api}${path}`, {
		method,
		headers: {
			'Content-Type': 'application/json',
			...(cookie ? { Cookie: cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (res.status !== 200) {
		process.stderr.write(`glewlwyd-setup.js: ${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}\n`);
		process.exit(1);
	}
	const set = res.headers.getSetCookie?.() ?? [];
	if (set.length > 0)
		cookie = set.map((c) => c.split(';')[0]).join('; ');
	return text ? JSON.parse(text) : null;
}

function privateJwk(kid, type, options) {
	const jwk = crypto.generateKeyPairSync(type, options).privateKey
	    .export({ format: 'jwk' });
	return { ...jwk, kid, alg: kid };
}

function keys() {
	return {
		keys: [
			privateJwk('RS256', 'rsa', { modulusLength: 2048 }),
			privateJwk('RS512', 'rsa', { modulusLength: 2048 }),
			privateJwk('PS256', 'rsa', { modulusLength: 2048 }),
			privateJwk('ES256', 'ec', { namedCurve: 'P-256' }),
			privateJwk('ES384', 'ec', { namedCurve: 'P-384' }),
			privateJwk('EdDSA', 'ed25519'),
		],
	};
}

function plugin() {
	return {
		module: 'oidc',
		name: 'oidc',
		display_name: 'OpenID Connect',
		enabled: true,
		parameters: {
			iss: opt.issuer,
			'jwt-type': 'rsa',
			'jwt-key-size': '256',
			'jwks-private': JSON.stringify(keys()),
			'default-kid': 'RS256',
			'client-sign_kid-parameter': 'sign_kid',
			'jwks-show': true,
			'access-token-duration': 3600,
			'refresh-token-duration': 1209600,
			'code-duration': 600,
			'refresh-token-rolling': true,
			'allow-non-oidc': false,
			'auth-type-code-enabled': true,
			'auth-type-token-enabled': false,
			'auth-type-id-token-enabled': true,
			'auth-type-none-enabled': false,
			'auth-type-password-enabled': false,
			'auth-type-client-enabled': false,
			'auth-type-device-enabled': false,
			'auth-type-refresh-enabled': true,
			'subject-type': 'public',
			'secret-type': 'pairwise',
			scope: [],
			'additional-parameters': [],
			claims: [{
				name: 'email_verified',
				'user-property': 'email_verified',
				type: 'boolean',
				'boolean-value-true': '1',
				'boolean-value-false': '0',
				mandatory: true,
				'on-demand': false,
				scope: [],
			}],
			'name-claim': 'mandatory',
			'name-claim-scope': [],
			'email-claim': 'mandatory',
			'email-claim-scope': [],
			'scope-claim': 'no',
			'scope-claim-scope': [],
			'address-claim': { type: 'no' },
			'allowed-scope': ['openid'],
			'pkce-allowed': true,
			'pkce-method-plain-allowed': false,
			'pkce-required': opt['pkce-required'],
			'pkce-required-public-client': true,
			'pkce-scopes': [],
			'session-management-allowed': true,
			'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
			'session-cookie-expiration': 2419200,
			'front-channel-logout-allowed': true,
			'back-channel-logout-allowed': true,
			'request-parameter-allow': false,
			'service-documentation': '',
			'client-pubkey-parameter': '',
			'client-jwks-parameter': '',
			'client-jwks_uri-parameter': '',
			'encrypt-out-token-allow': false,
			'introspection-revocation-allowed': false,
			'register-client-allowed': false,
		},
	};
}

async function main() {
	await call('POST', '/auth/', { username: 'admin', password: 'password' });

	/* The database user backend keeps only the properties it is told of. */
	const mod = await call('GET', '/mod/user/database');
	mod.parameters['data-format'].email_verified = {
		multiple: false, read: true, write: true,
		'profile-read': true, 'profile-write': false,
	};
	await call('PUT', '/mod/user/database', mod);
	/* The running instance keeps its old data-format until reset. */
	await call('PUT', '/mod/user/database/reset');

	for (const login of opt.user) {
		await call('POST', '/user/', {
			username: login,
			password: `${login}-password`,
			name: `${login.charAt(0).toUpperCase()}${login.slice(1)} Tester`,
			email: `${login}@example.com`,
			email_verified: '1',
			scope: ['openid'],
			enabled: true,
		});
	}

	/* The end_session endpoint checks the client property
	 * post_logout_redirect_uris (plural), which the packaged client
	 * backend does not keep (its data-format has the singular
	 * post_logout_redirect_uri of the administration page): without it
	 * Glewlwyd logs "Invalid post_logout_redirect_uris" and does not send
	 * the browser back. */
	const cmod = await call('GET', '/mod/client/database');
	cmod.parameters['data-format'].post_logout_redirect_uris = {
		multiple: true, read: true, write: true,
	};
	await call('PUT', '/mod/client/database', cmod);
	await call('PUT', '/mod/client/database/reset');

	await call('POST', '/mod/plugin/', plugin());

	for (const spec of opt.client) {
		const [core, ...extras] = spec.split(';');
		const [id, secret, kid, methods] = core.split(':');
		const client = {
			client_id: id,
			name: id,
			enabled: true,
			confidential: secret !== '',
			redirect_uri: [opt.redirect],
			post_logout_redirect_uri: opt['post-logout'],
			post_logout_redirect_uris: [opt['post-logout']],
			authorization_type: ['code', 'refresh_token'],
			token_endpoint_auth_method: methods.split(','),
			sign_kid: kid,
			scope: ['openid'],
		};
		/* client_secret: compared as it is (and an HMAC key); password:
		 * stored hashed.  Both, as the administration page offers. */
		if (secret !== '') {
			client.client_secret = secret;
			client.password = secret;
		}
		for (const extra of extras) {
			const eq = extra.indexOf('=');
			client[extra.slice(0, eq)] = extra.slice(eq + 1);
		}
		await call('POST', '/client/', client);
	}
}

main().catch((err) => {
	process.stderr.write(`glewlwyd-setup.js: ${err.stack ?? err}\n`);
	process.exit(1);
});
