#!/usr/bin/env node
/*
 * A hostile OpenID Provider for oidc-login's tests: correct by default,
 * misbehaving on demand, one scenario at a time.
 *
 * Unlike tests/op/provider.js (a certified OP), this one has no login
 * page and no session: the authorization endpoint redirects straight back
 * with a code, so every login is one curl walk.  What it signs, publishes
 * and answers is scripted through POST /control.
 *
 * Usage:
 *   node tests/hostile/provider.js --port PORT --keys DIR [--quiet]
 *
 *   --port PORT   listen on 127.0.0.1:PORT (0: a free port); never another
 *                 address
 *   --keys DIR    every DIR/NAME.pem is a PKCS#8 private key (openssl
 *                 genpkey: RSA, EC P-256/P-384/P-521, Ed25519, Ed448),
 *                 known as NAME
 *   --tls-cert FILE, --tls-key FILE
 *                 serve https with this certificate and key (PEM): the
 *                 base URL is then https://127.0.0.1:PORT
 *   --tls-max-version V
 *                 offer no TLS version above V (TLSv1.1: a server offering
 *                 only TLS 1.0 and 1.1, made possible with OpenSSL's
 *                 security level 0)
 *
 * Prints "listening on 127.0.0.1:PORT" and "ready http://127.0.0.1:PORT"
 * once listening, then one line per request; exits 0 on SIGTERM/SIGINT.
 *
 * Issuers.  Every path prefix is an issuer of its own, so that each
 * oidc-login provider section (which caches discovery and JWKS) gets its
 * own documents: http://127.0.0.1:PORT/P serves
 *   /P/.well-known/openid-configuration   discovery
 *   /P/jwks        /P/authorize    /P/token    /P/userinfo
 *   /P/end_session
 * P may hold slashes ("common/v2.0").
 *
 * Routes.  A real provider's endpoints sit at its own paths, often at the
 * root of a host ("/o/oauth2/v2/auth", "/oauth/token"): the "routes"
 * control message maps such paths to an endpoint of a prefix, checked
 * before the /P/... paths (tests/hostile/profile.js sets them from a
 * provider profile).
 *
 * Control (JSON bodies, answers JSON):
 *   POST /control {"op": "client", "client_id", "client_secret",
 *       "auth": "client_secret_basic" | "client_secret_post" | "none"
 *           (or an array of them: every method the provider accepts
 *           from this client; any other is invalid_client),
 *       "redirect_uris": [...], "post_logout_redirect_uris": [...]}
 *   POST /control {"op": "routes", "routes": {PATH: {"prefix": P,
 *       "endpoint": "discovery" | "jwks" | "authorize" | "token" |
 *       "userinfo" | "end_session"}}}
 *       replaces the table of paths served for a prefix
 *   POST /control {"op": "scenario", "prefix": P, "scenario": {...}}
 *       replaces P's scenario (see DEFAULTS below for every knob)
 *   POST /control {"op": "jwks", "prefix": P, "jwks": [...]}
 *       the keys P publishes from now on, unless its scenario says
 *       (entries as scenario.jwks)
 *   POST /control {"op": "events", "prefix": P}  what P saw so far
 *   POST /control {"op": "reset", "prefix": P}   forget P's events
 *   POST /control {"op": "revoke", "prefix": P}  spend P's refresh tokens
 *
 * Accounts: none.  The user is scenario.sub (default "alice"), with
 * email alice@example.com and name "Alice Tester".
 */

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

import { CompactSign, exportJWK } from 'jose';

const MAX_BODY = 64 * 1024;
const MAX_CONTROL_BODY = 1024 * 1024;
const CODE_TTL_MS = 60 * 1000;

/*
 * A scenario: what one issuer does.  Every knob is optional; these are
 * the defaults.
 */
