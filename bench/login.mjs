#!/usr/bin/env node
/*
 * Drives complete OpenID Connect logins, one after the other, as a
 * browser would: the relying party's start URL (oidc-login's
 * /auth/login/NAME, or a page mod_auth_openidc protects), the test
 * provider (tests/op/provider.js: its login and consent forms when it
 * shows them), the callback, until the relying party answers with
 * something else than a redirect to the provider.
 *
 * Usage:
 *   node bench/login.mjs --start URL --jar FILE [--count N] [--login NAME]
 *       [--cookie-out FILE] [--cookie-prefix NAME]
 *
 * --jar FILE         cookies kept between runs (JSON; created when absent),
 *                    so the provider's session and grant from an earlier
 *                    run spare the forms: a returning user's login.  The
 *                    relying party's cookies are dropped before each login.
 * --count N          logins to do (default 1)
 * --cookie-out FILE  after the last login, the relying party's cookies
 *                    whose names start with --cookie-prefix, written as
 *                    the value of one Cookie header (for wrk)
 *
 * Prints one JSON line: {"logins", "seconds", "per_second",
 * "callback_ms": {"median", "p90"}, "final_status"}.  Exits 1 when a
 * login fails, naming the step.
 */

import * as fs from 'node:fs';
import * as http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
	options: {
		start: { type: 'string' },
		jar: { type: 'string' },
		count: { type: 'string', default: '1' },
		login: { type: 'string', default: 'alice' },
		'cookie-out': { type: 'string' },
		'cookie-prefix': { type: 'string', default: '' },
	},
	strict: true,
});
if (!opt.start || !opt.jar) {
	process.stderr.write('usage: login.mjs --start URL --jar FILE [--count N]\n');
	process.exit(2);
}

/* origin -> { name: value }; paths and expiry do not matter here. */
let jar = {};
try {
	jar = JSON.parse(fs.readFileSync(opt.jar, 'utf8'));
} catch {
	jar = {};
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function remember(origin, headers) {
	const cookies = (jar[origin] ??= {});
	for (const line of headers['set-cookie'] ?? []) {
		const [pair, ...attrs] = line.split(';');
		const eq = pair.indexOf('=');
		if (eq <= 0)
			continue;
		const name = pair.slice(0, eq).trim();
		const value = pair.slice(eq + 1).trim();
		const gone = value === '' || attrs.some((a) =>
		    /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
		if (gone)
			delete cookies[name];
		else
			cookies[name] = value;
	}
}

function cookieHeader(origin) {
	return Object.entries(jar[origin] ?? {})
	    .map(([n, v]) => `${n}=${v}`).join('; ');
}

function request(method, url, form) {
	const u = new URL(url);
	const body = form ? new URLSearchParams(form).toString() : null;
	const headers = { Accept: 'text/html' };
	const cookie = cookieHeader(u.origin);
	if (cookie)
		headers.Cookie = cookie;
	if (body !== null) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		headers['Content-Length'] = Buffer.byteLength(body);
	}
	return new Promise((resolve, reject) => {
		const t0 = process.hrtime.bigint();
		const req = http.request(u, { method, headers, agent }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				remember(u.origin, res.headers);
				resolve({
					status: res.statusCode,
					location: res.headers.location ?
					    new URL(res.headers.location, u).href : null,
					body: Buffer.concat(chunks).toString('utf8'),
					ms: Number(process.hrtime.bigint() - t0) / 1e6,
				});
			});
		});
		req.setTimeout(20000, () => req.destroy(new Error(`timeout: ${url}`)));
		req.on('error', reject);
		req.end(body ?? undefined);
	});
}

function formAction(html, base) {
	const m = html.match(/<form[^>]*action="([^"]*)"/);
	return m ? new URL(m[1].replace(/&amp;/g, '&'), base).href : null;
}

/* One login; returns the time of the callback request in ms. */
async function login() {
	const rp = new URL(opt.start).origin;
	/* A new visitor of the site, who is still signed in at the provider. */
	delete jar[rp];
	let res = await request('GET', opt.start);
	if (res.status !== 302 || !res.location)
		throw new Error(`start: ${res.status} ${opt.start}`);
	const op = new URL(res.location).origin;
	if (op === rp)
		throw new Error(`start: redirected to itself: ${res.location}`);
	let url = res.location;
	for (let hops = 0; hops < 20; hops++) {
		if (new URL(url).origin !== op) {
			res = await request('GET', url);
			/* Back at the relying party: the callback. */
			if (res.status !== 302)
				throw new Error(`callback: ${res.status} ${url.split('?')[0]}: ${res.body.slice(0, 300)}`);
			return { ms: res.ms, status: res.status };
		}
		res = await request('GET', url);
		if (res.status >= 300 && res.status < 400 && res.location) {
			url = res.location;
			continue;
		}
		if (res.status !== 200)
			throw new Error(`provider: ${res.status} ${url}`);
		const action = formAction(res.body, url);
		if (!action)
			throw new Error(`provider: no form at ${url}`);
		const form = /name="login"/.test(res.body) ?
		    { login: opt.login, password: 'x' } : { prompt: 'consent' };
		res = await request('POST', action, form);
		if (res.status < 300 || res.status >= 400 || !res.location)
			throw new Error(`provider form: ${res.status} ${action}`);
		url = res.location;
	}
	throw new Error('too many redirects');
}

function quantile(sorted, q) {
	if (sorted.length === 0)
		return null;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main() {
	const count = Number(opt.count);
	const times = [];
	let last = null;
	const t0 = process.hrtime.bigint();
	for (let i = 0; i < count; i++) {
		last = await login();
		times.push(last.ms);
	}
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	fs.writeFileSync(opt.jar, JSON.stringify(jar));
	if (opt['cookie-out']) {
		const rp = new URL(opt.start).origin;
		const line = Object.entries(jar[rp] ?? {})
		    .filter(([n]) => n.startsWith(opt['cookie-prefix']))
		    .map(([n, v]) => `${n}=${v}`).join('; ');
		fs.writeFileSync(opt['cookie-out'], `${line}\n`);
	}
	times.sort((a, b) => a - b);
	process.stdout.write(`${JSON.stringify({
		logins: count,
		seconds: Number(seconds.toFixed(3)),
		per_second: Number((count / seconds).toFixed(2)),
		callback_ms: {
			median: Number(quantile(times, 0.5)?.toFixed(3)),
			p90: Number(quantile(times, 0.9)?.toFixed(3)),
		},
		final_status: last?.status ?? null,
	})}\n`);
	agent.destroy();
}

main().catch((err) => {
	process.stderr.write(`login.mjs: ${err.message}\n`);
	agent.destroy();
	process.exit(1);
});
