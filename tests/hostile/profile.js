#!/usr/bin/env node
/*
 * Loads a provider profile (tests/fixtures/providers/NAME/) into the
 * hostile provider (tests/hostile/provider.js), for
 * tests/integration/profiles.sh.
 *
 * A profile holds the facts of one hosted provider as its documentation
 * shows them: the discovery document, the key set's shape, the claims of
 * an ID token and of a userinfo answer, the client authentication
 * methods it accepts, and the [auth.NAME] block of secrets.toml its users
 * write.  Every URL keeps the provider's own host names; here each of
 * the profile's "hosts" becomes the hostile provider's loopback base, the
 * paths staying what the provider has.  Keys are the test's fresh ones.
 *
 * Usage:
 *   node tests/hostile/profile.js --fixture DIR --base URL --keys DIR
 *       --web URL --out DIR [--patch JSON]
 *
 *   --fixture DIR  the profile
 *   --base URL     the hostile provider (http://127.0.0.1:PORT), which
 *                  also takes the control messages
 *   --keys DIR     the provider's keys (NAME.pem), as provider.js loads
 *   --web URL      the site oidc-login serves (its redirect_uri is
 *                  URL/auth/callback, its post-logout URI URL/)
 *   --out DIR      where to write block.toml (the [auth.NAME] block,
 *                  hosts replaced), scenario.json and facts (TAB-separated
 *                  "name value" lines for the shell)
 *   --patch JSON   merged over the scenario (and over the client's
 *                  "auth" when it holds "client_auth"), for a variant
 *
 * Registers the client, sets the routes and the scenario of the prefix
 * NAME; prints nothing but errors.
 */

import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

/* Discovery members and the endpoint of provider.js each one is. */
const ENDPOINTS = {
	authorization_endpoint: 'authorize',
	token_endpoint: 'token',
	jwks_uri: 'jwks',
	userinfo_endpoint: 'userinfo',
	end_session_endpoint: 'end_session',
};

function fail(msg) {
	process.stderr.write(`profile.js: ${msg}\n`);
	process.exit(2);
}

function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

/* Replaces every host of the profile by the loopback base. */
function mapHosts(text, hosts, base) {
	let out = text;
	for (const h of hosts)
		out = out.split(h).join(base);
	return out;
}

function readText(dir, file, hosts, base, optional = false) {
	const path = join(dir, file);
	if (optional && !existsSync(path))
		return null;
	return mapHosts(readFileSync(path, 'utf8'), hosts, base);
}

function readJson(dir, file, hosts, base, optional = false) {
	const text = readText(dir, file, hosts, base, optional);
	if (text === null)
		return null;
	try {
		return JSON.parse(text);
	} catch (err) {
		fail(`${file}: ${err.message}`);
	}
}

/*
 * The few facts of the block the test needs: its name and the plain
 * string keys.  (The block is handed to oidc-login as it is; this is not
 * a TOML reader.)
 */
function blockFacts(toml) {
	const out = { keys: {} };
	for (const line of toml.split('\n')) {
		let m = /^\[auth\.([A-Za-z0-9_-]+)\]\s*$/.exec(line);
		if (m !== null && out.name === undefined) {
			out.name = m[1];
			continue;
		}
		m = /^([a-z_]+)\s*=\s*"([^"]*)"/.exec(line);
		if (m !== null)
			out.keys[m[1]] ??= m[2];
	}
	if (out.name === undefined)
		fail('secrets.toml: no [auth.NAME] block');
	return out;
}

/* A self-signed certificate of a key, for x5c / x5t members. */
const certs = new Map();
function certOf(keysDir, name, subject, outDir) {
	if (certs.has(name))
		return certs.get(name);
	const der = join(outDir, `${name}.cert.der`);
	execFileSync('openssl', ['req', '-x509', '-new', '-key',
	    join(keysDir, `${name}.pem`), '-subj', `/CN=${subject}`,
	    '-days', '2', '-outform', 'DER', '-out', der],
	    { stdio: ['ignore', 'ignore', 'pipe'] });
	const raw = readFileSync(der);
	const c = {
		x5c: raw.toString('base64'),
		x5t: b64url(crypto.createHash('sha1').update(raw).digest()),
		'x5t#S256': b64url(crypto.createHash('sha256').update(raw)
		    .digest()),
	};
	certs.set(name, c);
	return c;
}