const DEFAULTS = {
	/* Discovery. */
	discovery: {
		issuer: null,		/* override the document's issuer */
		entra: false,		/* issuer with {tenantid} (first segment) */
		drop: [],		/* members to leave out */
		set: {},		/* members to add or replace */
		raw: null,		/* the whole body, as is */
		status: 200,
		hang: false,		/* accept, then never answer */
		redirect: null,		/* a URL: 302 there instead */
	},
	/*
	 * JWKS: which keys to publish.  Entries are {key: NAME, kid, alg,
	 * use, key_ops} (kid defaults to NAME; null leaves it out; alg and
	 * use are left out unless given) or {raw: JWK}.  null: every loaded
	 * key, kid = NAME, use = "sig".
	 */
	jwks: null,
	jwks_raw: null,		/* the whole body, as is */
	jwks_hang: false,	/* accept, then never answer */
	/* The ID token. */
	sign: {
		alg: 'RS256',
		key: 'rsa',		/* a loaded key's NAME */
		kid: undefined,		/* undefined: the key's NAME; null: none */
		header: {},		/* more protected header members */
		crit: null,		/* e.g. ["exp"]: a crit header */
		confusion: false,	/* HS* keyed by the key's public PEM */
		hmac_secret: null,	/* HS* key other than the client secret */
		corrupt: false,		/* flip a bit of the signature */
		/*
		 * Sign by hand, whatever the header says: {key, digest
		 * ("sha256"...; null for EdDSA), pss, der}.
		 */
		raw: null,
		/*
		 * "jwk": the signing key's public JWK in the header; "jku":
		 * a JWKS URL of ours there (embedded-key attacks).
		 */
		embed: null,
		form: 'compact',	/* two-parts, four-parts, five-parts,
					   empty-sig, fake-sig, oversize,
					   garbage */
	},
	sub: 'alice',
	/*
	 * The ID token's claims before "claims": "default" (email,
	 * email_verified, name besides the protocol's) or "none" (iss, sub,
	 * aud, exp, iat, nonce and at_hash only: a profile's own set).
	 */
	claims_base: 'default',
	claims: {},		/* merged over the defaults; null deletes */
	claims_null: [],	/* names whose value is JSON null */
	claims_rel: {},		/* name: seconds from now */
	payload_raw: null,	/* the payload text, as is */
	at_hash: 'right',	/* right, wrong, omit */
	/* The token endpoint. */
	token: {
		status: 200,
		body: null,		/* the whole body, as is */
		json: {},		/* merged over the answer; null deletes */
		oversize: false,	/* a body over 64 KiB */
		hang: false,		/* accept, then never answer */
		drip: false,		/* answer one byte every 300 ms, forever */
		content_type: 'application/json',
		/*
		 * Redeem a code as often as it is presented (a provider
		 * that breaks RFC 6749 section 4.1.2): the relying party's
		 * own state check is then all that stops a replay.
		 */
		reusable_code: false,
	},
	/* The userinfo endpoint. */
	userinfo: {
		base: 'default',	/* "none": sub only, before "claims" */
		sub: null,		/* another sub than the ID token's */
		status: 200,
		claims: {},		/* merged over the answer; null deletes */
		claims_null: [],	/* names whose value is JSON null */
		content_type: 'application/json',
		hang: false,		/* accept, then never answer */
	},
	/* The end_session endpoint. */
	end_session: {
		/*
		 * Answer 400 unless id_token_hint is an ID token this
		 * provider issued (Okta's /v1/logout requires one).
		 */
		require_hint: false,
	},
	/* The authorization endpoint. */
	authorize: {
		error: null,		/* redirect back with error=... */
		error_description: null,
		iss: null,		/* RFC 9207: true (our issuer) or a URL */
		/* With prompt=none: redirect back with this error instead. */
		none_error: null,
	},
	/* Refresh tokens (RFC 6749 section 6). */
	refresh: {
		issue: false,		/* hand one out with each token answer */
		rotate: false,		/* a new one per refresh, the old spent */
		error: null,		/* refuse every refresh with this error */
		status: 400,		/* ... and this status */
		id_token: true,		/* a refreshed ID token in the answer */
		hang: false,		/* accept a refresh, never answer */
	},
};

const keys = new Map();		/* NAME -> { priv, pub, jwk } */
const clients = new Map();	/* client_id -> client */
const scenarios = new Map();	/* prefix -> scenario */
const published = new Map();	/* prefix -> JWKS entries (op "jwks") */
const events = new Map();	/* prefix -> events */
const codes = new Map();	/* code -> grant */
const accessTokens = new Map();	/* token -> { prefix, sub } */
const refreshTokens = new Map();	/* token -> { prefix, client_id, spent } */
const issuedIdTokens = new Set();	/* every ID token handed out */
let routes = new Map();		/* path -> { prefix, endpoint } */
const hanging = new Set();	/* responses we never finish */
let quiet = false;

function fail(msg) {
	process.stderr.write(`provider.js: ${msg}\n`);
	process.exit(2);
}

function log(line) {
	if (!quiet)
		process.stdout.write(`${line}\n`);
}

function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

function randomToken() {
	return b64url(crypto.randomBytes(24));
}

function now() {
	return Math.floor(Date.now() / 1000);
}

/* --- Keys ------------------------------------------------------------ */

