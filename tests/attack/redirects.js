#!/usr/bin/env node
/*
 * Open redirects: every payload of gen-redirects.js goes through every
 * place oidc-login takes a URL, and every URL that comes back (Location
 * headers, links and form actions of the pages, hidden return_to fields,
 * and the return_to carried inside those) must, resolved as a browser
 * resolves it (WHATWG URL against the page's URL), stay on the site's
 * origin with an http(s) scheme.
 *
 * Places, for each payload P:
 *   login      /auth/login/alpha?return_to=P, a whole login through the
 *              provider: the callback's Location (the flow cookie's
 *              return_to)
 *   raw        the same with P unencoded in the request target
 *   home       /auth/?return_to=P: the choice page's links
 *   signed-in  /auth/?return_to=P when signed in: continue and logout links
 *   logout     GET /auth/logout?return_to=P (the form's hidden field), and
 *              POST /auth/logout with return_to=P (its 303)
 *   authorizer /private/page with X-Forwarded-Uri and X-Original-Uri: P
 *              (the "original URL" of the authorizer's 302)
 * and for every 20th payload also the login started from the choice
 * page's link and a signed-in logout with its CSRF token.
 *
 * Env: WEB (site origin), AUTH (WEB/auth).  Prints "ok DESC" or
 * "not ok DESC # DETAIL" per payload, then a "# summary" line.
 */

import { Browser, hiddenValues, pageLinks, pool } from './client.js';
import { generate } from './gen-redirects.js';

const WEB = process.env.WEB;
const AUTH = process.env.AUTH;
const SITE = new URL(WEB).origin;
const WORKERS = 4;
const SAMPLE = 20;
let refusals = 0;
let callbacks = 0;
const HONOURED = new Set(['/', '/private/page', '/a/b/c', '/javascript:alert(1)']);

