#!/usr/bin/env node
/*
 * A scriptable OpenID Provider for oidc-login's integration tests and demo,
 * built on oidc-provider (a certified OP), so the flows it answers are real.
 *
 * Usage:
 *   node tests/op/provider.js --port PORT [options] --client SPEC ...
 *
 * Options:
 *   --port PORT          listen on 127.0.0.1:PORT (required; never another
 *                        address); 0: a free port chosen by the system
 *   --issuer URL         issuer identifier (default http://127.0.0.1:PORT); a path
 *                        in it is also accepted as a prefix of every route
 *   --name TEXT          name shown on the provider's pages (default "Test OP")
 *   --client SPEC        a client, repeatable:
 *                          id:secret:auth_method:redirect_uri[,post_logout_uri...][;key=value...]
 *                        auth_method: client_secret_basic, client_secret_post or none
 *                        (the secret may then be empty). Every `;key=value` sets a
 *                        client metadata field, e.g. `;id_token_signed_response_alg=ES256`;
 *                        values of keys ending in `_uris` or `_types` are comma lists.
 *   --client-json JSON   a client as raw oidc-provider client metadata, repeatable
 *   --config FILE        a JSON file {"issuer", "name", "clients": [metadata...],
 *                        "userinfo", "conformIdTokenClaims"}; options given on the
 *                        command line win
 *   --no-userinfo        no userinfo_endpoint (claims come from the ID token only)
 *   --conform-id-token-claims
 *                        the ID token carries only `sub` and protocol claims; the
 *                        scope's claims come from the userinfo endpoint
 *   --tls-cert FILE, --tls-key FILE
 *                        serve https with this certificate (PEM) and key; the
 *                        default issuer is then https://127.0.0.1:PORT
 *   --quiet              no request log on stdout
 *   --v9                 run oidc-provider 9 (the npm alias oidc-provider9)
 *                        instead of 8: it also offers the RFC 9864 name Ed25519
 *                        (id_token_signed_response_alg=Ed25519 signs with
 *                        "alg": "Ed25519"); PKCE S256 is then its only method
 *
 * Accounts: any login name (any password) is an account with
 *   sub = LOGIN, email = LOGIN@example.com, email_verified = true,
 *   name = "<Login> Tester", given_name = "<Login>", family_name = "Tester",
 *   preferred_username = LOGIN, groups = ["staff", "users"] (+ "admins" for a
 *   login starting with "admin"). Scopes: openid; email (email, email_verified);
 *   profile (name, given_name, family_name, preferred_username, groups).
 *
 * Pages, each a plain HTML form a curl script can drive:
 *   GET  /interaction/UID          login form or consent form
 *   POST /interaction/UID/login    fields: login, password
 *   POST /interaction/UID/confirm  grants the requested scopes and claims
 *   GET  /interaction/UID/abort    ends the request with error=access_denied
 *   GET  /session/end?...          RP-initiated logout: a form (hidden `xsrf`)
 *                                  posted to /session/end/confirm with logout=yes
 *
 * PKCE S256 is required. ID tokens are signed with RS256 by default; the keys
 * also allow RS384/512, PS256/384/512, ES256 (P-256), ES384 (P-384), EdDSA
 * (Ed25519), and HS256/384/512 with the client secret, per client
 * (id_token_signed_response_alg). Keys are fresh on every start.
 *
 * Prints "listening on 127.0.0.1:PORT" and "ready ISSUER" on stdout once
 * listening, then one line per request and per protocol error event; exits 0
 * on SIGTERM or SIGINT.
 */

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/* Which oidc-provider: 8 (the default) or 9 (--v9), loaded in main(). */
let Provider;

const MAX_FORM_BYTES = 64 * 1024;
const MAX_LOGIN_CHARS = 200;

const TTL = {
	AccessToken: 3600,
	AuthorizationCode: 600,	/* long: tests run on loaded machines */
	BackchannelAuthenticationRequest: 600,
	ClientCredentials: 600,
	DeviceCode: 600,
	Grant: 3600,
	IdToken: 3600,
	Interaction: 600,
	RefreshToken: 86400,
	Session: 3600,
};

const ID_TOKEN_ALGS = [
	'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
	'ES256', 'ES384', 'EdDSA', 'HS256', 'HS384', 'HS512',
];
/* oidc-provider 9 also knows Ed25519 (RFC 9864), the same key as EdDSA. */
const ID_TOKEN_ALGS_V9 = [...ID_TOKEN_ALGS, 'Ed25519'];

