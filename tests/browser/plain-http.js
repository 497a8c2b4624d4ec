#!/usr/bin/env node
/*
 * A site set up for https (its redirect_uri is https) opened over plain
 * http in a real browser (headless Chromium through playwright-core):
 * the protected page sends to the login page, the provider's button
 * ends, after one cookie test, on an error page that says why and links
 * to the https login: no loop, and the provider is never reached.  The
 * link then leads to the provider's login form.
 *
 * Usage:
 *   node tests/browser/plain-http.js PLAIN_URL PROTECTED_PATH HTTPS_BASE
 *       [--provider NAME] [--chromium PATH] [--chromium-arg ARG]...
 *     PLAIN_URL       the site over http, e.g. http://site.test:8080
 *     PROTECTED_PATH  a page oidc-login guards, e.g. /private/page
 *     HTTPS_BASE      the site's https origin, as in redirect_uri
 *
 * Chromium keeps Secure cookies for localhost and 127.0.0.1 even over
 * http: use another host name (--chromium-arg
 * '--host-resolver-rules=MAP site.test 127.0.0.1').  Over https it
 * needs to trust the CA: run it with a HOME whose NSS database does.
 * Prints TAP; exits 0 when every test passed, 1 otherwise, 2 on bad usage.
 */

import { parseArgs } from 'node:util';

import { STEP_TIMEOUT_MS, finish, ok, withBrowser } from './lib.mjs';

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: {
				provider: { type: 'string', default: 'alpha' },
				chromium: { type: 'string' },
				'chromium-arg': { type: 'string', multiple: true,
				    default: [] },
			},
			strict: true,
		});
	} catch (err) {
		process.stderr.write(`plain-http.js: ${err.message}\n`);
		process.exit(2);
	}
	if (parsed.positionals.length !== 3) {
		process.stderr.write('usage: node tests/browser/plain-http.js ' +
		    'PLAIN_URL PROTECTED_PATH HTTPS_BASE [--provider NAME] ' +
		    '[--chromium PATH] [--chromium-arg ARG]...\n');
		process.exit(2);
	}
	const [plain, path, https] = parsed.positionals;
	return {
		plain: plain.replace(/\/$/, ''),
		path,
		https: https.replace(/\/$/, ''),
		provider: parsed.values.provider,
		chromium: parsed.values.chromium ?? process.env.CHROMIUM ??
		    '/usr/bin/chromium',
		chromiumArgs: parsed.values['chromium-arg'],
	};
}

async function run(opts, page) {
	const plainOrigin = new URL(opts.plain).origin;
	const seen = [];
	page.on('request', (r) => {
		if (r.isNavigationRequest())
			seen.push(r.url());
	});

	await page.goto(opts.plain + opts.path, { waitUntil: 'load' });
	ok(new URL(page.url()).pathname.startsWith('/auth/'),
	    'over http: the protected page sends to the login page', page.url());
	const link = page.locator(`a[href*="/login/${opts.provider}"]`).first();
	ok(await link.count() > 0, 'the login page offers the provider');

	seen.length = 0;
	const done = page.waitForResponse((r) => r.request().isNavigationRequest() &&
	    r.status() !== 302, { timeout: STEP_TIMEOUT_MS });
	await link.click();
	const res = await done;
	await page.waitForLoadState('load');
	ok(res.status() === 400, 'its button ends on a 400 page',
	    `${res.status()} at ${res.url()}`);
	ok(new URL(page.url()).origin === plainOrigin,
	    'the browser stayed on the site: the provider was not reached',
	    page.url());
	const logins = seen.filter((u) => new URL(u).pathname.includes('/login'));
	ok(logins.length === 2, 'one cookie test, no loop (two login requests)',
	    seen.join('\n'));
	const text = await page.locator('body').innerText();
	ok(/opened over plain http/.test(text) && /https:\/\//.test(text),
	    'the page says why: opened over plain http, use https://',
	    text.slice(0, 800));
	const retry = page.locator(`a[href^="${opts.https}/"]`).first();
	ok(await retry.count() > 0, 'it links to the login over https',
	    await page.content());

	await Promise.all([page.waitForURL((u) => u.origin !== plainOrigin &&
	    u.origin !== opts.https), retry.click()]);
	await page.waitForLoadState('load');
	ok(await page.locator('input[name="login"]').count() > 0,
	    'the https link leads to the provider\'s login form', page.url());
}

async function main() {
	const opts = readOptions();
	await withBrowser({
		executablePath: opts.chromium,
		args: opts.chromiumArgs,
	}, (page) => run(opts, page), (err) => {
		ok(false, 'the walk runs to its end', err.stack ?? String(err));
	});
	finish();
}

main();