/* Why url (resolved against base) leaves the site, or null. */
function offSite(url, base, depth = 0) {
	let u;
	if (/[\x00-\x20\x7f]/.test(url) && depth === 0 && base === WEB)
		return `control or space in ${JSON.stringify(url)}`;
	try {
		u = new URL(url, base);
	} catch {
		return `unparsable ${JSON.stringify(url)}`;
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:')
		return `scheme ${u.protocol} from ${JSON.stringify(url)}`;
	if (u.origin !== SITE)
		return `origin ${u.origin} from ${JSON.stringify(url)}`;
	/* The return_to a login or logout link carries is a URL too. */
	const inner = u.searchParams.get('return_to');
	if (inner !== null && depth < 3)
		return offSite(inner, WEB, depth + 1);
	return null;
}

/* A refusal (400, e.g. for %00 in the query) is safe: its page is checked. */
function checkLocation(where, res, bad, expect = [302, 303]) {
	if (res.status === 400) {
		refusals++;
		checkPage(where, res, bad, WEB, [400]);
		return;
	}
	if (!expect.includes(res.status)) {
		bad.push(`${where}: status ${res.status}`);
		return;
	}
	if (res.rawLocation === null) {
		bad.push(`${where}: no Location`);
		return;
	}
	if (/[\x00-\x1f\x7f]/.test(res.rawLocation))
		bad.push(`${where}: control character in Location`);
	const why = offSite(res.rawLocation, WEB);
	if (why)
		bad.push(`${where}: ${why}`);
}

function checkPage(where, res, bad, base, expect = [200, 400]) {
	if (!expect.includes(res.status)) {
		bad.push(`${where}: status ${res.status}`);
		return;
	}
	for (const link of pageLinks(res.body)) {
		const why = offSite(link, base);
		if (why)
			bad.push(`${where}: link ${why}`);
	}
	for (const v of hiddenValues(res.body, 'return_to')) {
		const why = offSite(v, WEB);
		if (why)
			bad.push(`${where}: hidden return_to ${why}`);
	}
}

/* The raw form of P in a request target: only what HTTP/1.1 can carry. */
function rawTarget(p) {
	if (/[\x00-\x20\x7f]/.test(p))
		return null;
	return `/auth/login/alpha?return_to=${p.replace(/[#]/g, '%23')}`;
}

async function signedIn() {
	const b = new Browser();
	const r = await b.login(`${AUTH}/login/beta`);
	if (r.callback === null || r.callback.status !== 302)
		throw new Error('cannot sign in for the signed-in checks');
	return b;
}

async function one(entry, i, sessions) {
	const p = entry.payload;
	const q = encodeURIComponent(p);
	const bad = [];
	const b = new Browser();

	const login = await b.login(`${AUTH}/login/alpha?return_to=${q}`);
	if (login.callback === null)
		checkLocation('login start', login.start, bad, []);
	else {
		callbacks++;
		checkLocation('login', login.callback, bad, [302]);
		if (entry.good && HONOURED.has(p) &&
		    login.callback.location !== new URL(p, WEB).href)
			bad.push(`login: same-site ${p} not honoured ` +
			    `(${login.callback.rawLocation})`);
	}

	const target = rawTarget(p);
	if (target !== null) {
		const rb = new Browser();
		const raw = await rb.login(`${WEB}${target}`, { raw: true, target });
		/* lighttpd may refuse the target itself: a 400 is safe too. */
		if (raw.callback !== null)
			checkLocation('raw login', raw.callback, bad, [302]);
		else if (raw.start.status >= 500 || raw.start.status === 0)
			bad.push(`raw login: status ${raw.start.status}`);
	}

	const home = await b.get(`${AUTH}/?return_to=${q}`, { cookie: null });
	checkPage('home', home, bad, `${AUTH}/`);

	const s = sessions[i % sessions.length];
	const inside = await s.get(`${AUTH}/?return_to=${q}`);
	checkPage('signed-in', inside, bad, `${AUTH}/`);
	if (inside.status === 200 && !/logout/.test(inside.body))
		bad.push('signed-in: not the signed-in page');

	const lp = await b.get(`${AUTH}/logout?return_to=${q}`, { cookie: null });
	checkPage('logout page', lp, bad, `${AUTH}/logout`);
	const lo = await b.post(`${AUTH}/logout`, { return_to: p }, { cookie: null });
	checkLocation('logout', lo, bad, [303]);

	if (!/[\x00-\x1f\x7f]/.test(p)) {
		for (const h of ['X-Forwarded-Uri', 'X-Original-Uri']) {
			const az = await b.request('GET', `${WEB}/private/page`, {
				cookie: null, raw: true,
				headers: { [h]: p, Accept: 'text/html' },
			});
			checkLocation(`authorizer ${h}`, az, bad, [302]);
		}
	}

	if (i % SAMPLE === 0) {
		const link = pageLinks(home.body).find((l) => /\/login\/alpha/.test(l));
		if (link === undefined)
			bad.push('home: no login link for alpha');
		else {
			const hb = new Browser();
			const r = await hb.login(new URL(link, `${AUTH}/`).href);
			if (r.callback === null)
				bad.push('login from the choice page: walk broke');
			else
				checkLocation('login from the choice page', r.callback,
				    bad, [302]);
		}
		const lb = await signedIn();
		const page = await lb.get(`${AUTH}/logout?return_to=${q}`);
		const csrf = hiddenValues(page.body, 'csrf')[0];
		if (csrf === undefined)
			bad.push('signed-in logout page: no csrf field');
		const out = await lb.post(`${AUTH}/logout`,
		    { csrf: csrf ?? '', return_to: p });
		checkLocation('signed-in logout', out, bad, [303]);
		lb.close();
		b.requests += lb.requests;
	}
	b.close();
	return bad;
}

async function main() {
	const corpus = generate();
	const sessions = [];
	for (let i = 0; i < WORKERS; i++)
		sessions.push(await signedIn());
	const t0 = Date.now();
	const results = await pool(corpus, WORKERS, (e, i) => one(e, i, sessions)
	    .catch((err) => [`exception: ${err.message}`]));
	let failed = 0;
	results.forEach((bad, i) => {
		const e = corpus[i];
		const desc = `redirect ${i + 1} (${e.why}): ${JSON.stringify(e.payload)}`;
		if (bad.length === 0)
			console.log(`ok ${desc} stays on the site`);
		else {
			failed++;
			console.log(`not ok ${desc} stays on the site # ` +
			    bad.slice(0, 4).join('; '));
		}
	});
	for (const s of sessions)
		s.close();
	/* Refusals are safe, but the corpus must mostly reach the callback. */
	const enough = callbacks >= corpus.length * 0.9;
	console.log(`${enough ? 'ok' : 'not ok'} ${callbacks} of ${corpus.length} ` +
	    `payloads went through a whole login (${refusals} refusals elsewhere)` +
	    (enough ? '' : ' # under 90 %'));
	console.log(`# ${corpus.length} payloads, ${failed} failed, ` +
	    `${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
	console.error(err.stack);
	process.exit(1);
});
