#!/usr/bin/env node
/*
 * The whole sign-in flow in a real browser (headless Chromium through
 * playwright-core), whatever web server is in front of oidc-login:
 *
 *   protected page -> provider choice -> the provider's login form
 *   -> Cancel -> error page (access denied)
 *   -> protected page again -> provider -> sign in, consent
 *   -> back on the protected page, signed in -> sign out (confirmation,
 *   the provider's logout) -> signed out, the protected page asks to sign in.
 *
 * Usage:
 *   node tests/browser/flow.js BASE_URL PROTECTED_PATH [options]
 *     BASE_URL         the site, e.g. http://127.0.0.1:8080
 *     PROTECTED_PATH   a page oidc-login guards as an authorizer, e.g. /private/
 *   --auth PATH        where oidc-login is mounted (default /auth)
 *   --provider NAME    the provider to choose, as in /login/NAME (default:
 *                      the first one offered)
 *   --login NAME       login name at the test provider (default alice)
 *   --expect TEXT      text the protected page shows when signed in
 *                      (default: none; /auth/user is checked either way)
 *   --screenshots DIR  save choose.png, provider-login.png, error.png,
 *                      signed-in.png there (1280x800)
 *   --chromium PATH    the browser (default $CHROMIUM or /usr/bin/chromium)
 *   --chromium-arg A   one more command-line flag for it, repeatable (e.g.
 *                      --host-resolver-rules=MAP site.test 127.0.0.1)
 *
 * Over https the browser checks the certificates: run it with a HOME whose
 * NSS database trusts the site's CA (tests/lib/tls.sh); the session
 * cookies must then be Secure and __Host-/__Secure- prefixed.
 *
 * The provider is tests/op/provider.js (login form with `login` and
 * `password`, a Cancel link #abort, a consent form, a logout form).
 * Prints TAP; exits 0 when every test passed, 1 otherwise, 2 on bad usage.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { diag, finish, is, ok, withBrowser } from './lib.mjs';

const VIEWPORT = { width: 1280, height: 800 };

function usage(msg) {
	process.stderr.write(`flow.js: ${msg}\n` +
	    'usage: node tests/browser/flow.js BASE_URL PROTECTED_PATH ' +
	    '[--auth PATH] [--provider NAME] [--login NAME] [--expect TEXT] ' +
	    '[--screenshots DIR] [--chromium PATH] [--chromium-arg ARG]...\n');
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: {
				auth: { type: 'string', default: '/auth' },
				provider: { type: 'string' },
				login: { type: 'string', default: 'alice' },
				expect: { type: 'string' },
				screenshots: { type: 'string' },
				chromium: { type: 'string' },
				'chromium-arg': { type: 'string', multiple: true,
				    default: [] },
			},
			strict: true,
		});
	} catch (err) {
		usage(err.message);
	}
	const [base, path] = parsed.positionals;
	if (parsed.positionals.length !== 2)
		usage('BASE_URL and PROTECTED_PATH are required');
	let origin;
	try {
		origin = new URL(base).origin;
	} catch {
		usage(`not a URL: ${base}`);
	}
	if (!path.startsWith('/'))
		usage('PROTECTED_PATH must start with /');
	const v = parsed.values;
	return {
		base: base.replace(/\/$/, ''),
		origin,
		protectedUrl: base.replace(/\/$/, '') + path,
		auth: base.replace(/\/$/, '') + v.auth.replace(/\/$/, ''),
		provider: v.provider,
		login: v.login,
		expect: v.expect,
		screenshots: v.screenshots,
		chromium: v.chromium ?? process.env.CHROMIUM ?? '/usr/bin/chromium',
		chromiumArgs: v['chromium-arg'],
	};
}

async function shoot(opts, page, name) {
	if (!opts.screenshots)
		return;
	mkdirSync(opts.screenshots, { recursive: true });
	await page.screenshot({ path: join(opts.screenshots, `${name}.png`) });
}

/* Follows the redirects of a navigation to PROTECTED_PATH; the response of the page it ends on. */
async function openProtected(opts, page) {
	return page.goto(opts.protectedUrl, { waitUntil: 'load' });
}

function providerLink(opts, page) {
	const sel = opts.provider ?
	    `a[href*="/login/${opts.provider}"], a[href*="provider=${opts.provider}"]` :
	    'a[href*="/login"]';
	return page.locator(sel).first();
}

/* The provider's login form is there: it has a login field. */
async function atProviderLogin(page) {
	return page.locator('input[name="login"]').count().then((n) => n > 0);
}

/*
 * /auth/user, asked by the browser itself in a second tab: its resolver
 * (--host-resolver-rules), its trust store and its cookies, which
 * Playwright's own request client would not share.
 */
async function whoAmI(page, opts) {
	const tab = await page.context().newPage();
	try {
		const res = await tab.goto(`${opts.auth}/user`);
		return await res.json();
	} finally {
		await tab.close();
	}
}