function loadKeys(dir) {
	for (const file of readdirSync(dir)) {
		if (!file.endsWith('.pem'))
			continue;
		const name = basename(file, '.pem');
		let priv;
		try {
			priv = crypto.createPrivateKey(readFileSync(join(dir, file)));
		} catch (err) {
			fail(`${file}: ${err.message}`);
		}
		const pub = crypto.createPublicKey(priv);
		keys.set(name, { priv, pub });
	}
	if (keys.size === 0)
		fail(`--keys ${dir}: no *.pem keys`);
}

async function publicJwk(name) {
	const k = keys.get(name);
	if (k === undefined)
		throw new Error(`no key named ${name}`);
	if (k.jwk === undefined)
		k.jwk = await exportJWK(k.pub);
	return { ...k.jwk };
}

async function jwksBody(s) {
	if (s.jwks_raw !== null)
		return s.jwks_raw;
	const out = [];
	const entries = s.jwks ?? published.get(s.prefix) ??
	    [...keys.keys()].map((name) => ({ key: name, use: 'sig' }));
	for (const e of entries) {
		if (e.raw !== undefined) {
			out.push(e.raw);
			continue;
		}
		const jwk = await publicJwk(e.key);
		const kid = e.kid === undefined ? e.key : e.kid;
		if (kid !== null)
			jwk.kid = kid;
		for (const m of ['alg', 'use', 'key_ops'])
			if (e[m] !== undefined)
				jwk[m] = e[m];
		out.push(jwk);
	}
	return JSON.stringify({ keys: out });
}

/* --- Scenarios and events ------------------------------------------- */

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

function scenario(prefix) {
	return { ...merge(DEFAULTS, scenarios.get(prefix) ?? {}), prefix };
}

function eventsOf(prefix) {
	if (!events.has(prefix)) {
		events.set(prefix, {
			discovery: 0, jwks: 0, authorize: 0, token: 0,
			token_ok: 0, userinfo: 0, userinfo_ok: 0,
			end_session: [], token_requests: [], redemptions: {},
			refreshes: 0, refreshes_ok: 0, prompts: [],
		});
	}
	return events.get(prefix);
}

/* --- Issuers --------------------------------------------------------- */

function issuerOf(base, prefix, s) {
	if (s.discovery.issuer !== null)
		return s.discovery.issuer;
	return `${base}/${prefix}`;
}

/* Entra: the first path segment of the issuer is the tenant. */
function tenantTemplate(base, prefix) {
	return `${base}/{tenantid}/${prefix.split('/').slice(1).join('/')}`
	    .replace(/\/$/, '');
}

function discoveryDoc(base, prefix, s) {
	const at = `${base}/${prefix}`;
	const doc = {
		issuer: s.discovery.entra ? tenantTemplate(base, prefix) :
		    issuerOf(base, prefix, s),
		authorization_endpoint: `${at}/authorize`,
		token_endpoint: `${at}/token`,
		jwks_uri: `${at}/jwks`,
		userinfo_endpoint: `${at}/userinfo`,
		end_session_endpoint: `${at}/end_session`,
		response_types_supported: ['code'],
		subject_types_supported: ['public'],
		id_token_signing_alg_values_supported: [
			'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
			'ES256', 'ES384', 'ES512', 'EdDSA',
			'HS256', 'HS384', 'HS512',
		],
		token_endpoint_auth_methods_supported: [
			'client_secret_basic', 'client_secret_post', 'none',
		],
		code_challenge_methods_supported: ['S256'],
		scopes_supported: ['openid', 'email', 'profile'],
	};
	for (const m of s.discovery.drop)
		delete doc[m];
	return { ...doc, ...s.discovery.set };
}

/* --- The ID token ---------------------------------------------------- */

/* The hash at_hash takes for alg (and the key's curve for EdDSA). */
function atHash(alg, keyName, accessToken) {
	let digest;
	if (alg === 'EdDSA') {
		const type = keys.get(keyName)?.pub.asymmetricKeyType;
		digest = type === 'ed448' ?
		    crypto.createHash('shake256', { outputLength: 114 }) :
		    crypto.createHash('sha512');
	} else {
		/* Unknown algs (the tests' misnamed ones): SHA-256. */
		const bits = /^[A-Z]{2}(256|384|512)$/.exec(alg)?.[1] ?? '256';
		digest = crypto.createHash(`sha${bits}`);
	}
	const full = digest.update(accessToken).digest();
	return b64url(full.subarray(0, full.length / 2));
}

