#!/usr/bin/env node
/*
 * A mixed load for the soak and RSS tests: every route, good and bad
 * cookies, bad queries, oversized headers, the authorizer (/private/),
 * /check and /healthz, and (with --logins) complete logins through the
 * hostile provider followed by a signed-in logout.  Every answer is
 * checked against the status it must have.
 *
 *   node load.js --requests N [--logins EVERY] [--workers W]
 *       [--rss-pid PID --rss-at N,N,...]
 *
 * --logins EVERY: one whole login (and logout) every EVERY requests.
 * --rss-pid: prints "rss AT KB" (VmRSS of PID) when the count of
 * requests passes each --rss-at mark.
 *
 * Env: WEB, AUTH.  Prints "ok ..." / "not ok ... # ..." lines and
 * "# ..." notes for tests/attack/lib.sh's attack_node.
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { Browser, hiddenValues } from './client.js';

const WEB = process.env.WEB;
const AUTH = process.env.AUTH;
const HTTPS = WEB.startsWith('https:');
const SESSION = `${HTTPS ? '__Host-' : ''}oidc_login`;

const { values: opt } = parseArgs({
	options: {
		requests: { type: 'string', default: '10000' },
		logins: { type: 'string', default: '0' },
		workers: { type: 'string', default: '4' },
		'rss-pid': { type: 'string' },
		'rss-at': { type: 'string', default: '' },
	},
});
const TOTAL = Number(opt.requests);
const LOGIN_EVERY = Number(opt.logins);
const WORKERS = Number(opt.workers);
const RSS_AT = opt['rss-at'] ? opt['rss-at'].split(',').map(Number) : [];

let done = 0;
let issued = 0;
let logins = 0;
const bad = [];
const statusCount = new Map();

function rss(pid) {
	const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) : -1;
}

function count(res, want, what) {
	done++;
	statusCount.set(res.status, (statusCount.get(res.status) ?? 0) + 1);
	if (!want.includes(res.status) && bad.length < 1000)
		bad.push(`${what}: ${res.status} (want ${want.join('|')})`);
	while (RSS_AT.length > 0 && done >= RSS_AT[0]) {
		const at = RSS_AT.shift();
		console.log(`# rss ${at} ${rss(opt['rss-pid'])}`);
	}
}

const many = Array.from({ length: 200 }, (_, i) => `c${i}=1`).join('; ');
const params = Array.from({ length: 70 }, (_, i) => `p${i}=1`).join('&');

/* The mix: [what, method, url, options, expected statuses]. */
function mix(good, tampered) {
	const sess = `${SESSION}=${good}`;
	const html = { Accept: 'text/html' };
	return [
		['choice page', 'GET', `${AUTH}/`, {}, [200]],
		['choice page, return_to', 'GET', `${AUTH}/?return_to=%2Fprivate%2Fpage`, {}, [200]],
		['HEAD choice page', 'HEAD', `${AUTH}/`, {}, [200]],
		['signed-in page', 'GET', `${AUTH}/`, { cookie: sess }, [200]],
		['/user anonymous', 'GET', `${AUTH}/user`, {}, [200]],
		['/user signed in', 'GET', `${AUTH}/user`, { cookie: sess }, [200]],
		['/check signed in', 'GET', `${AUTH}/check`, { cookie: sess }, [200]],
		['/check anonymous', 'GET', `${AUTH}/check`, {}, [401]],
		['/healthz', 'GET', `${AUTH}/healthz`, {}, [200]],
		['style', 'GET', `${AUTH}/style.css`, {}, [200]],
		['logout page', 'GET', `${AUTH}/logout`, { cookie: sess }, [200]],
		['logout without csrf', 'POST', `${AUTH}/logout`, { cookie: sess,
		    body: 'return_to=%2F', form: true }, [403]],
		['logout anonymous', 'POST', `${AUTH}/logout`, { body: 'csrf=x', form: true }, [303]],
		['logout not a form', 'POST', `${AUTH}/logout`, { body: 'x' }, [400]],
		['login start', 'GET', `${AUTH}/login/alpha?return_to=%2Fprivate%2Fpage`, {}, [302]],
		['login start beta', 'GET', `${AUTH}/login/beta`, {}, [302]],
		['login, no such provider', 'GET', `${AUTH}/login/nobody`, {}, [404]],
		['login, several providers', 'GET', `${AUTH}/login`, {}, [200]],
		['stale callback', 'GET', `${AUTH}/callback?state=bogus&code=x`, {}, [400]],
		['callback error', 'GET', `${AUTH}/callback?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E`, {}, [400]],
		['callback, state twice', 'GET', `${AUTH}/callback?state=a&state=b&code=c`, {}, [400]],
		['404', 'GET', `${AUTH}/nope`, {}, [404]],
		['405', 'POST', `${AUTH}/user`, { body: '' }, [405]],
		['tampered cookie', 'GET', `${AUTH}/user`, { cookie: `${SESSION}=${tampered}` }, [200]],
		['garbage cookie', 'GET', `${AUTH}/check`, { cookie: `${SESSION}=garbage` }, [401]],
		['chunk count 99999999', 'GET', `${AUTH}/user`, { cookie: `${SESSION}=99999999` }, [200]],
		['200 cookies', 'GET', `${AUTH}/user`, { cookie: many }, [431]],
		['20 KiB cookie', 'GET', `${AUTH}/user`, { cookie: `big=${'x'.repeat(20480)}` }, [431]],
		['70 KiB header', 'GET', `${AUTH}/user`, { cookie: `big=${'x'.repeat(70000)}` }, [431, 400, 413]],
		['bad escape', 'GET', `${AUTH}/?return_to=%00`, {}, [400]],
		['70 parameters', 'GET', `${AUTH}/?${params}`, {}, [413, 431]],
		['9000-byte query', 'GET', `${AUTH}/?q=${'a'.repeat(9000)}`, {}, [413, 414, 431]],
		['authorizer anonymous', 'GET', `${WEB}/private/page`, { headers: html }, [302]],
		['authorizer XHR', 'GET', `${WEB}/private/page`, { headers: {
		    'X-Requested-With': 'XMLHttpRequest' } }, [401]],
		['authorizer POST', 'POST', `${WEB}/private/page`, { body: 'x' }, [401]],
		['authorizer signed in', 'GET', `${WEB}/private/page`, { cookie: sess }, [200]],
		['authorizer, bad cookie', 'GET', `${WEB}/private/page`, {
		    cookie: `${SESSION}=${tampered}`, headers: { Accept: 'application/json' } }, [401]],
	];
}

