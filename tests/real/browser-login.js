#!/usr/bin/env node
/*
 * Signs in (and out) through a provider whose login page needs JavaScript
 * (Glewlwyd's web application), in headless Chromium through
 * playwright-core, for the real-provider tests.  One browser for all the
 * cases of a test (starting Chromium is the slow part), a fresh context
 * (no cookies) for each.
 *
 * Usage:
 *   node tests/real/browser-login.js CASES.json [--screenshots DIR]
 *
 * CASES.json: an array of {name, start, user, password, jar, logout}:
 *   start     oidc-login's /login/NAME URL (a redirect to the provider)
 *   jar       where to write the site's cookies after the login, as a
 *             curl cookie jar, for the shell test's own requests
 *   logout    (optional) then sign out: oidc-login's /logout page, its
 *             form, the provider's end_session endpoint (confirmed there
 *             when it asks), back to the site
 * The login fills the provider's form (input username, input password,
 * its submit button), accepts its grant page when one comes (ticks the
 * scopes, "Grant access", "Continue"), and follows the redirects back.
 *
 * Prints one JSON object per case and line: {name, callback: {status,
 * location}, final, error} and, with logout, {endSession (the URL
 * oidc-login sent the browser to), afterLogout (the URL the provider
 * sent it back to, or the page it stayed on), providerClosed (the
 * provider said its session is closed and stayed on its page), user
 * (/auth/user then)}.  Exits 0 when every case
 * got through, 1 otherwise, 2 on bad usage.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

const STEP_TIMEOUT_MS = 15000;
const CHROMIUM_FLAGS = [
	'--headless', '--no-sandbox', '--disable-gpu',
	'--disable-background-networking', '--disable-quic', '--no-first-run',
	'--disable-component-update', '--disable-sync',
];

function usage(msg) {
	process.stderr.write(`browser-login.js: ${msg}\n`);
	process.exit(2);
}

const { values: opt, positionals } = (() => {
	try {
		return parseArgs({
			allowPositionals: true,
			options: {
				screenshots: { type: 'string' },
				chromium: { type: 'string' },
			},
			strict: true,
		});
	} catch (err) {
		return usage(err.message);
	}
})();
if (positionals.length !== 1)
	usage('usage: browser-login.js CASES.json [--screenshots DIR]');
const cases = JSON.parse(readFileSync(positionals[0], 'utf8'));

async function shoot(page, name) {
	if (!opt.screenshots)
		return;
	mkdirSync(opt.screenshots, { recursive: true });
	await page.screenshot({ path: join(opt.screenshots, `${page.caseName}-${name}.png`) });
}

/* Netscape cookie file, as curl reads it. */
function curlJar(site, cookies) {
	const lines = ['# Netscape HTTP Cookie File'];
	for (const c of cookies) {
		const host = c.domain.replace(/^\./, '');
		if (host !== new URL(site).hostname)
			continue;
		lines.push([c.httpOnly ? `#HttpOnly_${host}` : host, 'FALSE', c.path,
		    c.secure ? 'TRUE' : 'FALSE', Math.max(0, Math.floor(c.expires)),
		    c.name, c.value].join('\t'));
	}
	return `${lines.join('\n')}\n`;
}

/* Waits until the browser is at the site again, pressing the provider's
 * buttons on the way: its login form once, then any grant / confirm page. */