function idTokenClaims(base, grant, s, accessToken) {
	const t = now();
	const claims = {
		iss: s.discovery.entra ? null : issuerOf(base, grant.prefix, s),
		sub: s.sub,
		aud: grant.client_id,
		exp: t + 300,
		iat: t,
		nonce: grant.nonce,
	};
	if (s.claims_base !== 'none') {
		claims.email = `${s.sub}@example.com`;
		claims.email_verified = true;
		claims.name = `${s.sub.charAt(0).toUpperCase()}${s.sub.slice(1)} Tester`;
	}
	if (s.discovery.entra) {
		claims.tid = s.claims.tid ?? '9188040d-6c67-4c5b-b112-36a304b66dad';
		claims.iss = tenantTemplate(base, grant.prefix)
		    .replace('{tenantid}', claims.tid);
	}
	if (s.at_hash === 'right')
		claims.at_hash = atHash(s.sign.alg, s.sign.key, accessToken);
	else if (s.at_hash === 'wrong')
		claims.at_hash = atHash(s.sign.alg, s.sign.key, `${accessToken}x`);
	for (const [k, v] of Object.entries(s.claims_rel))
		claims[k] = t + v;
	for (const [k, v] of Object.entries(s.claims)) {
		if (v === null)
			delete claims[k];
		else
			claims[k] = v;
	}
	for (const k of s.claims_null)
		claims[k] = null;
	return claims;
}

/* A compact JWS built by hand, for what jose rightly refuses to make. */
function handMade(header, payload, sigFn) {
	const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
	return `${input}.${b64url(sigFn(input))}`;
}

function hmacDigest(alg) {
	return `sha${alg.slice(2)}`;
}

async function signIdToken(base, grant, claims, s) {
	const client = clients.get(grant.client_id);
	const sign = s.sign;
	const header = { alg: sign.alg, typ: 'JWT' };
	if (sign.embed === 'jwk')
		header.jwk = await publicJwk(sign.raw?.key ?? sign.key);
	else if (sign.embed === 'jku')
		header.jku = `${base}/attacker/jwks`;
	/* HS* tokens name no key unless told to (confusion does). */
	const kid = sign.kid !== undefined ? sign.kid :
	    sign.alg.startsWith('HS') || sign.alg.toLowerCase() === 'none' ?
	    null : sign.key;
	if (kid !== null)
		header.kid = kid;
	if (sign.crit !== null)
		header.crit = sign.crit;
	/* Last: it may replace any of the above (sign with raw then). */
	Object.assign(header, sign.header);
	const payload = s.payload_raw ?? JSON.stringify(claims);

	if (sign.alg.toLowerCase() === 'none')
		return handMade(header, payload, () => Buffer.alloc(0));
	if (sign.raw !== null)
		return handMade(header, payload, (input) => rawSign(sign.raw,
		    input));
	if (sign.alg.startsWith('HS')) {
		/* Confusion: the RSA public key's PEM as the MAC key. */
		const secret = sign.confusion ?
		    keys.get(sign.key).pub.export({ type: 'spki', format: 'pem' }) :
		    sign.hmac_secret ?? client.client_secret;
		return handMade(header, payload, (input) => crypto
		    .createHmac(hmacDigest(sign.alg), secret).update(input)
		    .digest());
	}
	const key = keys.get(sign.key);
	if (key === undefined)
		throw new Error(`no key named ${sign.key}`);
	const crit = {};
	for (const name of sign.crit ?? [])
		crit[name] = true;
	return new CompactSign(new TextEncoder().encode(payload))
	    .setProtectedHeader(header)
	    .sign(key.priv, { crit });
}

/* A signature made with any key and digest, to mismatch the header. */
function rawSign(raw, input) {
	const key = keys.get(raw.key);
	if (key === undefined)
		throw new Error(`no key named ${raw.key}`);
	const opts = { key: key.priv };
	if (raw.pss) {
		opts.padding = crypto.constants.RSA_PKCS1_PSS_PADDING;
		opts.saltLength = crypto.constants.RSA_PSS_SALTLEN_DIGEST;
	}
	if (key.priv.asymmetricKeyType === 'ec')
		opts.dsaEncoding = raw.der ? 'der' : 'ieee-p1363';
	return crypto.sign(raw.digest ?? null, Buffer.from(input), opts);
}

function reshape(token, form) {
	const [h, p, sig] = token.split('.');
	switch (form) {
	case 'two-parts':
		return `${h}.${p}`;
	case 'four-parts':
		return `${h}.${p}.${sig}.${sig}`;
	case 'five-parts':
		return `${h}.${p}.${sig}.${sig}.${sig}`;
	case 'empty-sig':
		return `${h}.${p}.`;
	case 'fake-sig':
		return `${h}.${p}.${b64url('not a signature')}`;
	case 'garbage':
		return 'not-a-jwt';
	default:
		return token;
	}
}

function corrupt(token) {
	const [h, p, sig] = token.split('.');
	const raw = Buffer.from(sig, 'base64url');
	raw[raw.length >> 1] ^= 0x01;
	return `${h}.${p}.${b64url(raw)}`;
}

