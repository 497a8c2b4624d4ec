#!/usr/bin/env node
/*
 * Every page of oidc-login walked in a real browser (headless Chromium
 * through playwright-core) as a person would, in the cases where one used
 * to get stuck or be misled (issue 15), in front of the demo site
 * (demo/site: a public page, a protected static page and a CGI program
 * behind oidc-login's authorizer):
 *
 *   a provider that is down: named, the others offered, marked on the
 *   choice page; a cancel at the provider: a calm page; an account the
 *   rules refuse: named, and another account really asked for; the reload
 *   of a spent callback: on to the page; the site's home page; signing in
 *   with another provider while signed in: deliberate, never silent; four
 *   login tabs: the oldest says what happened and keeps its page; signing
 *   out: one confirmation, then a signed-out page; the site's name on
 *   every page; the demo's protected pages and the provider's name.
 *
 * Each page of oidc-login (and of the demo) is looked at in four ways,
 * desktop (1280x800) and phone (390x844) in light and dark: a full-page
 * screenshot, axe-core (no violation), the contrast of every button's
 * edge (3:1, WCAG 1.4.11), no button label broken over two lines, no
 * claim value broken inside a word that fits; and once, with the keyboard
 * only: Tab reaches every control in reading order, each with a visible
 * focus outline.
 *
 * Usage:
 *   node tests/browser/pages.js BASE_URL [options]
 *   --auth PATH        where oidc-login is mounted (default /auth)
 *   --dead NAME        a configured provider that cannot be reached
 *   --refused LOGIN    a login name the access rules refuse (default eve)
 *   --screenshots DIR  keep the screenshots, NAME-desktop-light.png ...
 *   --chromium PATH    the browser (default $CHROMIUM or /usr/bin/chromium)
 *   --axe PATH         axe.min.js (default: tests/node_modules/axe-core)
 *
 * The providers are tests/op/provider.js (any login name, a Cancel link
 * #abort, a consent form, a logout form asking "Yes, sign me out" / "No,
 * stay signed in"); their post-logout URI must be BASE_URL/auth/signed-out.
 * Prints TAP; exits 0 when every test passed, 1 otherwise, 2 on bad usage.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { finish, is, like, ok, withBrowser } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SIZES = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 390, height: 844 },
};
const SCHEMES = ['light', 'dark'];
/* WCAG 2.1 AA, and the best practices axe checks besides. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
	'best-practice'];


function usage(msg) {
	process.stderr.write(`pages.js: ${msg}\n` +
	    'usage: node tests/browser/pages.js BASE_URL [--auth PATH] ' +
	    '[--dead NAME] [--refused LOGIN] [--screenshots DIR] ' +
	    '[--chromium PATH] [--axe PATH]\n');
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: {
				auth: { type: 'string', default: '/auth' },
				dead: { type: 'string' },
				refused: { type: 'string', default: 'eve' },
				screenshots: { type: 'string' },
				chromium: { type: 'string' },
				axe: { type: 'string' },
			},
			strict: true,
		});
	} catch (err) {
		usage(err.message);
	}
	if (parsed.positionals.length !== 1)
		usage('BASE_URL is required');
	const v = parsed.values;
	let base;
	try {
		base = new URL(parsed.positionals[0]).origin;
	} catch {
		usage(`not a URL: ${parsed.positionals[0]}`);
	}
	return {
		base,
		auth: base + v.auth.replace(/\/$/, ''),
		authPath: v.auth.replace(/\/$/, ''),
		dead: v.dead,
		refused: v.refused,
		screenshots: v.screenshots,
		chromium: v.chromium ?? process.env.CHROMIUM ?? '/usr/bin/chromium',
		axe: v.axe ?? join(HERE, '..', 'node_modules', 'axe-core', 'axe.min.js'),
	};
}

/* --- Looking at one page. -------------------------------------------------- */

/*
 * In the page: every button's edge against what is around it, the lines
 * of every button label, and claim values broken inside a word that
 * would fit on a line of its own.
 */
