#!/usr/bin/env node
/*
 * The open-redirect corpus: return_to values (as oidc-login sees them
 * after the query is decoded) that try to leave the site.  Deterministic:
 * the same list on every run, in the same order.
 *
 *   node tests/attack/gen-redirects.js        one JSON string per line
 *   import { generate } from './gen-redirects.js'
 *
 * Each entry is {payload, why}.  A payload is built from a target that
 * points elsewhere (protocol-relative, backslashes, schemes, userinfo,
 * Unicode look-alikes of '/', '\' and '.'), then disguised: percent
 * encoding once, twice, three times, of one character or all of them,
 * in either case of hex digit; whitespace and control characters before,
 * inside or after; raw UTF-8 or percent-encoded UTF-8.
 */

import { fileURLToPath } from 'node:url';

const EVIL = 'evil.example';

/* Leading forms that a browser may resolve to another host. */
const HOST_PREFIXES = [
	'//', '///', '////', '/\\', '\\\\', '\\/', '/\\/', '\\/\\', '/\t/',
	'/\n/', '/\r/', '/\r\n/', '/ /', ' //', '\t//', '\n//', '\x00//',
	'/\x00/', '/\x0b/', '/\x0c/', '/\x7f/', '\\\t\\', '/./', '/.\\',
	'/../', '/..\\', '/.//', '/..//', '/%2e/', '/%2e%2e//',
];

/* Unicode characters some parser or normaliser turns into '/', '\' or '.'. */
const LOOKALIKES = [
	['\u2044', 'FRACTION SLASH'],
	['\u2215', 'DIVISION SLASH'],
	['\uFF0F', 'FULLWIDTH SOLIDUS'],
	['\u29F8', 'BIG SOLIDUS'],
	['\uFE68', 'SMALL REVERSE SOLIDUS'],
	['\uFF3C', 'FULLWIDTH REVERSE SOLIDUS'],
	['\u2216', 'SET MINUS'],
	['\u3002', 'IDEOGRAPHIC FULL STOP'],
	['\uFF0E', 'FULLWIDTH FULL STOP'],
	['\uFF61', 'HALFWIDTH IDEOGRAPHIC FULL STOP'],
	['\u2024', 'ONE DOT LEADER'],
	['\u00A0', 'NO-BREAK SPACE'],
	['\u200B', 'ZERO WIDTH SPACE'],
	['\u2028', 'LINE SEPARATOR'],
	['\u202E', 'RIGHT-TO-LEFT OVERRIDE'],
	['\uFEFF', 'BYTE ORDER MARK'],
];

const SCHEMES = [
	'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'JAVASCRIPT:alert(1)',
	'java\nscript:alert(1)', 'java\tscript:alert(1)',
	'java\rscript:alert(1)', ' javascript:alert(1)', '\tjavascript:alert(1)',
	'\x01javascript:alert(1)', 'javascript://%0aalert(1)',
	'javascript://evil.example/%0aalert(1)', 'javascript:/\\/alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
	'DATA:text/html,x', 'vbscript:msgbox(1)', 'VBScript:msgbox(1)',
	'https://evil.example/', 'http://evil.example/', 'HTTPS://EVIL.EXAMPLE',
	'https:evil.example', 'https:/evil.example', 'https:\\\\evil.example',
	'http:/\\evil.example', 'https:/\\/evil.example', 'ftp://evil.example/',
	'file:///etc/passwd', 'blob:https://evil.example/x',
	'ws://evil.example/', 'view-source:https://evil.example/',
	'\x00https://evil.example', ' https://evil.example',
	'\thttps://evil.example', 'ht\ttps://evil.example',
	'ht\ntps://evil.example', 'mailto:evil@evil.example',
];

/* Userinfo and '@' tricks: the host is whatever follows the last '@'. */
const AT_TRICKS = [
	'//127.0.0.1@evil.example', '//user:pass@evil.example/',
	'//@evil.example', '/@evil.example', '@evil.example',
	'//evil.example@127.0.0.1', 'https://127.0.0.1@evil.example',
	'//127.0.0.1%40evil.example', '//127.0.0.1:80@evil.example',
	'//evil.example\\@127.0.0.1', '//evil.example%5C@127.0.0.1',
	'/\\127.0.0.1@evil.example', '//evil.example#@127.0.0.1',
	'//evil.example?@127.0.0.1', '//evil.example%23@127.0.0.1',
];

/* Targets after a host prefix. */
const HOST_TAILS = [EVIL, `${EVIL}/path`, `${EVIL}:443/`, '0x7f.1', '2130706433',
	'[::1]', `${EVIL}%00.127.0.0.1`];

function pct(c) {
	return [...Buffer.from(c, 'utf8')].map((b) =>
	    '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/* Percent-encodes every character of s that is in set (or every one). */
function encodeChars(s, set) {
	let out = '';
	for (const c of s)
		out += set === null || set.includes(c) ? pct(c) : c;
	return out;
}

function lower(s) {
	return s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

/* The disguises of one payload: [payload, tag]. */
function disguises(p) {
	const once = encodeChars(p, '/\\:@.\t\r\n \x00');
	const twice = once.replace(/%/g, '%25');
	const thrice = twice.replace(/%/g, '%25');
	const out = [
		[p, 'plain'],
		[encodeChars(p, '/'), 'slashes encoded'],
		[encodeChars(p, '\\'), 'backslashes encoded'],
		[once, 'encoded once'],
		[lower(once), 'encoded once, lower-case hex'],
		[twice, 'encoded twice'],
		[thrice, 'encoded three times'],
		[encodeChars(p, null), 'every byte encoded'],
	];
	const seen = new Set();
	return out.filter(([v]) => !seen.has(v) && seen.add(v));
}

export function generate() {
	const base = [];
	for (const pre of HOST_PREFIXES)
		for (const tail of HOST_TAILS.slice(0, pre.length <= 3 ? 7 : 2))
			base.push([pre + tail, `prefix ${JSON.stringify(pre)}`]);
	for (const [c, name] of LOOKALIKES) {
		base.push([`/${c}${c}${EVIL}`, `${name} twice after /`]);
		base.push([`${c}${c}${EVIL}`, `${name} twice`]);
		base.push([`/${c}${EVIL}`, `/ then ${name}`]);
		base.push([`//${EVIL.replace('.', c)}`, `// and ${name} as the dot`]);
		base.push([`/${pct(c)}${pct(c)}${EVIL}`, `${name} percent-encoded`]);
	}
	for (const s of SCHEMES)
		base.push([s, 'scheme']);
	for (const s of AT_TRICKS)
		base.push([s, 'userinfo']);
	const out = [];
	const seen = new Set();
	for (const [p, why] of base)
		for (const [v, tag] of disguises(p)) {
			if (seen.has(v))
				continue;
			seen.add(v);
			out.push({ payload: v, why: `${why}, ${tag}` });
		}
	/* Same-site controls: these must be honoured, not only refused. */
	for (const good of ['/', '/private/page', '/private/page?x=1&y=%2F',
	    '/a/b/c', '/javascript:alert(1)', '/%40evil.example', '/x#frag'])
		out.push({ payload: good, why: 'same-site control', good: true });
	return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
	for (const e of generate())
		process.stdout.write(JSON.stringify(e.payload) + '\n');