/* "{x5t}", "{x5c}", "{x5t#S256}" in a string: the key's certificate's. */
function fillCert(value, cert) {
	if (typeof value === 'string')
		return value.replace(/\{(x5c|x5t|x5t#S256)\}/g, (_, k) => cert()[k]);
	if (Array.isArray(value))
		return value.map((v) => fillCert(v, cert));
	return value;
}

/*
 * jwks.json: {"keys": [...]} where an entry with "$key": NAME is that
 * test key's public JWK with the entry's other members, in the entry's
 * order (the key material where the entry has "$key").
 */
function buildJwks(tmpl, keysDir, subject, outDir) {
	const keys = [];
	for (const entry of tmpl.keys) {
		const name = entry.$key;
		if (name === undefined) {
			keys.push(entry);
			continue;
		}
		const pem = readFileSync(join(keysDir, `${name}.pem`));
		const pub = crypto.createPublicKey(pem).export({ format: 'jwk' });
		const cert = () => certOf(keysDir, name, subject, outDir);
		const jwk = {};
		for (const [k, v] of Object.entries(entry)) {
			if (k === '$key')
				Object.assign(jwk, pub);
			else
				jwk[k] = fillCert(v, cert);
		}
		keys.push(jwk);
	}
	return { keys };
}

function merge(base, over) {
	const out = { ...base };
	for (const [k, v] of Object.entries(over ?? {})) {
		if (v !== null && typeof v === 'object' && !Array.isArray(v) &&
		    base[k] !== null && typeof base[k] === 'object' &&
		    !Array.isArray(base[k]))
			out[k] = merge(base[k], v);
		else
			out[k] = v;
	}
	return out;
}

async function control(base, msg) {
	const res = await fetch(`${base}/control`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(msg),
	});
	const text = await res.text();
	if (text !== '{"ok":true}')
		fail(`control ${msg.op}: ${text}`);
}

function routesOf(prefix, doc, metadataUrl, base) {
	const out = {};
	const add = (url, endpoint) => {
		let u;
		try {
			u = new URL(url);
		} catch {
			return;
		}
		if (u.origin === new URL(base).origin)
			out[u.pathname] = { prefix, endpoint };
	};
	add(metadataUrl, 'discovery');
	for (const [member, endpoint] of Object.entries(ENDPOINTS))
		if (typeof doc[member] === 'string')
			add(doc[member], endpoint);
	return out;
}

async function main() {
	let opts;
	try {
		opts = parseArgs({
			options: {
				fixture: { type: 'string' },
				base: { type: 'string' },
				keys: { type: 'string' },
				web: { type: 'string' },
				out: { type: 'string' },
				patch: { type: 'string' },
			},
			strict: true,
		}).values;
	} catch (err) {
		fail(err.message);
	}
	for (const o of ['fixture', 'base', 'keys', 'web', 'out'])
		if (opts[o] === undefined)
			fail(`--${o} is required`);
	const dir = opts.fixture;
	const base = opts.base.replace(/\/$/, '');
	mkdirSync(opts.out, { recursive: true });

	const facts = JSON.parse(readFileSync(join(dir, 'provider.json'),
	    'utf8'));
	const hosts = facts.hosts ?? [];
	const doc = readJson(dir, 'openid-configuration.json', hosts, base);
	const jwksTmpl = readJson(dir, 'jwks.json', hosts, base);
	const idToken = readJson(dir, 'id_token.json', hosts, base);
	const userinfo = readJson(dir, 'userinfo.json', hosts, base, true);
	const expect = readJson(dir, 'expect.json', hosts, base);
	const block = readText(dir, 'secrets.toml', hosts, base);
	const bf = blockFacts(block);
	const prefix = bf.name;
	const metadataUrl = bf.keys.server_metadata_url;
	if (metadataUrl === undefined)
		fail('secrets.toml: no server_metadata_url');
	const patch = opts.patch !== undefined ? JSON.parse(opts.patch) : {};

	const subject = facts.cert_subject ?? basename(dir);
	const jwks = buildJwks(jwksTmpl, opts.keys, subject, opts.out);
	/* kid and header members may name the signing key's certificate. */
	const sign = { ...facts.sign };
	const signCert = () => certOf(opts.keys, sign.key, subject, opts.out);
	if (typeof sign.kid === 'string')
		sign.kid = fillCert(sign.kid, signCert);
	if (sign.header !== undefined)
		sign.header = Object.fromEntries(Object.entries(sign.header)
		    .map(([k, v]) => [k, fillCert(v, signCert)]));

	/* The ID token: the profile's claims, the protocol's added. */
	const { sub, ...claims } = idToken;
	let uiClaims = null;
	if (userinfo !== null) {
		const { sub: uiSub, ...rest } = userinfo;
		if (uiSub !== sub)
			fail('userinfo.json: sub differs from id_token.json');
		uiClaims = rest;
	}
	let scenario = {
		discovery: { raw: JSON.stringify(doc, null, 2) },
		jwks_raw: JSON.stringify(jwks),
		sign,
		sub,
		claims_base: 'none',
		claims,
		claims_rel: facts.claims_rel ?? {},
		at_hash: facts.at_hash ? 'right' : 'omit',
		userinfo: { base: 'none', claims: uiClaims ?? {} },
		end_session: facts.end_session ?? {},
	};
	const { client_auth: clientAuthPatch, ...scenarioPatch } = patch;
	scenario = merge(scenario, scenarioPatch);

	const clientId = bf.keys.client_id;
	await control(base, {
		op: 'client',
		client_id: clientId,
		client_secret: bf.keys.client_secret ?? null,
		auth: clientAuthPatch ?? facts.client_auth,
		redirect_uris: [`${opts.web}/auth/callback`],
		post_logout_redirect_uris: [`${opts.web}/`],
	});
	await control(base, {
		op: 'routes',
		routes: routesOf(prefix, doc, metadataUrl, base),
	});
	await control(base, { op: 'scenario', prefix, scenario });

	/* The published key that signs: its alg member, if it has one. */
	const signJwk = jwks.keys.find((k) => sign.kid !== undefined &&
	    k.kid === sign.kid);

	/* The identity the profile's user_claim yields, userinfo merged. */
	const merged = { ...idToken, ...(userinfo ?? {}),
	    ...(scenario.claims ?? {}), ...(scenario.userinfo.claims ?? {}) };
	const identity = merged[expect.user_claim];

	const lines = {
		name: prefix,
		client_id: clientId,
		metadata_url: metadataUrl,
		issuer: doc.issuer,
		token_iss: scenario.claims.iss ?? '',
		authorization_endpoint: doc.authorization_endpoint,
		end_session_endpoint: doc.end_session_endpoint ?? '',
		userinfo_endpoint: doc.userinfo_endpoint ?? '',
		alg: sign.alg,
		kid: sign.kid ?? '',
		kid_alg: signJwk?.alg ?? '',
		auth_method: expect.auth_method,
		user_claim: expect.user_claim,
		remote_user: typeof identity === 'string' ? identity : '',
	};
	writeFileSync(join(opts.out, 'block.toml'), block);
	writeFileSync(join(opts.out, 'scenario.json'),
	    JSON.stringify(scenario, null, 2));
	writeFileSync(join(opts.out, 'expect.json'),
	    JSON.stringify(expect, null, 2));
	writeFileSync(join(opts.out, 'facts'), Object.entries(lines)
	    .map(([k, v]) => `${k}\t${v}\n`).join(''));
}

main().catch((err) => fail(err.stack));