function measure() {
	const rgb = (s) => {
		const m = s.match(/rgba?\(([^)]+)\)/);
		if (!m)
			return null;
		const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
		return { r, g, b, a };
	};
	const lum = ({ r, g, b }) => {
		const f = (v) => {
			v /= 255;
			return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
		};
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
	};
	const ratio = (x, y) => {
		const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
		return (a + 0.05) / (b + 0.05);
	};
	/* The first opaque background from el's parent up. */
	const behind = (el) => {
		for (let e = el.parentElement; e; e = e.parentElement) {
			const c = rgb(getComputedStyle(e).backgroundColor);
			if (c && c.a > 0)
				return c;
		}
		return rgb(getComputedStyle(document.documentElement).backgroundColor) ??
		    { r: 255, g: 255, b: 255, a: 1 };
	};
	const lines = (el) => {
		const r = document.createRange();
		r.selectNodeContents(el);
		return new Set([...r.getClientRects()].filter((x) => x.width > 0)
		    .map((x) => Math.round(x.top))).size;
	};
	const visible = (el) => {
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
	};
	const label = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).trim().replace(/\s+/g, ' ');
	const out = {
		edges: [], wrapped: [], broken: [],
		/* Wider than the window: a phone would scroll sideways. */
		overflow: document.documentElement.scrollWidth > window.innerWidth,
	};
	for (const el of document.querySelectorAll('.button')) {
		if (!visible(el))
			continue;
		const s = getComputedStyle(el);
		const around = behind(el);
		const border = rgb(s.borderTopColor);
		const fill = rgb(s.backgroundColor);
		const width = parseFloat(s.borderTopWidth);
		/* The edge is the border, or the fill when it differs from around. */
		const best = Math.max(width > 0 && border ? ratio(border, around) : 0,
		    fill && fill.a > 0 ? ratio(fill, around) : 0);
		out.edges.push({ label: label(el), ratio: Math.round(best * 100) / 100 });
		if (lines(el) > 1)
			out.wrapped.push(label(el));
	}
	for (const dd of document.querySelectorAll('.claims dd')) {
		const tn = dd.firstChild;
		if (!visible(dd) || tn === null || tn.nodeType !== Node.TEXT_NODE)
			continue;
		const probe = document.createElement('span');
		probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
		dd.appendChild(probe);
		const range = document.createRange();
		for (const m of tn.data.matchAll(/\S+/g)) {
			range.setStart(tn, m.index);
			range.setEnd(tn, m.index + m[0].length);
			const tops = new Set([...range.getClientRects()]
			    .filter((x) => x.width > 0).map((x) => Math.round(x.top)));
			probe.textContent = m[0];
			if (tops.size > 1 && probe.getBoundingClientRect().width <= dd.clientWidth)
				out.broken.push(m[0]);
		}
		probe.remove();
	}
	return out;
}

/* The controls Tab should reach, in document order, as the page says. */
function controls() {
	const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
	return [...document.querySelectorAll(sel)].filter((el) => {
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && !el.disabled &&
		    getComputedStyle(el).visibility !== 'hidden';
	}).map((el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName)
	    .trim().replace(/\s+/g, ' '));
}

/* What has the focus: its words, place, and outline. */
function focused() {
	const el = document.activeElement;
	if (!el || el === document.body)
		return null;
	const s = getComputedStyle(el);
	const r = el.getBoundingClientRect();
	return {
		label: (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName)
		    .trim().replace(/\s+/g, ' '),
		top: Math.round(r.top + window.scrollY),
		left: Math.round(r.left),
		outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
	};
}

async function keyboardOrder(page, name) {
	const expected = await page.evaluate(controls);
	/* Start from the top of the document, with nothing focused. */
	await page.evaluate(() => {
		const start = document.createElement('span');
		start.tabIndex = -1;
		document.body.prepend(start);
		start.focus();
		start.remove();
	});
	const seen = [];
	for (let i = 0; i < expected.length + 2; i++) {
		await page.keyboard.press('Tab');
		const f = await page.evaluate(focused);
		if (f === null || (seen.length > 0 && f.label === seen[0].label &&
		    f.top === seen[0].top && f.left === seen[0].left))
			break;
		seen.push(f);
	}
	const labels = seen.slice(0, expected.length).map((f) => f.label);
	ok(JSON.stringify(labels) === JSON.stringify(expected),
	    `${name}: Tab reaches every control in document order`,
	    `tabbed: ${JSON.stringify(labels)}\ncontrols: ${JSON.stringify(expected)}`);
	const outOfOrder = seen.slice(1).filter((f, i) => f.top < seen[i].top - 4);
	ok(outOfOrder.length === 0, `${name}: ... from top to bottom`,
	    JSON.stringify(outOfOrder));
	const bare = seen.filter((f) => !f.outline).map((f) => f.label);
	ok(bare.length === 0, `${name}: ... each with a visible focus outline`,
	    JSON.stringify(bare));
}