function fail(msg) {
	process.stderr.write(`provider.js: ${msg}\n`);
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			options: {
				port: { type: 'string' },
				issuer: { type: 'string' },
				name: { type: 'string' },
				client: { type: 'string', multiple: true, default: [] },
				'client-json': { type: 'string', multiple: true, default: [] },
				config: { type: 'string' },
				'no-userinfo': { type: 'boolean', default: false },
				'conform-id-token-claims': { type: 'boolean', default: false },
				quiet: { type: 'boolean', default: false },
				v9: { type: 'boolean', default: false },
				'tls-cert': { type: 'string' },
				'tls-key': { type: 'string' },
			},
			strict: true,
		}).values;
	} catch (err) {
		fail(err.message);
	}

	let file = {};
	if (parsed.config) {
		try {
			file = JSON.parse(readFileSync(parsed.config, 'utf8'));
		} catch (err) {
			fail(`--config ${parsed.config}: ${err.message}`);
		}
	}

	const port = Number(parsed.port ?? file.port);
	if (parsed.port === undefined && file.port === undefined ||
	    !Number.isInteger(port) || port < 0 || port > 65535)
		fail('--port PORT is required (0-65535; 0: any free port)');

	const clients = [
		...(file.clients ?? []),
		...parsed.client.map(parseClientSpec),
		...parsed['client-json'].map((j) => {
			try {
				return JSON.parse(j);
			} catch (err) {
				return fail(`--client-json: ${err.message}`);
			}
		}),
	];
	if (clients.length === 0)
		fail('at least one --client is required');
	if ((parsed['tls-cert'] === undefined) !== (parsed['tls-key'] === undefined))
		fail('--tls-cert and --tls-key go together');
	let tls = null;
	if (parsed['tls-cert'] !== undefined) {
		try {
			tls = { cert: readFileSync(parsed['tls-cert']),
			    key: readFileSync(parsed['tls-key']) };
		} catch (err) {
			fail(`--tls-cert/--tls-key: ${err.message}`);
		}
	}

	return {
		port,
		issuer: parsed.issuer ?? file.issuer,
		name: parsed.name ?? file.name ?? 'Test OP',
		clients,
		userinfo: parsed['no-userinfo'] ? false : (file.userinfo ?? true),
		conformIdTokenClaims: parsed['conform-id-token-claims'] ||
		    Boolean(file.conformIdTokenClaims),
		quiet: parsed.quiet,
		v9: parsed.v9,
		tls,
	};
}

/* id:secret:auth_method:redirect_uri[,post_logout_uri...][;key=value...] */
function parseClientSpec(spec) {
	const [core, ...extras] = spec.split(';');
	const fields = [];
	let rest = core;
	for (let i = 0; i < 3; i++) {
		const colon = rest.indexOf(':');
		if (colon < 0)
			fail(`--client ${spec}: expected id:secret:auth_method:redirect_uri`);
		fields.push(rest.slice(0, colon));
		rest = rest.slice(colon + 1);
	}
	const [clientId, secret, method] = fields;
	const [redirectUri, ...postLogout] = rest.split(',').filter(Boolean);
	if (!clientId || !method || !redirectUri)
		fail(`--client ${spec}: id, auth_method and redirect_uri are required`);

	const meta = {
		client_id: clientId,
		token_endpoint_auth_method: method,
		redirect_uris: [redirectUri],
		post_logout_redirect_uris: postLogout,
		grant_types: ['authorization_code'],
		response_types: ['code'],
	};
	if (method !== 'none')
		meta.client_secret = secret;
	for (const extra of extras) {
		const eq = extra.indexOf('=');
		if (eq <= 0)
			fail(`--client ${spec}: expected ;key=value, got "${extra}"`);
		const key = extra.slice(0, eq);
		const value = extra.slice(eq + 1);
		meta[key] = /_(uris|types)$/.test(key) ?
		    value.split(',').filter(Boolean) : value;
	}
	return meta;
}

function freshJwks() {
	const jwk = (type, opts) =>
	    crypto.generateKeyPairSync(type, opts).privateKey.export({ format: 'jwk' });
	const keys = [
		{ ...jwk('rsa', { modulusLength: 2048 }), use: 'sig' },
		{ ...jwk('ec', { namedCurve: 'P-256' }), use: 'sig' },
		{ ...jwk('ec', { namedCurve: 'P-384' }), use: 'sig' },
		{ ...jwk('ed25519'), use: 'sig' },
	];
	for (const key of keys)
		key.kid = crypto.randomBytes(8).toString('hex');
	return { keys };
}