async function chooseProvider(opts, page, shotName) {
	const res = await openProtected(opts, page);
	const url = new URL(page.url());
	ok(url.origin === opts.origin && url.pathname.startsWith(new URL(opts.auth).pathname),
	    'the protected page sends the browser to oidc-login', `at ${page.url()}`);
	is(res?.status(), 200, 'the provider choice page answers 200');
	const link = providerLink(opts, page);
	ok(await link.count() > 0, 'it offers the provider');
	ok(url.searchParams.get('return_to') === new URL(opts.protectedUrl).pathname ||
	    (await link.getAttribute('href') ?? '').includes(encodeURIComponent(new URL(opts.protectedUrl).pathname)),
	    'the way back to the protected page is kept (return_to)', `at ${page.url()}`);
	if (shotName)
		await shoot(opts, page, shotName);
	await Promise.all([page.waitForURL((u) => u.origin !== opts.origin), link.click()]);
	await page.waitForLoadState('load');
}

async function cancelAtProvider(opts, page) {
	await chooseProvider(opts, page, 'choose');
	ok(await atProviderLogin(page), "the provider's login form is shown",
	    `at ${page.url()}`);
	await shoot(opts, page, 'provider-login');
	const callback = page.waitForResponse((r) =>
	    new URL(r.url()).origin === opts.origin && r.request().isNavigationRequest());
	await page.locator('#abort').click();
	const res = await callback;
	await page.waitForLoadState('load');
	is(res.status(), 400, 'Cancel at the provider: the callback answers 400');
	const text = await page.locator('body').innerText();
	ok(/denied|cancel/i.test(text), 'an error page that says access was denied',
	    text.slice(0, 500));
	ok(await page.locator('a[href]').count() > 0, 'with a way on (a link)');
	await shoot(opts, page, 'error');
	is((await whoAmI(page, opts)).is_logged_in, false, 'not signed in after the cancel');
}

async function signIn(opts, page) {
	await chooseProvider(opts, page, null);
	if (await atProviderLogin(page)) {
		await page.locator('input[name="login"]').fill(opts.login);
		await page.locator('input[name="password"]').fill('any password');
		await Promise.all([page.waitForNavigation(), page.locator('form button[type="submit"]').click()]);
	}
	/* The consent form, the first time. */
	if (new URL(page.url()).origin !== opts.origin &&
	    await page.locator('form[action*="/confirm"]').count() > 0) {
		await Promise.all([page.waitForURL((u) => u.origin === opts.origin),
		    page.locator('form[action*="/confirm"] button[type="submit"]').click()]);
	}
	await page.waitForLoadState('load');
	is(page.url(), opts.protectedUrl, 'signed in: back on the protected page');
	const text = await page.locator('body').innerText();
	if (opts.expect !== undefined)
		ok(text.includes(opts.expect), `the protected page shows "${opts.expect}"`,
		    text.slice(0, 500));
	const user = await whoAmI(page, opts);
	is(user.is_logged_in, true, '/user: is_logged_in');
	is(user.sub, opts.login, `/user: signed in as ${opts.login}`);
	await shoot(opts, page, 'signed-in');
	const cookies = await page.context().cookies(opts.base);
	const session = cookies.filter((c) => /^(__Host-)?oidc_login(_\d+)?$/.test(c.name));
	ok(session.length > 0 && session.every((c) => c.httpOnly),
	    'the session cookie is HttpOnly', JSON.stringify(cookies.map((c) => c.name)));
	if (new URL(opts.base).protocol === 'https:') {
		ok(session.length > 0 && session.every((c) => c.secure),
		    'over https: the session cookie is Secure',
		    JSON.stringify(session));
		ok(session.length > 0 && session.every((c) => /^__(Host|Secure)-/.test(c.name)),
		    'over https: and __Host-/__Secure- prefixed',
		    JSON.stringify(session.map((c) => c.name)));
	}
}

async function signOut(opts, page) {
	await page.goto(`${opts.auth}/logout?return_to=/`, { waitUntil: 'load' });
	const button = page.locator('form[method="post"] button[type="submit"]').first();
	ok(await button.count() > 0, 'the sign-out confirmation page has a button');
	await Promise.all([page.waitForNavigation(), button.click()]);
	await page.waitForLoadState('load');
	/* RP-initiated logout: the provider asks too. */
	if (new URL(page.url()).origin !== opts.origin) {
		const yes = page.locator('button[name="logout"][value="yes"]');
		ok(await yes.count() > 0, "the provider's sign-out page", `at ${page.url()}`);
		await Promise.all([page.waitForURL((u) => u.origin === opts.origin), yes.click()]);
		await page.waitForLoadState('load');
	}
	is(new URL(page.url()).origin, opts.origin, 'signed out: back on the site');
	is((await whoAmI(page, opts)).is_logged_in, false, '/user: signed out');
	await openProtected(opts, page);
	ok(page.url() !== opts.protectedUrl, 'the protected page asks to sign in again',
	    `at ${page.url()}`);
}

async function main() {
	const opts = readOptions();
	await withBrowser({
		executablePath: opts.chromium,
		args: opts.chromiumArgs,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		colorScheme: 'light',
		locale: 'en-US',
	}, async (page) => {
		for (const step of [cancelAtProvider, signIn, signOut])
			await step(opts, page);
	}, (err) => {
		ok(false, 'the flow runs to its end', err.stack ?? String(err));
	});
	finish();
}

main();