async function axe(page, opts) {
	await page.evaluate(opts.axeSource);
	return page.evaluate((tags) => window.axe.run(document,
	    { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
	    .then((r) => r.violations.map((v) => ({
		id: v.id,
		impact: v.impact,
		nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
	    }))), AXE_TAGS);
}

/*
 * Looks at the page in the four ways (see the top of this file) and, on
 * the desktop in light, with the keyboard; the screenshots are
 * NAME-SIZE-SCHEME.png.
 */
async function examine(page, opts, name, { keyboard = true } = {}) {
	for (const size of Object.keys(SIZES)) {
		await page.setViewportSize(SIZES[size]);
		for (const scheme of SCHEMES) {
			const how = `${name}, ${size}, ${scheme}`;
			await page.emulateMedia({ colorScheme: scheme });
			if (opts.screenshots) {
				mkdirSync(opts.screenshots, { recursive: true });
				await page.screenshot({ fullPage: true,
				    path: join(opts.screenshots, `${name}-${size}-${scheme}.png`) });
			}
			const violations = await axe(page, opts);
			ok(violations.length === 0, `${how}: axe finds no violation`,
			    JSON.stringify(violations, null, 1));
			const m = await page.evaluate(measure);
			const weak = m.edges.filter((e) => e.ratio < 3);
			ok(weak.length === 0, `${how}: every button's edge at 3:1 or more`,
			    JSON.stringify(weak));
			ok(m.wrapped.length === 0, `${how}: no button label on two lines`,
			    JSON.stringify(m.wrapped));
			ok(m.broken.length === 0, `${how}: no value broken inside a word that fits`,
			    JSON.stringify(m.broken));
			ok(!m.overflow, `${how}: nothing wider than the window`);
		}
	}
	await page.setViewportSize(SIZES.desktop);
	await page.emulateMedia({ colorScheme: 'light' });
	if (keyboard)
		await keyboardOrder(page, name);
}

/* --- Moving about. ------------------------------------------------------ */

function onSite(opts, url) {
	return new URL(url).origin === opts.base;
}

async function heading(page) {
	return (await page.locator('h1').first().innerText()).trim();
}

async function text(page) {
	return page.locator('body').innerText();
}

async function whoAmI(page, opts) {
	const res = await page.request.get(`${opts.auth}/user`,
	    { headers: { Accept: 'application/json' } });
	return res.json();
}

/* Clicks what matches and waits for the navigation it starts to load. */
async function follow(page, locator) {
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

/*
 * At the provider: signs in as login when it shows its form, grants the
 * consent when it asks, and waits to be back on the site.  Returns
 * whether the login form was shown.
 */
async function atProvider(page, opts, login) {
	const loginForm = page.locator('input[name="login"]');
	const consent = page.locator('form[action*="/interaction/"][action$="/confirm"]');
	let asked = false;

	for (let i = 0; i < 8 && !onSite(opts, page.url()); i++) {
		if (await loginForm.count() > 0) {
			asked = true;
			await loginForm.fill(login);
			await page.locator('input[name="password"]').fill('any password');
			await follow(page, page.locator('form button[type="submit"]'));
		} else if (await consent.count() > 0) {
			await follow(page, consent.locator('button[type="submit"]'));
		} else {
			/* A page that moves on by itself (the provider's form post). */
			await settle(page, opts, loginForm, consent);
		}
	}
	await page.waitForLoadState('load');
	return asked;
}

/* Waits until the page is back on the site or shows a form we know. */
async function settle(page, opts, ...forms) {
	for (let n = 0; n < 75; n++) {
		if (onSite(opts, page.url()))
			return;
		try {
			for (const f of forms)
				if (await f.count() > 0)
					return;
		} catch {
			/* Navigating: ask again. */
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

function button(page, name) {
	return page.getByRole('link', { name, exact: true })
	    .or(page.getByRole('button', { name, exact: true })).first();
}

/* --- The walk, one case of the issue at a time. ------------------------- */

/* Item 9 and the choice page; item 4: a provider that is down. */
async function providerDown(opts, page) {
	await page.goto(`${opts.base}/private/`, { waitUntil: 'load' });
	like(page.url(), /\/auth\/\?return_to=%2Fprivate%2F$/,
	    'the protected page sends the browser to the choice page, keeping its way back');
	is(await page.title(), 'Sign in \u2013 Example site',
	    'the window title names the site');
	is((await page.locator('.site').innerText()).trim(), 'Example site',
	    'so does the label above the heading');
	if (!opts.dead)
		return;
	const dead = page.locator(`a[href*="/login/${opts.dead}?"]`);
	const deadName = (await dead.innerText()).replace(/^Continue with /, '');
	const res = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }), dead.click(),
	]).then(([r]) => r);
	is(res?.status(), 502, `${deadName} down: 502`);
	like(await heading(page), new RegExp(`^${deadName} is not working`),
	    `${deadName} down: the heading names it`);
	const others = page.locator('.others a.button');
	ok(await others.count() >= 1, `${deadName} down: the other providers are offered`);
	like(await others.first().getAttribute('href'),
	    /\/auth\/login\/[a-z]+\?return_to=%2Fprivate%2F$/,
	    '  ... keeping the way back to the protected page');
	is(await page.locator(`.others a[href*="/login/${opts.dead}"]`).count(), 0,
	    `  ... not ${deadName} itself`);
	is(await button(page, 'Go to the home page').getAttribute('href'),
	    `${opts.base}/`, '"Go to the home page" goes to the site, not to sign-in');
	like(await page.locator('.ref code').innerText(), /^[A-Za-z0-9_-]{8}$/,
	    'a reference to quote');
	await examine(page, opts, 'provider-down');

	await page.goto(`${opts.auth}/?return_to=%2Fprivate%2F`, { waitUntil: 'load' });
	const mark = page.locator(`#trouble-${opts.dead}`);
	like(await mark.count() > 0 ? await mark.innerText() : '', /not working/i,
	    `the choice page marks ${deadName} now`);
	is(await dead.getAttribute('aria-describedby'), `trouble-${opts.dead}`,
	    '  ... for screen readers too');
	await examine(page, opts, 'choose');
}

/* Item 5: a cancel at the provider is a calm page. */
async function cancel(opts, page) {
	await follow(page, page.locator('a[href*="/login/alpha?"]'));
	ok(await page.locator('input[name="login"]').count() > 0,
	    "the provider's login form");
	if (opts.screenshots)
		await page.screenshot({ path: join(opts.screenshots, 'provider-login-desktop-light.png') });
	const [res] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }), page.locator('#abort').click(),
	]);
	is(res?.status(), 400, 'a cancel: the callback answers 400 (for machines)');
	is(await heading(page), 'You did not sign in', 'a cancel: a calm heading');
	ok(!/error 400/i.test(await text(page)), '  ... no "Error 400"');
	like(await button(page, 'Sign in again').getAttribute('href'),
	    /\/auth\/login\/alpha\?return_to=%2Fprivate%2F$/,
	    '  ... "Sign in again", keeping the page');
	is((await whoAmI(page, opts)).is_logged_in, false, '  ... not signed in');
	await examine(page, opts, 'cancelled');
}

