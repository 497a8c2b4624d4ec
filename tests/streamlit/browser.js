#!/usr/bin/env node
/*
 * A real browser (headless Chromium through playwright-core) opens the
 * stand-in Streamlit app (tests/streamlit/app.js) behind a web server and
 * oidc-login: it is sent to the sign-in page, picks a provider, signs in
 * at tests/op/provider.js, lands back on the app, and the app's page then
 * has its WebSocket open and shows the user the server told the app about.
 *
 * Usage:
 *   node tests/streamlit/browser.js BASE_URL APP_PATH --provider NAME
 *       --login LOGIN --expect-user USER [--expect-email EMAIL]
 *       [--expect-name NAME] [--chromium PATH]
 *
 * Prints one line per check, "PASS description" or "FAIL description:
 * details", for the calling shell test to count; exits 0 (2 on bad usage).
 */

import { parseArgs } from 'node:util';

import { STEP_TIMEOUT_MS, withBrowser } from '../browser/lib.mjs';

function check(pass, description, details) {
	if (pass)
		console.log(`PASS ${description}`);
	else
		console.log(`FAIL ${description}: ${String(details ?? '').replace(/\s+/g, ' ').slice(0, 500)}`);
	return pass;
}

function same(got, expected, description) {
	return check(got === expected, description,
	    `got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

function usage(msg) {
	process.stderr.write(`browser.js: ${msg}\n`);
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: {
				provider: { type: 'string' },
				login: { type: 'string' },
				'expect-user': { type: 'string' },
				'expect-email': { type: 'string', default: '' },
				'expect-name': { type: 'string', default: '' },
				chromium: { type: 'string' },
			},
			strict: true,
		});
	} catch (err) {
		usage(err.message);
	}
	const v = parsed.values;
	if (parsed.positionals.length !== 2 || !v.provider || !v.login ||
	    v['expect-user'] === undefined)
		usage('BASE_URL APP_PATH --provider NAME --login LOGIN --expect-user USER');
	const base = parsed.positionals[0].replace(/\/$/, '');
	return {
		base,
		origin: new URL(base).origin,
		appUrl: base + parsed.positionals[1],
		provider: v.provider,
		login: v.login,
		user: v['expect-user'],
		email: v['expect-email'],
		name: v['expect-name'],
		chromium: v.chromium ?? process.env.CHROMIUM ?? '/usr/bin/chromium',
	};
}

/* The app's page, the provider choice, the provider's forms, back. */
async function signIn(opts, page) {
	await page.goto(opts.appUrl, { waitUntil: 'load' });
	const at = new URL(page.url());
	check(at.origin === opts.origin && at.pathname.startsWith('/auth'),
	    'a stranger opening the app is sent to the sign-in page', page.url());
	const link = page.locator(`a[href*="/login/${opts.provider}"]`).first();
	check(await link.count() > 0, `the sign-in page offers ${opts.provider}`, page.url());
	await Promise.all([page.waitForURL((u) => u.origin !== opts.origin), link.click()]);
	await page.waitForLoadState('load');
	if (await page.locator('input[name="login"]').count() > 0) {
		await page.locator('input[name="login"]').fill(opts.login);
		await page.locator('input[name="password"]').fill('any password');
		await Promise.all([page.waitForNavigation(),
		    page.locator('form button[type="submit"]').click()]);
	}
	if (new URL(page.url()).origin !== opts.origin &&
	    await page.locator('form[action*="/confirm"]').count() > 0) {
		await Promise.all([page.waitForURL((u) => u.origin === opts.origin),
		    page.locator('form[action*="/confirm"] button[type="submit"]').click()]);
	}
	await page.waitForLoadState('load');
	same(page.url(), opts.appUrl, 'after signing in, the browser is back on the app');
}

/* The page's WebSocket is open and the app told it who is there. */
async function appShowsUser(opts, page) {
	try {
		await page.waitForSelector('body[data-hello="yes"]', { timeout: STEP_TIMEOUT_MS });
	} catch {
		check(false, "the app's WebSocket delivered its first message",
		    `data-ws=${await page.locator('body').getAttribute('data-ws')}`);
		return;
	}
	check(true, "the app's WebSocket delivered its first message");
	same(await page.locator('body').getAttribute('data-ws'), 'open',
	    "the app's WebSocket is open");
	same(await page.locator('#user').innerText(), opts.user, 'the app shows the user');
	same(await page.locator('#email').innerText(), opts.email, 'the app shows the e-mail');
	same(await page.locator('#name').innerText(), opts.name, 'the app shows the name');
	same(await page.locator('#provider').innerText(), opts.provider,
	    'the app shows the provider');
}

async function main() {
	const opts = readOptions();
	await withBrowser({
		executablePath: opts.chromium,
		locale: 'en-US',
	}, async (page) => {
		await signIn(opts, page);
		await appShowsUser(opts, page);
	}, (err) => {
		check(false, 'the browser walk runs to its end', err.stack ?? String(err));
	});
	process.exit(0);
}

main();
