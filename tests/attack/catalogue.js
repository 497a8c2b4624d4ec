#!/usr/bin/env node
/*
 * The attack catalogue against the real program behind lighttpd (set up
 * by tests/attack/lib.sh: providers alpha and beta on the hostile
 * provider at H, /private/ behind the authorizer, /private/env.cgi).
 *
 *   node catalogue.js SECTION
 *
 * Sections: headers (CR/LF into every header), cookies (hostile Cookie
 * headers), query (hostile query strings), xss (reflected markup),
 * session (fixation, login CSRF), flags (cookie flags and the security
 * headers of every page; run once over http and once over https).
 *
 * Env: WEB, AUTH, H, LOG (oidc-login's log file).  Prints "ok DESC" or
 * "not ok DESC # DETAIL" lines for tests/attack/lib.sh's attack_node.
 */

import { readFileSync } from 'node:fs';

import { Browser, hiddenValues, pageLinks } from './client.js';

const WEB = process.env.WEB;
const AUTH = process.env.AUTH;
const H = process.env.H;
const LOG = process.env.LOG;
const HTTPS = WEB.startsWith('https:');
const SESSION = `${HTTPS ? '__Host-' : ''}oidc_login`;
const INJ = /x-injected/i;

let n = 0;
function ok(cond, desc, detail = '') {
	n++;
	console.log(cond ? `ok ${desc}` : `not ok ${desc} # ${detail}`);
	return cond;
}

function is(got, want, desc) {
	return ok(got === want, desc, `got ${JSON.stringify(got)}, ` +
	    `want ${JSON.stringify(want)}`);
}

async function control(msg) {
	const res = await fetch(`${H}/control`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(msg),
	});
	return res.json();
}

async function scenario(prefix, s) {
	const r = await control({ op: 'scenario', prefix, scenario: s });
	if (!r.ok)
		throw new Error(`scenario refused: ${JSON.stringify(r)}`);
}

function logText() {
	try {
		return readFileSync(LOG, 'utf8');
	} catch {
		return '';
	}
}

/* Everything of a raw response's head: no injected header, no CR or LF in a value. */
function injected(res) {
	for (let i = 0; i < res.rawHeaders.length; i += 2) {
		if (INJ.test(res.rawHeaders[i]))
			return `header ${res.rawHeaders[i]}`;
		if (/[\r\n\0]/.test(res.rawHeaders[i + 1]))
			return `CR/LF in ${res.rawHeaders[i]}`;
	}
	return null;
}

function raw(b, method, url, opts = {}) {
	const u = new URL(url);
	return b.request(method, url, { ...opts, raw: true,
	    target: opts.target ?? u.pathname + u.search });
}

function clean(desc, res) {
	const why = injected(res);
	ok(why === null, `${desc}: no header injected (status ${res.status})`,
	    why ?? '');
}

function sessionCookie(res) {
	return (res.setCookies ?? []).find((c) => c.name === SESSION);
}

function setsSession(res) {
	return (res.setCookies ?? []).some((c) =>
	    c.name.startsWith(SESSION) && !c.name.includes('_flow_') &&
	    c.attrs['max-age'] !== '0');
}

function clearsSession(res) {
	const c = sessionCookie(res);
	return c !== undefined && c.attrs['max-age'] === '0';
}

async function userOf(b) {
	const r = await b.get(`${AUTH}/user`);
	try {
		return JSON.parse(r.body);
	} catch {
		return { status: r.status };
	}
}

async function signIn(prefix = 'alpha') {
	const b = new Browser();
	const r = await b.login(`${AUTH}/login/${prefix}`);
	if (r.callback === null || r.callback.status !== 302)
		throw new Error(`login through ${prefix} failed: ` +
		    `${(r.callback ?? r.start).status}`);
	return b;
}

/* --- headers ----------------------------------------------------------- */

const CRLF = [
	['%0d%0a', 'CR LF'], ['%0a', 'LF'], ['%0d', 'CR'],
	['%0D%0A%20', 'CR LF SP (obs-fold)'],
	['%E2%80%A8', 'U+2028'], ['%C4%8D%C4%8A', 'U+010D U+010A'],
	['%250d%250a', 'CR LF encoded twice'],
];