async function idToken(base, grant, s, accessToken) {
	const claims = idTokenClaims(base, grant, s, accessToken);
	if (s.sign.form === 'oversize')
		claims.padding = 'x'.repeat(40 * 1024);
	let token = await signIdToken(base, grant, claims, s);
	if (s.sign.corrupt)
		token = corrupt(token);
	token = reshape(token, s.sign.form);
	issuedIdTokens.add(token);
	return token;
}

/* --- HTTP helpers ---------------------------------------------------- */

function send(res, status, body, type = 'application/json') {
	res.writeHead(status, {
		'Content-Type': type,
		'Cache-Control': 'no-store',
	});
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function oauthError(res, status, error, description) {
	send(res, status, { error, error_description: description });
}

/* Accepts the request and never answers: oidc-login must time out. */
function hang(res) {
	hanging.add(res);
	res.on('close', () => hanging.delete(res));
}

/* Answers so slowly that only a total timeout ends it. */
function drip(res) {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	res.write('{"access_token": "');
	const timer = setInterval(() => res.write('x'), 300);
	hanging.add(res);
	res.on('close', () => {
		clearInterval(timer);
		hanging.delete(res);
	});
}

function redirect(res, url) {
	res.writeHead(302, { Location: url, 'Cache-Control': 'no-store' });
	res.end();
}

function readBody(req, limit = MAX_BODY) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/* application/x-www-form-urlencoded, '+' being a space. */
function formDecode(s) {
	return decodeURIComponent(s.replace(/\+/g, ' '));
}

function parseForm(text) {
	const out = new Map();
	for (const part of text.split('&')) {
		if (part === '')
			continue;
		const eq = part.indexOf('=');
		const name = formDecode(eq < 0 ? part : part.slice(0, eq));
		const value = eq < 0 ? '' : formDecode(part.slice(eq + 1));
		if (out.has(name))
			throw new Error(`parameter ${name} repeated`);
		out.set(name, value);
	}
	return out;
}

function safeEqual(a, b) {
	const x = Buffer.from(String(a));
	const y = Buffer.from(String(b));
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/* --- Endpoints ------------------------------------------------------- */

function authorize(base, prefix, s, url, res) {
	const q = url.searchParams;
	const ev = eventsOf(prefix);
	ev.authorize++;
	const client = clients.get(q.get('client_id'));
	const redirectUri = q.get('redirect_uri');
	if (client === undefined || !client.redirect_uris.includes(redirectUri))
		return send(res, 400, 'unknown client or redirect_uri\n',
		    'text/plain');
	const back = new URL(redirectUri);
	const state = q.get('state');
	if (state !== null)
		back.searchParams.set('state', state);
	ev.prompts.push(q.get('prompt') ?? '');
	if (q.get('prompt') === 'none' && s.authorize.none_error !== null) {
		back.searchParams.set('error', s.authorize.none_error);
		return redirect(res, back.toString());
	}
	if (s.authorize.error !== null) {
		back.searchParams.set('error', s.authorize.error);
		if (s.authorize.error_description !== null)
			back.searchParams.set('error_description',
			    s.authorize.error_description);
		return redirect(res, back.toString());
	}
	const problem = q.get('response_type') !== 'code' ? 'response_type' :
	    q.get('code_challenge_method') !== 'S256' ? 'code_challenge_method' :
	    !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '') ?
	    'code_challenge' : !q.get('nonce') ? 'nonce' :
	    !(q.get('scope') ?? '').split(' ').includes('openid') ? 'scope' :
	    null;
	if (problem !== null) {
		back.searchParams.set('error', 'invalid_request');
		back.searchParams.set('error_description', `bad ${problem}`);
		return redirect(res, back.toString());
	}
	if (s.authorize.iss !== null)
		back.searchParams.set('iss', s.authorize.iss === true ?
		    issuerOf(base, prefix, s) : s.authorize.iss);
	const code = randomToken();
	codes.set(code, {
		prefix,
		client_id: client.client_id,
		redirect_uri: redirectUri,
		nonce: q.get('nonce'),
		challenge: q.get('code_challenge'),
		expires: Date.now() + CODE_TTL_MS,
		used: false,
	});
	back.searchParams.set('code', code);
	return redirect(res, back.toString());
}

/*
 * Authenticates the client exactly as it is registered (RFC 6749 §2.3:
 * one method per request, and one the client may use).  Returns
 * [client, null, method] or [null, why].
 */
function clientAuth(req, form) {
	const header = req.headers.authorization;
	let id = null;
	let secret = null;
	let method = 'none';
	if (header !== undefined) {
		const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
		if (m === null)
			return [null, 'Authorization is not Basic'];
		const text = Buffer.from(m[1], 'base64').toString('utf8');
		const colon = text.indexOf(':');
		if (colon < 0)
			return [null, 'Basic credentials without a colon'];
		/* RFC 6749 §2.3.1: both form-encoded before joining. */
		try {
			id = formDecode(text.slice(0, colon));
			secret = formDecode(text.slice(colon + 1));
		} catch {
			return [null, 'Basic credentials not form-encoded'];
		}
		method = 'client_secret_basic';
		if (form.has('client_secret'))
			return [null, 'two authentication methods'];
		if (form.has('client_id') && form.get('client_id') !== id)
			return [null, 'client_id differs from Basic user'];
	} else if (form.has('client_secret')) {
		id = form.get('client_id') ?? null;
		secret = form.get('client_secret');
		method = 'client_secret_post';
	} else {
		id = form.get('client_id') ?? null;
	}
	const client = clients.get(id);
	if (client === undefined)
		return [null, `unknown client (${method})`];
	if (!client.auth.includes(method))
		return [null, `client uses ${client.auth.join(' or ')}, request ${method}`];
	if (method !== 'none' && !safeEqual(secret, client.client_secret))
		return [null, `wrong secret (${method})`];
	return [client, null, method];
}

function pkceOk(verifier, challenge) {
	if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier ?? ''))
		return false;
	const want = b64url(crypto.createHash('sha256').update(verifier)
	    .digest());
	return safeEqual(want, challenge);
}

