/*
 * A small HTTP client for oidc-login's attack, soak and RSS tests: a
 * browser-like cookie jar per origin, keep-alive connections, raw
 * requests for bytes node's http module refuses to send (control
 * characters, spaces, non-ASCII in the request target or headers), and
 * a login walk through tests/hostile/provider.js, whose authorization
 * endpoint redirects straight back with a code.
 *
 * Only loopback addresses are ever contacted: every URL is checked.
 */

import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TIMEOUT_MS = 30000;

export function assertLoopback(url) {
	const u = new URL(url);
	if (!LOOPBACK.has(u.hostname))
		throw new Error(`refusing a non-loopback URL: ${url}`);
	return u;
}

/* Parses one Set-Cookie value: {name, value, attrs (lower-case keys)}. */
export function parseSetCookie(line) {
	const parts = line.split(';');
	const first = parts.shift();
	const eq = first.indexOf('=');
	const attrs = {};
	for (const p of parts) {
		const i = p.indexOf('=');
		const k = (i < 0 ? p : p.slice(0, i)).trim().toLowerCase();
		attrs[k] = i < 0 ? true : p.slice(i + 1).trim();
	}
	return {
		name: first.slice(0, eq).trim(),
		value: first.slice(eq + 1).trim(),
		attrs,
	};
}

export function isDeleting(c) {
	return c.attrs['max-age'] === '0' ||
	    (typeof c.attrs.expires === 'string' && /1970/.test(c.attrs.expires));
}

/* Response headers as {lower-case name: [values]}. */
function headerMap(raw) {
	const h = {};
	for (let i = 0; i + 1 < raw.length; i += 2) {
		const k = raw[i].toLowerCase();
		(h[k] ??= []).push(raw[i + 1]);
	}
	return h;
}

/* Parses a whole HTTP/1.x response (close-delimited or with a length). */
function parseRaw(buf) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0)
		return { status: 0, headers: {}, rawHeaders: [], body: '' };
	const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
	const status = Number(lines.shift().split(' ')[1]);
	const rawHeaders = [];
	for (const l of lines) {
		const i = l.indexOf(':');
		rawHeaders.push(l.slice(0, i), l.slice(i + 1).trim());
	}
	const headers = headerMap(rawHeaders);
	let body = buf.subarray(end + 4);
	if ((headers['transfer-encoding'] ?? [''])[0].toLowerCase() === 'chunked')
		body = dechunk(body);
	return { status, headers, rawHeaders, body: body.toString('utf8') };
}

function dechunk(b) {
	const out = [];
	let p = 0;
	for (;;) {
		const eol = b.indexOf('\r\n', p);
		if (eol < 0)
			break;
		const n = parseInt(b.subarray(p, eol).toString('latin1'), 16);
		if (!(n > 0))
			break;
		out.push(b.subarray(eol + 2, eol + 2 + n));
		p = eol + 2 + n + 2;
	}
	return Buffer.concat(out);
}

export class Browser {
	/* opts.origin: the site (http or https, loopback only). */
	constructor(opts = {}) {
		this.jars = new Map();		/* origin -> Map(name -> value) */
		this.agents = {
			'http:': new http.Agent({ keepAlive: true, maxSockets: 4 }),
			'https:': new https.Agent({ keepAlive: true, maxSockets: 4,
			    rejectUnauthorized: false }),
		};
		this.requests = 0;
		this.opts = opts;
	}

	close() {
		for (const a of Object.values(this.agents))
			a.destroy();
	}

	jar(origin) {
		let j = this.jars.get(origin);
		if (j === undefined)
			this.jars.set(origin, j = new Map());
		return j;
	}

	cookieHeader(origin) {
		return [...this.jar(origin)].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	absorb(origin, res) {
		const j = this.jar(origin);
		res.setCookies = (res.headers['set-cookie'] ?? []).map(parseSetCookie);
		for (const c of res.setCookies) {
			if (isDeleting(c))
				j.delete(c.name);
			else
				j.set(c.name, c.value);
		}
	}

	/*
	 * One request, redirects not followed.  opts: headers, body, cookie
	 * (a Cookie header instead of the jar's; null: none), raw (send the
	 * target and headers byte for byte on a fresh connection).  Resolves
	 * {status, headers, rawHeaders, body, location (absolute or null),
	 * setCookies}.
	 */
	async request(method, url, opts = {}) {
		const u = assertLoopback(url);
		const headers = { ...(opts.headers ?? {}) };
		const cookie = opts.cookie !== undefined ? opts.cookie :
		    this.cookieHeader(u.origin);
		if (cookie)
			headers.Cookie = cookie;
		if (opts.body !== undefined)
			headers['Content-Length'] = Buffer.byteLength(opts.body);
		this.requests++;
		const res = opts.raw ?
		    await this.rawRequest(method, u, opts.target, headers, opts.body) :
		    await this.nodeRequest(method, u, opts.target, headers, opts.body);
		this.absorb(u.origin, res);
		const loc = (res.headers.location ?? [])[0];
		res.rawLocation = loc ?? null;
		try {
			res.location = loc === undefined ? null : new URL(loc, u).href;
		} catch {
			res.location = null;
		}
		return res;
	}

	get(url, opts = {}) {
		return this.request('GET', url, opts);
	}

	post(url, form, opts = {}) {
		const body = typeof form === 'string' ? form :
		    new URLSearchParams(form).toString();
		return this.request('POST', url, { ...opts, body, headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			...(opts.headers ?? {}) } });
	}

