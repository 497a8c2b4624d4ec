#!/usr/bin/env node
/*
 * Logout CSRF in a real browser (headless Chromium through
 * playwright-core): signed in at oidc-login, the user visits a page on
 * another origin that auto-submits a form POST to /auth/logout.  The
 * user must still be signed in afterwards.
 *
 * Two attacker origins, served by this script on one port of its own:
 *   same-site   http://127.0.0.1:PORT/    (another port: the same site
 *               for cookies, so the SameSite=Lax session cookie IS sent)
 *   cross-site  http://attacker.test:PORT/ (mapped to 127.0.0.1 by the
 *               browser's resolver: the session cookie is NOT sent)
 * and, last, the user's own sign-out through the confirmation page (the
 * control: the browser does see a sign-out when there is one).
 *
 * Usage:
 *   node tests/hostile/logout-csrf.js AUTH_URL PROVIDER [--chromium PATH]
 *     AUTH_URL   where oidc-login is mounted, e.g. http://127.0.0.1:8080/auth
 *     PROVIDER   a provider that signs in without a form (the hostile one)
 *
 * Prints one JSON object:
 *   { "signed_in": bool,                       after the sign-in
 *     "same_site": RESULT, "cross_site": RESULT,
 *     "own_logout": { "signed_in_before": bool, "signed_in_after": bool } }
 * RESULT = { "post_status": N (0: the POST never reached oidc-login),
 *            "cookie_sent": bool, "set_cookie": "...", "location": "...",
 *            "signed_in_after": bool }
 * (as far as it got).  Exits 0 when it ran to its end, 1 otherwise (the
 * error on stderr).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const STEP_TIMEOUT_MS = 15000;

function usage(msg) {
	process.stderr.write(`logout-csrf.js: ${msg}\n` +
	    'usage: node tests/hostile/logout-csrf.js AUTH_URL PROVIDER ' +
	    '[--chromium PATH]\n');
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: { chromium: { type: 'string' } },
			strict: true,
		});
	} catch (err) {
		usage(err.message);
	}
	if (parsed.positionals.length !== 2)
		usage('AUTH_URL and PROVIDER are required');
	const [auth, provider] = parsed.positionals;
	return {
		auth: auth.replace(/\/$/, ''),
		provider,
		chromium: parsed.values.chromium ?? process.env.CHROMIUM ??
		    '/usr/bin/chromium',
	};
}

/* The attacker's page: a form that posts itself to /auth/logout. */
function attackerServer(auth) {
	const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Win a prize</title></head>
<body><form method="post" action="${auth}/logout">
<input type="hidden" name="return_to" value="/">
</form>
<script>document.forms[0].submit();</script></body></html>
`;
	const server = http.createServer((req, res) => {
		res.writeHead(200, {
			'Content-Type': 'text/html; charset=utf-8',
			'Cache-Control': 'no-store',
		});
		res.end(page);
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

async function signedIn(page, auth) {
	const res = await page.request.get(`${auth}/user`, {
		headers: { Accept: 'application/json' },
	});
	return (await res.json()).is_logged_in === true;
}

/* Visits the attacker's page; reports what its POST did. */
async function attack(page, auth, url) {
	const logout = new URL(`${auth}/logout`).href;
	let post = null;
	const seen = (res) => {
		if (res.url() === logout && res.request().method() === 'POST')
			post = res;
	};
	page.on('response', seen);
	/* The form submits itself: its answer, whenever it comes. */
	const answered = page.waitForResponse((r) => r.url() === logout &&
	    r.request().method() === 'POST').catch(() => {});
	await page.goto(url, { waitUntil: 'load' });
	await answered;
	await page.waitForLoadState('load').catch(() => {});
	page.off('response', seen);
	const result = { post_status: 0, cookie_sent: false, set_cookie: '',
	    location: '' };
	if (post !== null) {
		const sent = await post.request().allHeaders();
		const got = await post.allHeaders();
		result.post_status = post.status();
		result.cookie_sent = /(^|;\s*)oidc_login=/.test(sent.cookie ?? '');
		result.set_cookie = got['set-cookie'] ?? '';
		result.location = got.location ?? '';
	}
	result.signed_in_after = await signedIn(page, auth);
	return result;
}

async function signIn(page, opts) {
	/* The hostile provider answers at once: straight back signed in. */
	await page.goto(`${opts.auth}/login/${opts.provider}?return_to=%2F`,
	    { waitUntil: 'load' });
	return signedIn(page, opts.auth);
}

/*
 * The user's own sign-out (signed in again first, should an attack have
 * signed the user out): the confirmation page and its button.
 */
async function ownLogout(page, opts) {
	const auth = opts.auth;
	const before = await signIn(page, opts);
	await page.goto(`${auth}/logout?return_to=/`, { waitUntil: 'load' });
	await Promise.all([
		page.waitForURL((u) => !u.href.startsWith(`${auth}/logout`)),
		page.locator('form[method="post"] button, form[method="POST"] button,' +
		    ' form[method="post"] input[type="submit"]').first().click(),
	]);
	await page.waitForLoadState('load').catch(() => {});
	return { signed_in_before: before,
	    signed_in_after: await signedIn(page, auth) };
}

async function main() {
	const opts = readOptions();
	const server = await attackerServer(opts.auth);
	const port = server.address().port;
	const profile = mkdtempSync(join(tmpdir(), 'oidc-login-chromium-'));
	let context;
	let code = 0;
	const out = {};
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: opts.chromium,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu',
			    '--disable-background-networking', '--disable-quic',
			    '--no-first-run', '--disable-component-update',
			    '--disable-sync',
			    '--host-resolver-rules=MAP attacker.test 127.0.0.1'],
		});
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		const page = context.pages()[0] ?? await context.newPage();
		out.signed_in = await signIn(page, opts);
		out.same_site = await attack(page, opts.auth,
		    `http://127.0.0.1:${port}/`);
		/* Each attack on a signed-in browser. */
		await signIn(page, opts);
		out.cross_site = await attack(page, opts.auth,
		    `http://attacker.test:${port}/`);
		out.own_logout = await ownLogout(page, opts);
	} catch (err) {
		process.stderr.write(`logout-csrf.js: ${err.stack ?? err}\n`);
		code = 1;
	} finally {
		/* What was found so far, even after an error. */
		process.stdout.write(`${JSON.stringify(out)}\n`);
		await context?.close().catch(() => {});
		server.close();
		rmSync(profile, { recursive: true, force: true });
	}
	process.exit(code);
}

main();