async function token(base, prefix, s, req, res) {
	const ev = eventsOf(prefix);
	ev.token++;
	const record = {};
	ev.token_requests.push(record);
	let form;
	try {
		form = parseForm(await readBody(req));
	} catch (err) {
		record.result = 'bad form';
		return oauthError(res, 400, 'invalid_request', err.message);
	}
	if (s.token.hang) {
		record.result = 'hang';
		return hang(res);
	}
	if (s.token.drip) {
		record.result = 'drip';
		return drip(res);
	}
	const [client, why, method] = clientAuth(req, form);
	record.client_auth = why ?? method;
	if (client === null) {
		record.result = 'invalid_client';
		return oauthError(res, 401, 'invalid_client', why);
	}
	if (form.get('grant_type') === 'refresh_token')
		return refreshGrant(base, prefix, s, client, form, record, res);
	const code = form.get('code') ?? '';
	ev.redemptions[code] = (ev.redemptions[code] ?? 0) + 1;
	const grant = codes.get(code);
	if (form.get('grant_type') !== 'authorization_code') {
		record.result = 'unsupported_grant_type';
		return oauthError(res, 400, 'unsupported_grant_type', 'code only');
	}
	if (grant === undefined || (grant.used && !s.token.reusable_code) ||
	    grant.expires < Date.now() ||
	    grant.client_id !== client.client_id || grant.prefix !== prefix ||
	    grant.redirect_uri !== form.get('redirect_uri')) {
		if (grant !== undefined)
			grant.used = true;
		record.result = 'invalid_grant';
		return oauthError(res, 400, 'invalid_grant', 'code not valid');
	}
	grant.used = true;
	if (!pkceOk(form.get('code_verifier'), grant.challenge)) {
		record.pkce = 'bad';
		record.result = 'invalid_grant';
		return oauthError(res, 400, 'invalid_grant', 'PKCE failed');
	}
	record.pkce = 'ok';
	const accessToken = randomToken();
	accessTokens.set(accessToken, { prefix, sub: s.sub });
	let answer = {
		access_token: accessToken,
		token_type: 'Bearer',
		expires_in: 300,
		id_token: await idToken(base, grant, s, accessToken),
		scope: 'openid email profile',
	};
	if (s.refresh.issue)
		answer.refresh_token = newRefreshToken(prefix, client);
	for (const [k, v] of Object.entries(s.token.json)) {
		if (v === null)
			delete answer[k];
		else
			answer[k] = v;
	}
	let body = s.token.body ?? JSON.stringify(answer);
	if (s.token.oversize)
		body = JSON.stringify({ ...answer, padding: 'x'.repeat(MAX_BODY) });
	record.result = s.token.status === 200 ? 'issued' : `status ${s.token.status}`;
	if (s.token.status === 200)
		ev.token_ok++;
	return send(res, s.token.status, body, s.token.content_type);
}

function newRefreshToken(prefix, client) {
	const token = `rt-${randomToken()}`;
	refreshTokens.set(token, { prefix, client_id: client.client_id,
	    spent: false });
	return token;
}