async function throughProvider(page, site, c, login, result = {}) {
	const deadline = Date.now() + (login ? 4 : 2) * STEP_TIMEOUT_MS;
	let filled = false;
	let granted = false;
	while (Date.now() < deadline) {
		await page.waitForLoadState('load');
		if (new URL(page.url()).origin === site)
			return;
		/* Glewlwyd 2.7.5 ends its session but stays on its own page: its
		 * end_session endpoint hands callback_url to login.html, which
		 * redirects only when given post_redirect_to. */
		if (!login && await page.getByText('Session closed').isVisible().catch(() => false)) {
			result.providerClosed = true;
			return;
		}
		if (login && !filled &&
		    await page.locator('input[name="username"]').isVisible().catch(() => false)) {
			await shoot(page, 'provider-login');
			await page.locator('input[name="username"]').fill(c.user);
			await page.locator('input[name="password"]').fill(c.password);
			await page.locator('button[type="submit"]').first().click();
			filled = true;
			await page.waitForTimeout(300);
			continue;
		}
		/* Glewlwyd's grant page: tick the scopes, grant, continue. */
		const grant = page.locator('button:has-text("Grant access")').first();
		if (login && !granted && await grant.isVisible().catch(() => false)) {
			await shoot(page, 'provider-grant');
			for (const box of await page.locator('input[type="checkbox"]:visible').all()) {
				if (!await box.isChecked())
					await box.check();
			}
			await grant.click();
			granted = true;
			await page.waitForTimeout(500);
			continue;
		}
		/* Then Continue; at logout, the provider's question. */
		const button = page.locator(login ? 'button:has-text("Continue")' :
		    'button:has-text("Logout")').first();
		if ((!login || filled) && await button.isVisible().catch(() => false)) {
			await shoot(page, `provider-${login ? 'continue' : 'logout'}`);
			await button.click();
			await page.waitForTimeout(500);
			continue;
		}
		await page.waitForTimeout(200);
	}
	await shoot(page, 'stuck');
	throw new Error(`still at ${page.url()}: ${(await page.locator('body').innerText().catch(() => '')).slice(0, 300)}`);
}

async function login(context, page, c, result) {
	const site = new URL(c.start).origin;
	page.on('response', (res) => {
		const u = new URL(res.url());
		if (u.origin === site && u.searchParams.has('state') && !result.callback) {
			result.callback = {
				status: res.status(),
				location: res.headers().location ?? null,
			};
		}
	});
	await page.goto(c.start, { waitUntil: 'load' });
	await throughProvider(page, site, c, true);
	await page.waitForLoadState('load');
	await shoot(page, 'signed-in');
	result.final = page.url();
	writeFileSync(c.jar, curlJar(site, await context.cookies()));
}

async function logout(page, c, result) {
	const site = new URL(c.start).origin;
	const auth = c.start.replace(/\/login\/.*$/, '');
	page.on('request', (req) => {
		if (new URL(req.url()).origin !== site && req.isNavigationRequest() &&
		    !result.endSession)
			result.endSession = req.url();
	});
	await page.goto(`${auth}/logout?return_to=%2F`, { waitUntil: 'load' });
	await Promise.all([
		page.waitForURL((u) => u.origin !== site, { timeout: STEP_TIMEOUT_MS }),
		page.locator('form[method="post"] button[type="submit"], form[method="POST"] button[type="submit"]').first().click(),
	]);
	await throughProvider(page, site, c, false, result);
	await shoot(page, 'signed-out');
	result.afterLogout = page.url();
	await page.goto(c.start.replace(/\/login\/.*$/, '/'), { waitUntil: 'load' });
	const res = await page.request.get(`${auth}/user`, {
		headers: { Accept: 'application/json' },
	});
	result.user = await res.json();
}

async function main() {
	const browser = await chromium.launch({
		executablePath: opt.chromium ?? process.env.CHROMIUM ?? '/usr/bin/chromium',
		args: CHROMIUM_FLAGS,
	});
	let code = 0;
	for (const c of cases) {
		const result = { name: c.name };
		const context = await browser.newContext();
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		try {
			const page = await context.newPage();
			page.caseName = c.name;
			/* For the test's log: what went wrong on the way. */
			page.on('response', (res) => {
				if (res.status() >= 400)
					process.stderr.write(`${c.name}: ${res.request().method()} ${res.url().split('?')[0]}: ${res.status()}\n`);
			});
			page.on('console', (m) => {
				if (m.type() === 'error')
					process.stderr.write(`${c.name}: console: ${m.text()}\n`);
			});
			await login(context, page, c, result);
			if (c.logout)
				await logout(page, c, result);
		} catch (err) {
			result.error = String(err.message ?? err).split('\n')[0];
			code = 1;
		} finally {
			await context.close();
		}
		process.stdout.write(`${JSON.stringify(result)}\n`);
	}
	await browser.close();
	process.exit(code);
}

main();
