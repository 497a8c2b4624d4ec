#!/usr/bin/env node
/*
 * Writes a LemonLDAP::NG configuration (lmConf-1.json, the File backend)
 * for the real-provider tests: the Demo accounts (dwho, rtyler, msmith;
 * password = login), sessions under DIR, the OpenID Connect issuer on,
 * its RSA signing key, and one relying party per --rp.
 *
 * Usage:
 *   node tests/real/llng-conf.js --out FILE --portal URL --dir DIR
 *       --key PEM_FILE --pub PEM_FILE --redirect URI --post-logout URI
 *       --rp SPEC...
 *
 *   SPEC  id:secret:alg[;Option=value...]; every relying party has the
 *         redirect URI and the post-logout redirect URI given.
 *         alg is the ID token's (oidcRPMetaDataOptionsIDTokenSignAlg):
 *         a relying party without one makes the token endpoint answer 500.
 *         Each ;Option=value sets oidcRPMetaDataOptions<Option>, e.g.
 *         ;RequirePKCE=1 or ;Public=1.  An empty secret: none is set.
 *
 * The Demo backend knows uid, cn and mail.  The claims exported to every
 * relying party: email (mail), email_verified (true: a macro, typed
 * bool), name (cn), preferred_username (uid).  LemonLDAP::NG 2.16 puts
 * them in the userinfo answer, not in the ID token.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
	options: {
		out: { type: 'string' },
		portal: { type: 'string' },
		dir: { type: 'string' },
		key: { type: 'string' },
		pub: { type: 'string' },
		redirect: { type: 'string' },
		'post-logout': { type: 'string' },
		rp: { type: 'string', multiple: true, default: [] },
	},
	strict: true,
});
for (const k of ['out', 'portal', 'dir', 'key', 'pub', 'redirect', 'post-logout']) {
	if (!opt[k]) {
		process.stderr.write(`llng-conf.js: --${k} is required\n`);
		process.exit(2);
	}
}

const rpOptions = {};
const rpExportedVars = {};
for (const spec of opt.rp) {
	const [core, ...extras] = spec.split(';');
	const [id, secret, alg] = core.split(':');
	const o = {
		oidcRPMetaDataOptionsClientID: id,
		oidcRPMetaDataOptionsRedirectUris: opt.redirect,
		oidcRPMetaDataOptionsPostLogoutRedirectUris: opt['post-logout'],
		oidcRPMetaDataOptionsIDTokenSignAlg: alg,
		oidcRPMetaDataOptionsBypassConsent: 1,
		oidcRPMetaDataOptionsDisplayName: id,
	};
	if (secret)
		o.oidcRPMetaDataOptionsClientSecret = secret;
	for (const extra of extras) {
		const eq = extra.indexOf('=');
		o[`oidcRPMetaDataOptions${extra.slice(0, eq)}`] = extra.slice(eq + 1);
	}
	rpOptions[id] = o;
	rpExportedVars[id] = {
		email: 'mail',
		email_verified: 'emailVerified;bool',
		name: 'cn',
		preferred_username: 'uid',
	};
}

const dir = opt.dir;
const conf = {
	cfgNum: 1,
	cfgVersion: '2.16.1',
	cfgAuthor: 'oidc-login tests',
	cfgDate: String(Math.floor(Date.now() / 1000)),
	portal: opt.portal,
	domain: '127.0.0.1',
	cookieName: 'lemonldap',
	securedCookie: 0,
	authentication: 'Demo',
	userDB: 'Same',
	passwordDB: 'Demo',
	registerDB: 'Null',
	demoExportedVars: { cn: 'cn', mail: 'mail', uid: 'uid' },
	exportedVars: {},
	macros: { emailVerified: '1' },
	whatToTrace: 'uid',
	portalSkin: 'bootstrap',
	notification: 0,
	loginHistoryEnabled: 0,
	locationRules: {},
	globalStorage: 'Apache::Session::File',
	globalStorageOptions: {
		Directory: `${dir}/sessions`,
		LockDirectory: `${dir}/sessions/lock`,
		generateModule: 'Lemonldap::NG::Common::Apache::Session::Generate::SHA256',
	},
	persistentStorage: 'Apache::Session::File',
	persistentStorageOptions: {
		Directory: `${dir}/psessions`,
		LockDirectory: `${dir}/psessions/lock`,
	},
	localSessionStorage: 'Cache::FileCache',
	localSessionStorageOptions: {
		cache_root: `${dir}/cache`,
		cache_depth: 3,
		namespace: 'lemonldap-ng-sessions',
		default_expires_in: 600,
		directory_umask: '007',
	},
	issuerDBOpenIDConnectActivation: 1,
	oidcServicePrivateKeySig: readFileSync(opt.key, 'utf8'),
	oidcServicePublicKeySig: readFileSync(opt.pub, 'utf8'),
	oidcServiceKeyIdSig: 'llng-test-rsa',
	oidcRPMetaDataOptions: rpOptions,
	oidcRPMetaDataExportedVars: rpExportedVars,
};
writeFileSync(opt.out, JSON.stringify(conf, null, 1));