/* grant_type=refresh_token: a new access token, ID token, maybe refresh token. */
async function refreshGrant(base, prefix, s, client, form, record, res) {
	const ev = eventsOf(prefix);
	ev.refreshes++;
	record.grant = 'refresh_token';
	if (s.refresh.hang) {
		record.result = 'hang';
		return hang(res);
	}
	const rt = refreshTokens.get(form.get('refresh_token') ?? '');
	if (s.refresh.error !== null) {
		record.result = s.refresh.error;
		return oauthError(res, s.refresh.status, s.refresh.error,
		    'refresh refused');
	}
	if (rt === undefined || rt.spent || rt.prefix !== prefix ||
	    rt.client_id !== client.client_id) {
		record.result = 'invalid_grant';
		return oauthError(res, 400, 'invalid_grant',
		    'refresh token not valid');
	}
	const accessToken = randomToken();
	accessTokens.set(accessToken, { prefix, sub: s.sub });
	const answer = {
		access_token: accessToken,
		token_type: 'Bearer',
		expires_in: 300,
	};
	if (s.refresh.id_token)
		answer.id_token = await idToken(base, { prefix,
		    client_id: client.client_id, nonce: undefined }, s,
		    accessToken);
	if (s.refresh.rotate) {
		rt.spent = true;
		answer.refresh_token = newRefreshToken(prefix, client);
	}
	record.result = 'issued';
	ev.refreshes_ok++;
	return send(res, 200, answer);
}

function userinfo(prefix, s, req, res) {
	const ev = eventsOf(prefix);
	ev.userinfo++;
	if (s.userinfo.hang)
		return hang(res);
	const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(
	    req.headers.authorization ?? '');
	const grant = m === null ? undefined : accessTokens.get(m[1]);
	if (grant === undefined || grant.prefix !== prefix) {
		res.writeHead(401, {
			'WWW-Authenticate': 'Bearer error="invalid_token"',
			'Content-Type': 'application/json',
		});
		return res.end('{"error":"invalid_token"}');
	}
	ev.userinfo_ok++;
	const sub = s.userinfo.sub ?? grant.sub;
	const claims = { sub };
	if (s.userinfo.base !== 'none') {
		claims.email = `${sub}@example.com`;
		claims.email_verified = true;
		claims.name = `${sub.charAt(0).toUpperCase()}${sub.slice(1)} Tester`;
	}
	for (const [k, v] of Object.entries(s.userinfo.claims)) {
		if (v === null)
			delete claims[k];
		else
			claims[k] = v;
	}
	for (const k of s.userinfo.claims_null)
		claims[k] = null;
	return send(res, s.userinfo.status, claims, s.userinfo.content_type);
}

function endSession(prefix, s, url, res) {
	const ev = eventsOf(prefix);
	const params = Object.fromEntries(url.searchParams);
	ev.end_session.push(params);
	if (s.end_session.require_hint &&
	    !issuedIdTokens.has(params.id_token_hint ?? ''))
		return oauthError(res, 400, 'invalid_request',
		    'id_token_hint is required');
	const back = params.post_logout_redirect_uri;
	const client = clients.get(params.client_id);
	if (back !== undefined && client !== undefined &&
	    client.post_logout_redirect_uris.includes(back))
		return redirect(res, back);
	return send(res, 200, '<!DOCTYPE html><p>Signed out.</p>\n',
	    'text/html; charset=utf-8');
}

async function control(req, res) {
	let msg;
	try {
		msg = JSON.parse(await readBody(req, MAX_CONTROL_BODY));
	} catch (err) {
		return send(res, 400, { error: err.message });
	}
	switch (msg.op) {
	case 'client':
		clients.set(msg.client_id, {
			client_id: msg.client_id,
			client_secret: msg.client_secret ?? null,
			auth: [msg.auth ?? 'client_secret_basic'].flat(),
			redirect_uris: msg.redirect_uris ?? [],
			post_logout_redirect_uris: msg.post_logout_redirect_uris ?? [],
		});
		return send(res, 200, { ok: true });
	case 'scenario':
		scenarios.set(msg.prefix, msg.scenario ?? {});
		return send(res, 200, { ok: true });
	case 'routes':
		routes = new Map(Object.entries(msg.routes ?? {}));
		return send(res, 200, { ok: true });
	case 'jwks':
		published.set(msg.prefix, msg.jwks);
		return send(res, 200, { ok: true });
	case 'events':
		return send(res, 200, eventsOf(msg.prefix));
	case 'reset':
		events.delete(msg.prefix);
		return send(res, 200, { ok: true });
	case 'revoke':
		/* The user's grant withdrawn: every refresh token of P. */
		for (const rt of refreshTokens.values())
			if (rt.prefix === msg.prefix)
				rt.spent = true;
		return send(res, 200, { ok: true });
	default:
		return send(res, 400, { error: `unknown op ${msg.op}` });
	}
}