async function fullLogin() {
	const b = new Browser();
	try {
		const r = await b.login(`${AUTH}/login/alpha?return_to=%2Fprivate%2Fpage`);
		count(r.start, [302], 'login: start');
		if (r.callback === null) {
			bad.push('login: walk broke');
			return;
		}
		count(r.callback, [302], 'login: callback');
		const page = await b.get(`${AUTH}/logout`);
		count(page, [200], 'login: logout page');
		const csrf = hiddenValues(page.body, 'csrf')[0] ?? '';
		const out = await b.post(`${AUTH}/logout`, { csrf, return_to: '/' });
		count(out, [303], 'login: logout');
		logins++;
	} finally {
		b.close();
	}
}

async function worker(b, list) {
	for (;;) {
		const i = issued++;
		if (i >= TOTAL)
			return;
		if (LOGIN_EVERY > 0 && i % LOGIN_EVERY === 0) {
			await fullLogin();
			continue;
		}
		const [what, method, url, o, want] = list[i % list.length];
		const headers = { ...(o.headers ?? {}) };
		if (o.form)
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
		try {
			const res = await b.request(method, url, {
				headers, body: o.body,
				cookie: o.cookie ?? null,
			});
			count(res, want, what);
		} catch (err) {
			done++;
			bad.push(`${what}: ${err.message}`);
		}
	}
}

async function main() {
	const t0 = Date.now();
	const seed = new Browser();
	const r = await seed.login(`${AUTH}/login/beta`);
	if (r.callback === null || r.callback.status !== 302)
		throw new Error('the first login failed');
	const good = seed.jar(new URL(WEB).origin).get(SESSION);
	const [body, mac] = good.split('.');
	const tampered = `${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}` +
	    `${body.slice(-1)}.${mac}`;
	const list = mix(good, tampered);
	const browsers = Array.from({ length: WORKERS }, () => new Browser());
	await Promise.all(browsers.map((b) => worker(b, list)));
	for (const b of browsers)
		b.close();
	seed.close();
	const secs = (Date.now() - t0) / 1000;
	const statuses = [...statusCount].sort().map(([k, v]) => `${k}:${v}`).join(' ');
	console.log(`# ${done} requests (${logins} whole logins) in ` +
	    `${secs.toFixed(1)} s, ${(done / secs).toFixed(0)}/s; ${statuses}`);
	if (bad.length === 0)
		console.log(`ok ${done} mixed requests, each answered as it must be`);
	else
		console.log(`not ok ${done} mixed requests, each answered as it must be # ` +
		    `${bad.length} wrong: ${bad.slice(0, 8).join('; ')}`);
	if (LOGIN_EVERY > 0)
		console.log(`${logins > 0 && logins >= Math.floor(TOTAL / LOGIN_EVERY / 2) ?
		    'ok' : 'not ok'} ${logins} whole logins and logouts completed`);
}

main().catch((err) => {
	console.error(err.stack);
	process.exit(1);
});