async function headers() {
	const b = new Browser();
	for (const [c, name] of CRLF) {
		const inj = `${c}X-Injected:%20yes`;
		const r = await b.login(`${AUTH}/login/alpha?return_to=%2Fa${inj}`);
		clean(`return_to with ${name}: login start`, r.start);
		ok(r.callback !== null, `return_to with ${name}: the login completes`);
		if (r.callback !== null) {
			clean(`return_to with ${name}: callback`, r.callback);
			ok(!/[\r\n]/.test(r.callback.rawLocation ?? ''),
			    `return_to with ${name}: Location has no CR/LF`);
		}
		for (const url of [
			`${AUTH}/login/alpha${inj}`,
			`${AUTH}/login?provider=alpha${inj}`,
			`${AUTH}/?return_to=%2F${inj}`,
			`${AUTH}/logout?return_to=%2F${inj}`,
			`${AUTH}/callback?state=s${inj}&code=c${inj}`,
			`${AUTH}/callback?error=x${inj}&error_description=y${inj}`,
			`${WEB}/private/page?q=${inj}`,
		]) {
			const res = await raw(b, 'GET', url, { cookie: null });
			clean(`${name} in ${new URL(url).pathname}`, res);
			ok(res.status < 500, `${name} in ${new URL(url).pathname}: ` +
			    `no 5xx`, `status ${res.status}`);
		}
		const lo = await raw(b, 'POST', `${AUTH}/logout`, {
			cookie: null, body: `return_to=%2F${inj}`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		clean(`${name} in logout's form`, lo);
		for (const cookie of [`${SESSION}=a${inj}`,
		    `${SESSION}_flow_abc=x${inj}`, `x${inj}=1; ${SESSION}=2`]) {
			const res = await raw(b, 'GET', `${AUTH}/user`, { cookie });
			clean(`${name} in the Cookie header (${cookie.slice(0, 24)}…)`, res);
		}
	}
	/* Raw CR, LF in the request line or a header: the server refuses. */
	for (const [target, hdr, what] of [
		['/auth/?return_to=/a\rX-Injected: yes', {}, 'raw CR in the target'],
		['/auth/?return_to=/a\nX-Injected: yes', {}, 'raw LF in the target'],
		['/auth/user', { Cookie: 'a=b\r\n X-Injected: yes' }, 'obs-fold in Cookie'],
		['/auth/user', { Cookie: 'a=b\rX-Injected: yes' }, 'bare CR in Cookie'],
	]) {
		const res = await b.request('GET', `${AUTH}/user`, {
			raw: true, target, cookie: null, headers: hdr });
		clean(what, res);
		ok(res.status >= 200 && res.status < 500, `${what}: no 5xx`,
		    `status ${res.status}`);
	}

	/* Claims with CR/LF, through /check, the authorizer and the pages. */
	const evil = 'Evil\r\nX-Injected: yes';
	const claims = {
		name: evil,
		/* The identity: one with CR/LF is refused (below). */
		email: 'evil@example.com',
		preferred_username: 'a\nX-Injected: yes',
		nickname: 'b\rX-Injected: yes',
		'x\r\nX-Injected': 'claim name',
		groups: ['staff', 'x\r\nX-Injected: yes'],
	};
	await scenario('alpha', { claims, userinfo: { claims } });
	const u = await signIn('alpha');
	for (const [what, url] of [['/check', `${AUTH}/check`],
	    ['the authorizer', `${WEB}/private/env.cgi`],
	    ['the signed-in page', `${AUTH}/`], ['/user', `${AUTH}/user`]]) {
		const res = await raw(u, 'GET', url);
		clean(`hostile claims via ${what}`, res);
		is(res.status, 200, `hostile claims via ${what}: 200`);
		if (what === 'the authorizer')
			ok(!/Injected/.test(res.body) && /REMOTE_USER|OIDC_PROVIDER/.test(res.body),
			    'hostile claims: the CGI runs and sees no injected variable',
			    res.body.slice(0, 300));
	}
	/* The identity itself with CR/LF: refused before any session. */
	const crlf = { email: 'evil@example.com\r\nX-Injected: yes' };
	await scenario('alpha', { claims: crlf, userinfo: { claims: crlf } });
	const e = await new Browser().login(`${AUTH}/login/alpha`);
	if (e.callback !== null) {
		clean('an e-mail with CR/LF: callback', e.callback);
		is(e.callback.status, 403, 'an e-mail with CR/LF: refused, 403');
		ok(!setsSession(e.callback),
		    'an e-mail with CR/LF: no session cookie');
	} else
		ok(false, 'an e-mail with CR/LF: the login walk completes');
	await scenario('alpha', { sub: 'evil\r\nX-Injected: yes' });
	const s = new Browser();
	const r = await s.login(`${AUTH}/login/alpha`);
	if (r.callback !== null) {
		clean('a sub with CR/LF: callback', r.callback);
		ok([302, 403, 502].includes(r.callback.status),
		    'a sub with CR/LF: signed in or refused',
		    `status ${r.callback.status}`);
		for (const url of [`${AUTH}/check`, `${WEB}/private/env.cgi`]) {
			const res = await raw(s, 'GET', url);
			clean(`a sub with CR/LF via ${new URL(url).pathname}`, res);
		}
	} else
		ok(false, 'a sub with CR/LF: the login walk completes');
	await scenario('alpha', {});
}

/* --- cookies ------------------------------------------------------------ */

function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

async function anonymous(desc, cookie, opts = {}) {
	const b = new Browser();
	const res = await raw(b, 'GET', `${AUTH}/user`, { cookie: null,
	    headers: cookie === null ? {} : { Cookie: cookie } });
	if (opts.refused) {
		ok(res.status >= 400 && res.status < 500,
		    `${desc}: refused with a 4xx`, `status ${res.status}`);
		return res;
	}
	is(res.status, 200, `${desc}: /user answers 200`);
	let j = {};
	try {
		j = JSON.parse(res.body);
	} catch { /* counted below */ }
	is(j.is_logged_in, false, `${desc}: not signed in`);
	if (opts.cleared)
		ok(clearsSession(res), `${desc}: the cookie is cleared`,
		    JSON.stringify(res.setCookies));
	return res;
}

async function cookies() {
	await anonymous('an empty Cookie header', '');
	await anonymous('a Cookie header of only ";"', ';');
	await anonymous('a Cookie header of ";;;; ;"', ';;;; ;');
	await anonymous('a Cookie header of "="', '=');
	await anonymous('cookies without values', `${SESSION}; a; b=`);
	const many = (k) => Array.from({ length: k }, (_, i) => `c${i}=1`).join('; ');
	await anonymous('200 cookies (over the count bound)', many(200),
	    { refused: true });
	ok(/cookies, over/.test(logText()), 'the count bound left a log line');
	await anonymous('10 000 cookies', many(10000), { refused: true });
	await anonymous('a 20 KiB cookie', `big=${'x'.repeat(20 * 1024)}`,
	    { refused: true });
	await anonymous('1 MiB of cookies', `big=${'x'.repeat(1024 * 1024)}`,
	    { refused: true });
	await anonymous(`a chunk count of 99999999`, `${SESSION}=99999999`,
	    { cleared: true });
	await anonymous('a chunk count of 5, chunks missing', `${SESSION}=5`,
	    { cleared: true });
	await anonymous('a chunk count of 2 with junk chunks',
	    `${SESSION}=2; ${SESSION}_1=abc; ${SESSION}_2=def`, { cleared: true });
	await anonymous('a chunk count of 0', `${SESSION}=0`, { cleared: true });
	for (const v of ['!!!!.@@@@', 'a.b.c', '....', '.', 'AAAA.', '.AAAA',
	    '%41%41.%41', '"quoted"', 'A'.repeat(5000) + '.AA'])
		await anonymous(`broken base64 ${JSON.stringify(v.slice(0, 16))}`,
		    `${SESSION}=${v}`, { cleared: true });

	/* A real session, to tamper with. */
	const good = await signIn('alpha');
	const value = good.jar(new URL(WEB).origin).get(SESSION);
	ok(typeof value === 'string' && value.includes('.'),
	    'a login gives a sealed session cookie');
	const [body, mac] = value.split('.');
	const head = Buffer.from(body, 'base64url').subarray(0, 21);
	const notJson = Buffer.concat([head, Buffer.from('this is not JSON {')]);
	const mark = logText().length;
	await anonymous('valid base64, not JSON, under the real MAC',
	    `${SESSION}=${b64url(notJson)}.${mac}`, { cleared: true });
	await anonymous('valid base64, not JSON, with a random MAC',
	    `${SESSION}=${b64url('not JSON at all')}.${b64url(Buffer.alloc(32, 7))}`,
	    { cleared: true });
	const since = logText().slice(mark);
	ok(/bad MAC|unknown key/.test(since) && !/JSON|json/.test(since),
	    'the MAC (or key id) rejects them before any JSON is parsed',
	    since.slice(0, 400));

	/* Two session cookies of the same name: never the bad one's identity. */
	const bad = `${b64url(notJson)}.${mac}`;
	for (const [order, cookie] of [['good first', `${SESSION}=${value}; ${SESSION}=${bad}`],
	    ['bad first', `${SESSION}=${bad}; ${SESSION}=${value}`],
	    ['two good, two bad', `${SESSION}=${bad}; ${SESSION}=${value}; ` +
	    `${SESSION}=${value}; ${SESSION}=x`]]) {
		const b = new Browser();
		const res = await raw(b, 'GET', `${AUTH}/user`, { cookie });
		is(res.status, 200, `duplicate session cookies (${order}): 200`);
		let j = {};
		try {
			j = JSON.parse(res.body);
		} catch { /* below */ }
		ok(j.is_logged_in === false || j.sub === 'alice',
		    `duplicate session cookies (${order}): anonymous or the ` +
		    `good cookie's user`, res.body.slice(0, 200));
	}
	const still = await userOf(good);
	is(still.is_logged_in, true, 'the good session still works');
}

/* --- query ------------------------------------------------------------- */

async function query() {
	const b = new Browser();
	for (const [url, want] of [[`${AUTH}/?&`, 200], [`${AUTH}/?&&&&&&`, 200],
	    [`${AUTH}/user?&`, 200], [`${AUTH}/login/alpha?&&&`, 302],
	    [`${AUTH}/logout?&`, 200]]) {
		const res = await raw(b, 'GET', url, { cookie: null });
		is(res.status, want, `only "&": ${new URL(url).pathname}${new URL(url).search} ` +
		    `answers ${want}`);
	}
	for (const esc of ['%zz', '%G0', '%', '%4', '%%', '%00', '%0', '%x1'])
		for (const path of ['/', '/login/alpha', '/callback', '/user', '/logout']) {
			const res = await raw(b, 'GET', `${AUTH}${path}?return_to=${esc}`,
			    { cookie: null });
			is(res.status, 400, `invalid escape ${esc} at ${path}: 400`);
		}
	const form = await raw(b, 'POST', `${AUTH}/logout`, { cookie: null,
	    body: 'return_to=%zz', headers: {
		'Content-Type': 'application/x-www-form-urlencoded' } });
	is(form.status, 400, 'invalid escape in logout\'s form: 400');

	const params = Array.from({ length: 70 }, (_, i) => `p${i}=1`).join('&');
	const tooMany = await raw(b, 'GET', `${AUTH}/?${params}`, { cookie: null });
	ok(tooMany.status >= 400 && tooMany.status < 500,
	    '70 parameters: a 4xx', `status ${tooMany.status}`);
	for (const [size, what] of [[9000, '9000 bytes'], [60000, '60 000 bytes'],
	    [1024 * 1024, '1 MiB']]) {
		const res = await raw(b, 'GET',
		    `${AUTH}/?return_to=${'a'.repeat(size)}`, { cookie: null });
		ok(res.status >= 400 && res.status < 500,
		    `a query of ${what}: a 4xx`, `status ${res.status}`);
	}

	/* Repeated state or code at the callback: 400, and the flow survives. */
	const f = new Browser();
	const start = await f.get(`${AUTH}/login/alpha`);
	const back = await f.get(start.location);
	const cb = new URL(back.location);
	const state = cb.searchParams.get('state');
	const code = cb.searchParams.get('code');
	for (const [what, qs] of [
		['state twice', `state=${state}&state=${state}&code=${code}`],
		['code twice', `state=${state}&code=${code}&code=${code}`],
		['two states', `state=${state}&state=other&code=${code}`],
		['error twice', `state=${state}&error=a&error=b`],
	]) {
		const res = await f.get(`${cb.origin}${cb.pathname}?${qs}`);
		is(res.status, 400, `callback with ${what}: 400`);
		ok(!setsSession(res), `callback with ${what}: no session`);
	}
	const real = await f.get(back.location);
	is(real.status, 302, 'the same flow then completes normally');
}

/* --- xss ----------------------------------------------------------------- */

const XSS = [
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	"'><svg onload=alert(1)>",
	'</title><script>alert(1)</script>',
	'<a href="javascript:alert(1)">x</a>',
	'{{title}}<b onmouseover=alert(1)>x</b>',
	'&lt;script&gt;alert(1)&lt;/script&gt;',
	'<iframe src=//evil.example>',
];

function markupFree(desc, res, payload) {
	const ct = (res.headers['content-type'] ?? [''])[0];
	if (!/text\/html/.test(ct)) {
		ok(/application\/json/.test(ct) &&
		    (res.headers['x-content-type-options'] ?? [])[0] === 'nosniff',
		    `${desc}: JSON with nosniff (status ${res.status})`, ct);
		return;
	}
	const body = res.body;
	const found = [payload, '<script', '<img', '<svg', '<iframe',
	    'onerror=', 'onload=', 'onmouseover=', 'javascript:alert']
	    .find((s) => body.toLowerCase().includes(s.toLowerCase()) &&
	    /[<>"']/.test(s));
	ok(found === undefined, `${desc}: nothing unescaped (status ${res.status})`,
	    `found ${JSON.stringify(found)}`);
	const csp = (res.headers['content-security-policy'] ?? [''])[0];
	ok(/default-src 'none'/.test(csp) && !/unsafe-inline/.test(csp),
	    `${desc}: a strict CSP`, csp);
}

async function xss() {
	const b = new Browser();
	for (const [i, p] of XSS.entries()) {
		const q = encodeURIComponent(p);
		const tag = `payload ${i + 1}`;
		const pages = [
			['callback error', `${AUTH}/callback?error=${q}&error_description=${q}`],
			['callback error_description', `${AUTH}/callback?error=access_denied&error_description=${q}&state=${q}`],
			['provider name in the path', `${AUTH}/login/${q}`],
			['provider name in the query', `${AUTH}/login?provider=${q}`],
			['return_to on the choice page', `${AUTH}/?return_to=${q}`],
			['return_to on the logout page', `${AUTH}/logout?return_to=${q}`],
			['a 404 path', `${AUTH}/${q}`],
		];
		for (const [what, url] of pages) {
			const res = await b.get(url, { cookie: null });
			markupFree(`${tag} via ${what}`, res, p);
		}
		/* With a real flow: the error page for that flow. */
		const f = new Browser();
		const start = await f.get(`${AUTH}/login/alpha?return_to=${q}`);
		const state = new URL(start.location).searchParams.get('state');
		const res = await f.get(`${AUTH}/callback?state=${state}&error=${q}` +
		    `&error_description=${q}`);
		markupFree(`${tag} via a flow's error`, res, p);
		const json = await b.get(`${AUTH}/callback?error=${q}`, {
			cookie: null, headers: { Accept: 'application/json' } });
		markupFree(`${tag} via a JSON error`, json, p);
	}
	/* Claims are the provider's words: escaped on every page. */
	const claims = { name: XSS[0], email: `x${XSS[1]}@example.com`,
	    nickname: XSS[2], [XSS[3]]: XSS[4] };
	await scenario('alpha', { claims, userinfo: { claims } });
	const u = await signIn('alpha');
	for (const [what, url] of [['the signed-in page', `${AUTH}/`],
	    ['the logout page', `${AUTH}/logout`], ['/user', `${AUTH}/user`]])
		markupFree(`hostile claims on ${what}`, await u.get(url), XSS[0]);
	await scenario('alpha', {});
}

/* --- session --------------------------------------------------------------- */

async function session() {
	/* Fixation: a session planted before the login is replaced. */
	await scenario('beta', { sub: 'mallory' });
	const mallory = await signIn('beta');
	const planted = mallory.jar(new URL(WEB).origin).get(SESSION);
	const victim = new Browser();
	victim.jar(new URL(WEB).origin).set(SESSION, planted);
	is((await userOf(victim)).sub, 'mallory', 'fixation: the planted session is mallory\'s');
	/*
	 * Signed in (planted) with beta, a login through alpha does not
	 * silently replace the session (issue 15): the page names the
	 * account, which shows the planted one; the login the person then
	 * chooses (switch=1) replaces it.
	 */
	const asked = await victim.get(`${AUTH}/login/alpha`);
	is(asked.status, 200, 'fixation: a login through alpha first asks');
	ok(/Mallory/.test(asked.body), 'fixation: ... naming the planted account',
	    asked.body.slice(0, 300));
	const r = await victim.login(`${AUTH}/login/alpha?switch=1`);
	is(r.callback?.status, 302, 'fixation: the victim signs in through alpha');
	const fresh = r.callback ? sessionCookie(r.callback) : undefined;
	ok(fresh !== undefined && fresh.attrs['max-age'] !== '0',
	    'fixation: the callback sets a session cookie');
	ok(fresh !== undefined && fresh.value !== planted,
	    'fixation: a fresh value, not the planted one');
	is((await userOf(victim)).sub, 'alice', 'fixation: the victim is alice now');
	is((await userOf(mallory)).sub, 'mallory',
	    'fixation: the planted value still names only mallory');
	const g = new Browser();
	g.jar(new URL(WEB).origin).set(SESSION, 'planted-garbage');
	const gr = await g.login(`${AUTH}/login/alpha`);
	const gf = gr.callback ? sessionCookie(gr.callback) : undefined;
	ok(gf !== undefined && gf.value !== 'planted-garbage' &&
	    gf.attrs['max-age'] !== '0', 'fixation: a planted garbage cookie is replaced');
	await scenario('beta', {});

	/* Login CSRF: a callback from another browser's flow is refused. */
	const a = new Browser();
	const aStart = await a.get(`${AUTH}/login/alpha`);
	ok(aStart.status === 302, 'csrf: browser A starts a login');
	const attacker = new Browser();
	const bStart = await attacker.get(`${AUTH}/login/alpha`);
	const bBack = await attacker.get(bStart.location);
	const stolen = bBack.location;
	ok(/[?&]state=/.test(stolen ?? '') && /[?&]code=/.test(stolen ?? ''),
	    'csrf: the attacker holds a callback URL with state and code');
	const res = await a.get(stolen);
	is(res.status, 400, 'csrf: the attacker\'s callback in browser A: 400');
	ok(!setsSession(res), 'csrf: no session cookie set in A');
	is((await userOf(a)).is_logged_in, false, 'csrf: A is not signed in');
	const c = new Browser();
	const cres = await c.get(stolen);
	is(cres.status, 400, 'csrf: in a browser without any flow: 400');
	ok(!setsSession(cres), 'csrf: no session cookie set there either');
	const mine = await attacker.get(stolen);
	is(mine.status, 302, 'csrf: the flow still completes in its own browser');
	/* A's own flow with the attacker's state swapped in: refused too. */
	const aBack = await a.get(aStart.location);
	const swapped = new URL(aBack.location);
	swapped.searchParams.set('state', new URL(stolen).searchParams.get('state'));
	const sw = await a.get(swapped.href);
	is(sw.status, 400, 'csrf: A\'s code with another flow\'s state: 400');
	ok(!setsSession(sw), 'csrf: no session from the swapped state');
}

/* --- flags ----------------------------------------------------------------- */

function cookieFlags(desc, c) {
	const want = HTTPS ? '__Host-' : '';
	ok(c.name.startsWith('__Host-') === HTTPS,
	    `${desc}: ${HTTPS ? 'the __Host- prefix' : 'no __Host- prefix'}`, c.name);
	ok((c.attrs.secure === true) === HTTPS,
	    `${desc}: ${HTTPS ? 'Secure' : 'not Secure (http)'}`, JSON.stringify(c.attrs));
	ok(c.attrs.httponly === true, `${desc}: HttpOnly`, JSON.stringify(c.attrs));
	ok(/^lax$/i.test(c.attrs.samesite ?? ''), `${desc}: SameSite=Lax`,
	    JSON.stringify(c.attrs));
	is(c.attrs.path, '/', `${desc}: Path=/`);
	ok(c.attrs.domain === undefined, `${desc}: no Domain${want ? ' (__Host-)' : ''}`);
}

function pageHeaders(desc, res) {
	const h = (k) => (res.headers[k] ?? []).join(', ');
	ok(/\bno-store\b/.test(h('cache-control')), `${desc}: Cache-Control no-store`,
	    h('cache-control'));
	ok(/default-src 'none'/.test(h('content-security-policy')) &&
	    /frame-ancestors 'none'/.test(h('content-security-policy')),
	    `${desc}: Content-Security-Policy`, h('content-security-policy'));
	is(h('x-frame-options'), 'DENY', `${desc}: X-Frame-Options DENY`);
	is(h('referrer-policy'), 'no-referrer', `${desc}: Referrer-Policy no-referrer`);
	is(h('x-content-type-options'), 'nosniff', `${desc}: X-Content-Type-Options nosniff`);
}

async function flags() {
	const scheme = HTTPS ? 'https' : 'http';
	const b = new Browser();
	const start = await b.get(`${AUTH}/login/alpha?return_to=%2Fprivate%2Fpage`);
	const flow = start.setCookies.find((c) => c.name.includes('_flow_'));
	ok(flow !== undefined, `${scheme}: the login sets a flow cookie`);
	if (flow) {
		cookieFlags(`${scheme}: flow cookie`, flow);
		is(flow.attrs['max-age'], '600', `${scheme}: flow cookie Max-Age=600`);
	}
	ok(/\bno-store\b/.test((start.headers['cache-control'] ?? []).join()),
	    `${scheme}: the login redirect is no-store`);
	const back = await b.get(start.location);
	const cb = await b.get(back.location);
	is(cb.status, 302, `${scheme}: the login completes`);
	const sc = sessionCookie(cb);
	ok(sc !== undefined, `${scheme}: the callback sets the session cookie`);
	if (sc)
		cookieFlags(`${scheme}: session cookie`, sc);
	const gone = cb.setCookies.find((c) => c.name.includes('_flow_'));
	ok(gone !== undefined && gone.attrs['max-age'] === '0',
	    `${scheme}: the callback deletes the flow cookie`);
	if (gone)
		cookieFlags(`${scheme}: flow deletion`, gone);
	const all = [...start.setCookies, ...cb.setCookies];
	ok(all.every((c) => (c.attrs.secure === true) === HTTPS),
	    `${scheme}: every cookie ${HTTPS ? 'is' : 'is not'} Secure`);

	const pages = [
		['the signed-in page', `${AUTH}/`, b, 200],
		['the logout page (signed in)', `${AUTH}/logout`, b, 200],
		['the choice page', `${AUTH}/`, null, 200],
		['the logout page', `${AUTH}/logout`, null, 200],
		['a 404 page', `${AUTH}/no-such-page`, null, 404],
		['a 400 page', `${AUTH}/?return_to=%00`, null, 400],
		['the callback error page', `${AUTH}/callback?error=access_denied`, null, 400],
		['a stale callback', `${AUTH}/callback?state=x&code=y`, null, 400],
		['the unknown-provider page', `${AUTH}/login/nobody`, null, 404],
		['the authorizer\'s login redirect', `${WEB}/private/page`, null, 302],
	];
	for (const [what, url, who, status] of pages) {
		const c = who ?? new Browser();
		const res = await c.get(url, who ? {} : { cookie: null,
		    headers: { Accept: 'text/html' } });
		is(res.status, status, `${scheme}: ${what}: ${status}`);
		if (status !== 302)
			ok(/^text\/html/.test((res.headers['content-type'] ?? [''])[0]),
			    `${scheme}: ${what}: HTML`);
		pageHeaders(`${scheme}: ${what}`, res);
	}
	const lp = await b.get(`${AUTH}/logout`);
	const csrf = hiddenValues(lp.body, 'csrf')[0] ?? '';
	const out = await b.post(`${AUTH}/logout`, { csrf, return_to: '/' });
	is(out.status, 303, `${scheme}: logout answers 303`);
	const del = sessionCookie(out);
	ok(del !== undefined && del.attrs['max-age'] === '0',
	    `${scheme}: logout deletes the session cookie`);
	if (del)
		cookieFlags(`${scheme}: session deletion`, del);
	ok(pageLinks(lp.body).length > 0, `${scheme}: the logout page has its form`);
}

const SECTIONS = { headers, cookies, query, xss, session, flags };

const fn = SECTIONS[process.argv[2]];
if (fn === undefined) {
	console.error(`usage: catalogue.js ${Object.keys(SECTIONS).join('|')}`);
	process.exit(2);
}
fn().then(() => {
	if (n === 0)
		process.exit(1);
}).catch((err) => {
	console.error(err.stack);
	process.exit(1);
});