/* An in-memory store: what oidc-provider calls an adapter. */
const store = new Map();

/* The models a grant issues, revoked with it. */
const GRANTABLE = new Set([
	'AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode',
	'BackchannelAuthenticationRequest',
]);

class MemoryStore {
	constructor(model) {
		this.model = model;
	}

	key(id) {
		return `${this.model}:${id}`;
	}

	static get(key) {
		const entry = store.get(key);
		if (entry === undefined)
			return undefined;
		if (entry.expiresAt !== 0 && entry.expiresAt < Date.now()) {
			store.delete(key);
			return undefined;
		}
		return entry.value;
	}

	static set(key, value, expiresIn) {
		store.set(key, {
			value,
			expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0,
		});
	}

	async upsert(id, payload, expiresIn) {
		const key = this.key(id);
		if (this.model === 'Session')
			MemoryStore.set(`sessionUid:${payload.uid}`, id, expiresIn);
		/*
		 * Only what a grant issues dies with it (as oidc-provider's own
		 * memory adapter does): an Interaction also names its grant, and
		 * revoking the grant at a session end must not drop the login in
		 * progress (another account signing in ends the previous one's
		 * session first, then resumes that login).
		 */
		if (payload.grantId && GRANTABLE.has(this.model)) {
			const grantKey = `grant:${payload.grantId}`;
			const members = MemoryStore.get(grantKey) ?? [];
			members.push(key);
			MemoryStore.set(grantKey, members, 0);
		}
		if (payload.userCode)
			MemoryStore.set(`userCode:${payload.userCode}`, id, expiresIn);
		MemoryStore.set(key, payload, expiresIn);
	}

	async find(id) {
		return MemoryStore.get(this.key(id));
	}

	async findByUid(uid) {
		const id = MemoryStore.get(`sessionUid:${uid}`);
		return id === undefined ? undefined : this.find(id);
	}

	async findByUserCode(userCode) {
		const id = MemoryStore.get(`userCode:${userCode}`);
		return id === undefined ? undefined : this.find(id);
	}

	async consume(id) {
		const payload = MemoryStore.get(this.key(id));
		if (payload)
			payload.consumed = Math.floor(Date.now() / 1000);
	}

	async destroy(id) {
		store.delete(this.key(id));
	}

	async revokeByGrantId(grantId) {
		const grantKey = `grant:${grantId}`;
		for (const key of MemoryStore.get(grantKey) ?? [])
			store.delete(key);
		store.delete(grantKey);
	}
}

function account(login) {
	const given = login.charAt(0).toUpperCase() + login.slice(1);
	const groups = ['staff', 'users'];
	if (login.startsWith('admin'))
		groups.push('admins');
	return {
		accountId: login,
		async claims() {
			return {
				sub: login,
				email: `${login}@example.com`,
				email_verified: true,
				name: `${given} Tester`,
				given_name: given,
				family_name: 'Tester',
				preferred_username: login,
				groups,
			};
		},
	};
}

function esc(value) {
	return String(value ?? '').replace(/[&<>"']/g, (c) => ({
		'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
	})[c]);
}