/* Item 1: an account the rules refuse, and a way to another one. */
async function refused(opts, page) {
	await follow(page, button(page, 'Sign in again'));
	await atProvider(page, opts, opts.refused);
	is(await heading(page), 'This account is not allowed here',
	    'a refused account: the heading says so');
	like(await text(page), new RegExp(`as \\w+ Tester \\(${opts.refused}@example\\.com\\)`),
	    '  ... and names the account');
	const other = button(page, 'Use another account');
	like(await other.getAttribute('href'), /\/login\/alpha\?switch=1&return_to=%2Fprivate%2F$/,
	    '  ... "Use another account"');
	like(await button(page, 'Sign out of Acme ID').getAttribute('href') ?? '',
	    /\/session\/end\?/, "  ... or sign out at the provider");
	await examine(page, opts, 'refused');
	await follow(page, other);
	ok(!onSite(opts, page.url()) && await page.locator('input[name="login"]').count() > 0,
	    'another account: the provider asks who, though it knows the refused one',
	    `at ${page.url()}`);
	let callback = null;
	page.on('request', (req) => {
		if (req.url().startsWith(`${opts.auth}/callback?`))
			callback = req.url();
	});
	await atProvider(page, opts, 'alice');
	is(new URL(page.url()).pathname, '/private/', 'alice: on the protected page');
	opts.callback = callback;
}