	nodeRequest(method, u, target, headers, body) {
		const mod = u.protocol === 'https:' ? https : http;
		return new Promise((resolve, reject) => {
			const req = mod.request({
				method, host: u.hostname, port: u.port,
				path: target ?? u.pathname + u.search, headers,
				agent: this.agents[u.protocol],
				timeout: TIMEOUT_MS,
			}, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({
					status: res.statusCode,
					headers: headerMap(res.rawHeaders),
					rawHeaders: res.rawHeaders,
					body: Buffer.concat(chunks).toString('utf8'),
				}));
				res.on('error', reject);
			});
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', reject);
			req.end(body);
		});
	}

	/* target: the request target as bytes (a latin1 or utf8 string). */
	rawRequest(method, u, target, headers, body) {
		let head = `${method} ${target ?? u.pathname + u.search} HTTP/1.1\r\n` +
		    `Host: ${u.host}\r\nConnection: close\r\n`;
		for (const [k, v] of Object.entries(headers))
			head += `${k}: ${v}\r\n`;
		const data = Buffer.concat([Buffer.from(head + '\r\n', 'utf8'),
		    Buffer.from(body ?? '', 'utf8')]);
		return new Promise((resolve, reject) => {
			const chunks = [];
			const opts = { host: u.hostname, port: Number(u.port) };
			const sock = u.protocol === 'https:' ?
			    tls.connect({ ...opts, rejectUnauthorized: false }) :
			    net.connect(opts);
			sock.setTimeout(TIMEOUT_MS, () => sock.destroy(
			    new Error('timeout')));
			sock.on(u.protocol === 'https:' ? 'secureConnect' : 'connect',
			    () => sock.end(data));
			sock.on('data', (c) => chunks.push(c));
			sock.on('error', (e) => {
				/* The server may close early on a huge request. */
				if (chunks.length > 0 || e.code === 'EPIPE' ||
				    e.code === 'ECONNRESET')
					resolve(parseRaw(Buffer.concat(chunks)));
				else
					reject(e);
			});
			sock.on('end', () => resolve(parseRaw(Buffer.concat(chunks))));
		});
	}

	/*
	 * A whole login through the hostile provider: GET start (302 to the
	 * provider), the provider's 302 back to the callback, the callback.
	 * Resolves {start, callback}; callback is null when the walk broke.
	 */
	async login(start, opts = {}) {
		const site = new URL(start).origin;
		const first = await this.get(start, opts);
		if (first.status !== 302 || first.location === null ||
		    new URL(first.location).origin === site)
			return { start: first, callback: null };
		const back = await this.get(first.location);
		if (back.status !== 302 || back.location === null ||
		    new URL(back.location).origin !== site)
			return { start: first, provider: back, callback: null };
		const callback = await this.get(back.location);
		return { start: first, provider: back, callback };
	}
}

/* Every href, src and action attribute of a page, HTML-unescaped. */
export function pageLinks(html) {
	const out = [];
	const re = /\b(?:href|src|action)\s*=\s*"([^"]*)"/gi;
	for (const m of html.matchAll(re))
		out.push(htmlUnescape(m[1]));
	return out;
}

/* Values of hidden inputs named name. */
export function hiddenValues(html, name) {
	const out = [];
	const re = /<input\b[^>]*>/gi;
	for (const m of html.matchAll(re)) {
		const n = /\bname\s*=\s*"([^"]*)"/i.exec(m[0]);
		const v = /\bvalue\s*=\s*"([^"]*)"/i.exec(m[0]);
		if (n && n[1] === name && v)
			out.push(htmlUnescape(v[1]));
	}
	return out;
}

export function htmlUnescape(s) {
	return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi,
	    (all, e) => {
		const l = e.toLowerCase();
		if (l === 'amp') return '&';
		if (l === 'lt') return '<';
		if (l === 'gt') return '>';
		if (l === 'quot') return '"';
		if (l === 'apos') return "'";
		if (l.startsWith('#x'))
			return String.fromCodePoint(parseInt(l.slice(2), 16));
		return String.fromCodePoint(parseInt(l.slice(1), 10));
	});
}

/* Runs fn over items with n workers at once; resolves the results. */
export async function pool(items, n, fn) {
	const out = new Array(items.length);
	let next = 0;
	async function worker() {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	}
	await Promise.all(Array.from({ length: Math.min(n, items.length) },
	    worker));
	return out;
}