function page(opname, title, body) {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - ${esc(opname)}</title>
<style>
body { font-family: system-ui, sans-serif; background: #f4f4f6; margin: 0; }
main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem 2rem;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.3rem; margin-top: 0; }
label { display: block; margin: .6rem 0; }
input { display: block; width: 100%; box-sizing: border-box; padding: .4rem; }
button { padding: .5rem 1rem; margin-top: .6rem; }
.hint { color: #666; font-size: .9rem; }
.error { color: #b00020; }
</style>
</head>
<body>
<main>
<h1>${esc(opname)}</h1>
${body}
</main>
</body>
</html>
`;
}

function send(res, status, html) {
	res.statusCode = status;
	res.setHeader('Content-Type', 'text/html; charset=utf-8');
	res.setHeader('Cache-Control', 'no-store');
	res.end(html);
}

function readForm(req) {
	return new Promise((resolve, reject) => {
		let size = 0;
		const chunks = [];
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_FORM_BYTES) {
				reject(new Error('form too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () =>
		    resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
		req.on('error', reject);
	});
}

function loginPage(opts, uid, client, message) {
	return page(opts.name, 'Sign in', `
<p>Sign in to continue to <b>${esc(client?.clientName ?? client?.clientId)}</b>.</p>
<p class="hint">Test provider: any login name and any password work.</p>
${message ? `<p class="error">${esc(message)}</p>` : ''}
<form method="post" action="${esc(opts.mount)}/interaction/${esc(uid)}/login">
<label>Login <input name="login" autocomplete="username" autofocus required></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
<p><a id="abort" href="${esc(opts.mount)}/interaction/${esc(uid)}/abort">Cancel</a></p>
`);
}

function consentPage(opts, uid, client, details, params) {
	const scopes = details.missingOIDCScope ?? String(params.scope ?? '').split(' ');
	return page(opts.name, 'Authorize', `
<p><b>${esc(client?.clientName ?? client?.clientId)}</b> asks for: ${esc(scopes.join(', '))}.</p>
<form method="post" action="${esc(opts.mount)}/interaction/${esc(uid)}/confirm">
<input type="hidden" name="prompt" value="consent">
<button type="submit">Allow</button>
</form>
<p><a id="abort" href="${esc(opts.mount)}/interaction/${esc(uid)}/abort">Deny</a></p>
`);
}

async function grantConsent(provider, details, session, params, grantId) {
	const grant = grantId ? await provider.Grant.find(grantId) :
	    new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
	if (details.missingOIDCScope)
		grant.addOIDCScope(details.missingOIDCScope.join(' '));
	if (details.missingOIDCClaims)
		grant.addOIDCClaims(details.missingOIDCClaims);
	for (const [indicator, scope] of Object.entries(details.missingResourceScopes ?? {}))
		grant.addResourceScope(indicator, scope.join(' '));
	return grant.save();
}

async function interaction(provider, opts, req, res, rest) {
	const [uid, action = ''] = rest.split('/');
	const found = await provider.interactionDetails(req, res);
	if (found.uid !== uid)
		return send(res, 400, page(opts.name, 'Error', '<p>This sign-in request is not the current one.</p>'));
	const { prompt, params, session, grantId } = found;
	const client = await provider.Client.find(params.client_id);

	if (action === 'abort' && (req.method === 'GET' || req.method === 'POST')) {
		return provider.interactionFinished(req, res, {
			error: 'access_denied',
			error_description: 'End-User aborted interaction',
		}, { mergeWithLastSubmission: false });
	}
	if (action === '' && req.method === 'GET') {
		if (prompt.name === 'login')
			return send(res, 200, loginPage(opts, uid, client));
		if (prompt.name === 'consent')
			return send(res, 200, consentPage(opts, uid, client, prompt.details, params));
		return send(res, 501, page(opts.name, 'Error', `<p>Prompt ${esc(prompt.name)} is not implemented.</p>`));
	}
	if (action === 'login' && req.method === 'POST' && prompt.name === 'login') {
		const form = await readForm(req);
		const login = (form.get('login') ?? '').trim();
		if (login === '' || login.length > MAX_LOGIN_CHARS)
			return send(res, 400, loginPage(opts, uid, client, 'Enter a login name.'));
		return provider.interactionFinished(req, res,
		    { login: { accountId: login } }, { mergeWithLastSubmission: false });
	}
	if (action === 'confirm' && req.method === 'POST' && prompt.name === 'consent') {
		await readForm(req);
		const id = await grantConsent(provider, prompt.details, session, params, grantId);
		return provider.interactionFinished(req, res,
		    { consent: { grantId: id } }, { mergeWithLastSubmission: true });
	}
	return send(res, 400, page(opts.name, 'Error', '<p>Unexpected step for this sign-in request.</p>'));
}

function logoutSource(opts) {
	return async (ctx, form) => {
		ctx.type = 'html';
		ctx.body = page(opts.name, 'Sign out', `
<p>Sign out of ${esc(opts.name)}?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>
`);
	};
}

function postLogoutSuccessSource(opts) {
	return async (ctx) => {
		ctx.type = 'html';
		ctx.body = page(opts.name, 'Signed out', '<p>You are signed out.</p>');
	};
}

function renderError(opts) {
	return async (ctx, out) => {
		ctx.type = 'html';
		ctx.body = page(opts.name, 'Error', Object.entries(out)
		    .map(([k, v]) => `<p><b>${esc(k)}</b>: ${esc(v)}</p>`).join('\n'));
	};
}

function configuration(opts) {
	return {
		adapter: MemoryStore,
		clients: opts.clients,
		jwks: freshJwks(),
		cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
		findAccount: async (ctx, sub) => account(sub),
		claims: {
			openid: ['sub'],
			email: ['email', 'email_verified'],
			profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'],
		},
		conformIdTokenClaims: opts.conformIdTokenClaims,
		responseTypes: ['code'],
		/* 9 knows only S256 and has no `methods` option any more. */
		pkce: opts.v9 ? { required: () => true } :
		    { methods: ['S256'], required: () => true },
		enabledJWA: {
			idTokenSigningAlgValues: opts.v9 ? ID_TOKEN_ALGS_V9 : ID_TOKEN_ALGS,
		},
		features: {
			devInteractions: { enabled: false },
			userinfo: { enabled: opts.userinfo },
			rpInitiatedLogout: {
				enabled: true,
				logoutSource: logoutSource(opts),
				postLogoutSuccessSource: postLogoutSuccessSource(opts),
			},
		},
		interactions: {
			url: async (ctx, found) => `${opts.mount}/interaction/${found.uid}`,
		},
		clientBasedCORS: () => false,
		renderError: renderError(opts),
		ttl: TTL,
	};
}

function logEvents(provider, opts) {
	const errorEvents = [
		'authorization.error', 'backchannel.error', 'discovery.error',
		'end_session.error', 'grant.error', 'introspection.error',
		'jwks.error', 'registration_create.error', 'revocation.error',
		'userinfo.error',
	];
	for (const name of errorEvents) {
		provider.on(name, (ctx, err) => {
			if (!opts.quiet)
				console.log(`event ${name} ${err.error ?? err.name}: ${err.error_description ?? err.message}${err.error_detail ? ` (${err.error_detail})` : ''}`);
		});
	}
	provider.on('server_error', (ctx, err) => {
		console.error(`server_error: ${err.stack ?? err}`);
	});
}

function handler(provider, opts) {
	const callback = provider.callback();
	return (req, res) => {
		if (!opts.quiet) {
			res.on('finish', () => {
				const path = (req.url ?? '').split('?')[0];
				console.log(`${req.method} ${path} ${res.statusCode}`);
			});
		}
		let path = (req.url ?? '/').split('?')[0];
		if (opts.mount && path.startsWith(`${opts.mount}/`)) {
			/* As a mounted app: oidc-provider finds its mount path here. */
			req.originalUrl = req.url;
			req.url = req.url.slice(opts.mount.length);
			path = path.slice(opts.mount.length);
		}
		if (!path.startsWith('/interaction/')) {
			callback(req, res);
			return;
		}
		interaction(provider, opts, req, res, path.slice('/interaction/'.length))
		    .catch((err) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			const status = err.statusCode ?? err.status ?? 500;
			if (status >= 500)
				console.error(`interaction: ${err.stack ?? err}`);
			send(res, status >= 400 && status < 600 ? status : 500,
			    page(opts.name, 'Error', `<p>${esc(err.error_description ?? err.message)}</p>`));
		});
	};
}

/*
 * Listens first, so that with --port 0 the issuer can name the port the
 * system chose; requests cannot arrive before "ready" is printed anyway.
 */
async function main() {
	const opts = readOptions();
	({ default: Provider } = await import(opts.v9 ? 'oidc-provider9' : 'oidc-provider'));
	const server = opts.tls ? https.createServer(opts.tls) :
	    http.createServer();

	server.on('error', (err) => fail(`listen 127.0.0.1:${opts.port}: ${err.message}`));
	server.listen(opts.port, '127.0.0.1', async () => {
		const { port } = server.address();
		opts.issuer ??= `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
		opts.mount = new URL(opts.issuer).pathname.replace(/\/$/, '');

		let provider;
		try {
			provider = new Provider(opts.issuer, configuration(opts));
		} catch (err) {
			fail(`bad configuration: ${err.message}`);
		}
		logEvents(provider, opts);
		/* oidc-provider checks static clients on first use; do it now. */
		for (const client of opts.clients) {
			try {
				await provider.Client.find(String(client.client_id));
			} catch (err) {
				fail(`client ${client.client_id}: ${err.error_description ?? err.message}`);
			}
		}
		server.on('request', handler(provider, opts));
		console.log(`listening on 127.0.0.1:${port}`);
		console.log(`ready ${opts.issuer}`);
	});

	const stop = () => {
		server.close(() => process.exit(0));
		server.closeAllConnections();
		setTimeout(() => process.exit(0), 1000).unref();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main();