/* Item 11: the demo's protected pages, and the provider's name. */
async function demo(opts, page) {
	like(await text(page), /Members' area/, "the demo's protected static page");
	await examine(page, opts, 'demo-members');
	await follow(page, page.getByRole('link', { name: 'What the server received' }));
	const body = await text(page);
	like(body, /Signed in as Alice Tester with Acme ID/,
	    'the CGI program: who, and the provider by its name');
	like(body, /REMOTE_USER\s+alice@example\.com/, '  ... REMOTE_USER');
	like(body, /OIDC_PROVIDER_NAME\s+Acme ID/, '  ... OIDC_PROVIDER_NAME');
	await examine(page, opts, 'demo-whoami');
	await page.goto(`${opts.base}/`, { waitUntil: 'load' });
	await page.waitForFunction(() => !/Checking/.test(document.getElementById('who').textContent));
	like(await page.locator('#who').innerText(),
	    /Signed in as Alice Tester \(alice@example\.com\) with Acme ID\./,
	    "the demo's home page: the provider's name, not its key");
	await examine(page, opts, 'demo-home');
}

/* Item 2: the callback reloaded after signing in. */
async function reloadCallback(opts, page) {
	ok(opts.callback !== null, '(the callback URL was seen)');
	if (!opts.callback)
		return;
	const res = await page.goto(opts.callback, { waitUntil: 'load' });
	is(new URL(page.url()).pathname, '/private/',
	    'the spent callback, signed in: on to the page it was for');
	is(res?.status(), 200, '  ... no error');
}

/* Item 7: another provider while signed in is deliberate, never silent. */
async function anotherProvider(opts, page) {
	await page.goto(`${opts.auth}/`, { waitUntil: 'load' });
	is(await heading(page), 'You are signed in', 'the signed-in page');
	ok(await button(page, 'Another Acme ID account').count() > 0 &&
	    await button(page, 'Sign in with Globex SSO').count() > 0,
	    '  ... offers another account at each provider');
	await page.locator('details summary').click();
	await examine(page, opts, 'signed-in');
	/* A choice page left open in another tab. */
	const tab = await page.context().newPage();
	await tab.goto(`${opts.auth}/login/beta?return_to=%2Fprivate%2F`, { waitUntil: 'load' });
	is(await heading(tab), 'You are already signed in',
	    'Globex SSO from another tab: not a silent switch');
	like(await tab.locator('.notice').innerText(), /To use Globex SSO instead/,
	    '  ... says how to switch');
	await examine(tab, opts, 'already-signed-in');
	await follow(tab, button(tab, 'Sign in with Globex SSO'));
	await atProvider(tab, opts, 'bob');
	const user = await whoAmI(tab, opts);
	is(`${user.provider} ${user.sub}`, 'beta bob', 'switched deliberately: bob with Globex SSO');
	is(new URL(tab.url()).pathname, '/private/', '  ... back on the page');
	await tab.close();
}

/* Item 6: sign-out, one confirmation, then a signed-out page. */
async function signOut(opts, page) {
	await page.goto(`${opts.auth}/`, { waitUntil: 'load' });
	await follow(page, button(page, 'Sign out'));
	ok(!onSite(opts, page.url()), "one click: straight to the provider's question",
	    `at ${page.url()}`);
	await follow(page, page.getByRole('button', { name: 'No, stay signed in' }));
	is(new URL(page.url()).pathname, '/auth/signed-out', 'then the signed-out page');
	is(await heading(page), 'You are signed out', '  ... which says so');
	like(await text(page), /stay signed in at Globex SSO/, '  ... and names the provider');
	is((await whoAmI(page, opts)).is_logged_in, false, '  ... signed out here');
	is(await button(page, 'Go to the home page').getAttribute('href'), `${opts.base}/`,
	    '  ... with the way to the home page');
	await examine(page, opts, 'signed-out');

	/* A link typed or from elsewhere: our confirmation, once. */
	await page.goto(`${opts.auth}/login/alpha?return_to=%2Fprivate%2F`, { waitUntil: 'load' });
	await atProvider(page, opts, 'alice');
	await page.goto(`${opts.auth}/logout?return_to=%2F`, { waitUntil: 'load' });
	is(await heading(page), 'Sign out', 'GET /auth/logout typed: the confirmation page');
	like(await text(page), /also be signed out of Acme ID/, '  ... saying the provider will ask too');
	await examine(page, opts, 'logout');
	await follow(page, page.getByRole('button', { name: 'Sign out' }));
	await follow(page, page.getByRole('button', { name: 'Yes, sign me out' }));
	is(new URL(page.url()).pathname, '/auth/signed-out', '  ... then the signed-out page');

	/* A sign-out button on a page of the site (a form without a token). */
	await page.goto(`${opts.base}/private/`, { waitUntil: 'load' });
	await follow(page, page.locator('a[href*="/login/alpha?"]'));
	await atProvider(page, opts, 'alice');
	is(new URL(page.url()).pathname, '/private/', '(signed in again)');
	await follow(page, page.getByRole('button', { name: 'Sign out' }));
	ok(!onSite(opts, page.url()), "the demo page's Sign out: straight to the provider");
	await follow(page, page.getByRole('button', { name: 'Yes, sign me out' }));
	is((await whoAmI(page, opts)).is_logged_in, false, '  ... signed out');
}

/* Item 8: four login tabs; the oldest says what happened, keeps its page. */
async function fourTabs(opts, page) {
	const tabs = [];
	for (let i = 1; i <= 4; i++) {
		const tab = await page.context().newPage();
		await tab.goto(`${opts.auth}/login/alpha?return_to=%2Fprivate%2F%3Ftab%3D${i}`,
		    { waitUntil: 'load' });
		tabs.push(tab);
	}
	const oldest = tabs[0];
	ok(await oldest.locator('input[name="login"]').count() > 0,
	    'four login tabs: the oldest at the provider');
	await atProvider(oldest, opts, 'alice');
	is(await heading(oldest), 'This sign-in is no longer valid',
	    'the oldest tab: a calm heading');
	ok(!/error 400/i.test(await text(oldest)), '  ... no "Error 400"');
	like(await text(oldest), /newer ones were started since in other tabs/,
	    '  ... says in words what happened');
	const again = button(oldest, 'Sign in again');
	like(await again.getAttribute('href'),
	    /\/login\/alpha\?return_to=%2Fprivate%2F%3Ftab%3D1$/, '  ... and keeps its page');
	await examine(oldest, opts, 'stale');
	await follow(oldest, again);
	await atProvider(oldest, opts, 'alice');
	is(new URL(oldest.url()).pathname + new URL(oldest.url()).search, '/private/?tab=1',
	    '  ... where "Sign in again" leads');
	for (const tab of tabs)
		await tab.close();
}

async function main() {
	const opts = readOptions();
	opts.axeSource = readFileSync(opts.axe, 'utf8');
	await withBrowser({
		executablePath: opts.chromium,
		viewport: SIZES.desktop,
		deviceScaleFactor: 1,
		colorScheme: 'light',
		locale: 'en-US',
	}, async (page) => {
		for (const step of [providerDown, cancel, refused, demo, reloadCallback,
		    anotherProvider, signOut, fourTabs])
			await step(opts, page);
	}, async (err, context) => {
		const where = await Promise.all((context?.pages() ?? []).map(async (p) =>
		    `${p.url()} "${await p.title().catch(() => '')}"`)).catch(() => []);
		ok(false, 'the walk runs to its end',
		    `${err.stack ?? String(err)}\nopen pages: ${where.join(', ')}`);
	});
	finish();
}

main();