const ENDPOINT = /^\/(.+)\/(authorize|token|jwks|userinfo|end_session|\.well-known\/openid-configuration)$/;

/* A route's endpoint name -> the name its /P/... path has. */
const ROUTED = {
	discovery: '.well-known/openid-configuration',
	jwks: 'jwks',
	authorize: 'authorize',
	token: 'token',
	userinfo: 'userinfo',
	end_session: 'end_session',
};

async function route(base, req, res) {
	const url = new URL(req.url, base);
	if (url.pathname === '/control' && req.method === 'POST')
		return control(req, res);
	const routed = routes.get(url.pathname);
	const m = routed === undefined ? ENDPOINT.exec(url.pathname) : null;
	if (routed === undefined && m === null)
		return send(res, 404, { error: 'not_found' });
	const [prefix, what] = routed !== undefined ?
	    [routed.prefix, ROUTED[routed.endpoint]] : m.slice(1);
	const s = scenario(prefix);
	switch (what) {
	case '.well-known/openid-configuration':
		eventsOf(prefix).discovery++;
		if (s.discovery.hang)
			return hang(res);
		if (s.discovery.redirect !== null)
			return redirect(res, s.discovery.redirect);
		return send(res, s.discovery.status, s.discovery.raw ??
		    discoveryDoc(base, prefix, s));
	case 'jwks':
		eventsOf(prefix).jwks++;
		if (s.jwks_hang)
			return hang(res);
		return send(res, 200, await jwksBody(s));
	case 'authorize':
		return authorize(base, prefix, s, url, res);
	case 'token':
		if (req.method !== 'POST')
			return oauthError(res, 405, 'invalid_request', 'POST only');
		return token(base, prefix, s, req, res);
	case 'userinfo':
		return userinfo(prefix, s, req, res);
	case 'end_session':
		return endSession(prefix, s, url, res);
	default:
		return send(res, 404, { error: 'not_found' });
	}
}

/* The https server's options from --tls-*, or null for plain http. */
function tlsOptions(opts) {
	if (opts['tls-cert'] === undefined && opts['tls-key'] === undefined)
		return null;
	if (opts['tls-cert'] === undefined || opts['tls-key'] === undefined)
		fail('--tls-cert and --tls-key go together');
	const tls = {};
	try {
		tls.cert = readFileSync(opts['tls-cert']);
		tls.key = readFileSync(opts['tls-key']);
	} catch (err) {
		fail(`--tls-cert/--tls-key: ${err.message}`);
	}
	if (opts['tls-max-version'] !== undefined) {
		tls.maxVersion = opts['tls-max-version'];
		tls.minVersion = 'TLSv1';
		/* OpenSSL 3 refuses TLS 1.0/1.1 above security level 0. */
		tls.ciphers = 'DEFAULT@SECLEVEL=0';
	}
	return tls;
}

function main() {
	let opts;
	try {
		opts = parseArgs({
			options: {
				port: { type: 'string' },
				keys: { type: 'string' },
				quiet: { type: 'boolean', default: false },
				'tls-cert': { type: 'string' },
				'tls-key': { type: 'string' },
				'tls-max-version': { type: 'string' },
			},
			strict: true,
		}).values;
	} catch (err) {
		fail(err.message);
	}
	const port = Number(opts.port);
	if (opts.port === undefined || !Number.isInteger(port) || port < 0 ||
	    port > 65535)
		fail('--port PORT is required (0: any free port)');
	if (opts.keys === undefined)
		fail('--keys DIR is required');
	quiet = opts.quiet;
	loadKeys(opts.keys);
	const tls = tlsOptions(opts);

	let base;
	const onRequest = (req, res) => {
		log(`${req.method} ${req.url.replace(/([?&](code|state|nonce|code_challenge|id_token_hint)=)[^&]*/g, '$1...')}`);
		route(base, req, res).catch((err) => {
			process.stderr.write(`provider.js: ${err.stack}\n`);
			if (!res.headersSent)
				send(res, 500, { error: 'server_error' });
		});
	};
	const server = tls ? https.createServer(tls, onRequest) :
	    http.createServer(onRequest);
	server.listen(port, '127.0.0.1', () => {
		const bound = server.address().port;
		base = `${tls ? 'https' : 'http'}://127.0.0.1:${bound}`;
		process.stdout.write(`listening on 127.0.0.1:${bound}\n`);
		process.stdout.write(`ready ${base}\n`);
	});
	const stop = () => {
		for (const res of hanging)
			res.destroy();
		server.closeAllConnections();
		server.close(() => process.exit(0));
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main();
