#!/usr/bin/env node
/*
 * One WebSocket handshake, as a shell test needs to see it (curl 7.88
 * cannot speak WebSocket): prints one JSON line saying whether the server
 * upgraded the connection, and if so what the stand-in app
 * (tests/streamlit/app.js) said first and whether it answered a ping.
 *
 * Usage:
 *   node tests/streamlit/ws-probe.js URL [-H 'Name: value']...
 *     URL   ws://127.0.0.1:PORT/app/_stcore/stream
 *     -H    an extra request header (Cookie, Origin, a forged
 *           X-Auth-Request-User, Sec-Fetch-Mode, ...); repeatable
 *
 * Prints, and exits 0:
 *   {"status": 101, "hello": {...first message...}, "pong": true|false,
 *    "leaked": {...Variable-* and X-Auth-Request-* headers of the 101...}}
 *   {"status": 302, "location": "...", "body": "..."}  (any refusal)
 *   {"status": 0, "error": "..."}                      (no answer at all)
 * Exits 2 on bad usage.  Never follows a redirect.
 */

import { parseArgs } from 'node:util';

import WebSocket from 'ws';

const TIMEOUT_MS = 10000;
const BODY_MAX = 2000;

function usage(msg) {
	process.stderr.write(`ws-probe.js: ${msg}\n` +
	    "usage: node tests/streamlit/ws-probe.js URL [-H 'Name: value']...\n");
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: { header: { type: 'string', short: 'H', multiple: true } },
			strict: true,
		});
	} catch (err) {
		usage(err.message);
	}
	if (parsed.positionals.length !== 1)
		usage('one URL');
	const headers = {};
	for (const h of parsed.values.header ?? []) {
		const i = h.indexOf(':');
		if (i <= 0)
			usage(`not a header: ${h}`);
		headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
	}
	return { url: parsed.positionals[0], headers };
}

let done = false;

function finish(result) {
	if (done)
		return;
	done = true;
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.exit(0);
}

function main() {
	const { url, headers } = readOptions();
	const ws = new WebSocket(url, {
		headers,
		followRedirects: false,
		perMessageDeflate: false,
		handshakeTimeout: TIMEOUT_MS,
	});
	const result = { status: 0 };
	setTimeout(() => finish({ ...result, error: 'timeout' }), TIMEOUT_MS).unref();

	ws.on('unexpected-response', (req, res) => {
		let body = '';
		res.setEncoding('utf8');
		res.on('data', (chunk) => {
			if (body.length < BODY_MAX)
				body += chunk;
		});
		res.on('end', () => finish({
			status: res.statusCode,
			location: res.headers.location ?? null,
			body: body.slice(0, BODY_MAX),
		}));
		res.on('error', () => finish({ status: res.statusCode, body }));
	});
	ws.on('upgrade', (res) => {
		result.status = res.statusCode;
		/* What the server meant for itself, never for the client. */
		result.leaked = Object.fromEntries(Object.entries(res.headers)
		    .filter(([name]) => /^(variable-|x-auth-request-)/.test(name)));
	});
	ws.on('message', (data) => {
		const text = String(data);
		if (result.hello === undefined) {
			try {
				result.hello = JSON.parse(text);
			} catch {
				result.hello = text;
			}
			result.pong = false;
			ws.send('ping');
			return;
		}
		if (text === 'pong') {
			result.pong = true;
			ws.close();
			finish(result);
		}
	});
	ws.on('close', () => finish(result));
	ws.on('error', (err) => finish({ ...result, error: err.message }));
}

main();
