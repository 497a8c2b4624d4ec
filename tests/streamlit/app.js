#!/usr/bin/env node
/*
 * A stand-in for a Streamlit app, for the tests that put one behind a web
 * server and oidc-login.  Streamlit itself cannot be installed here, so
 * this has its shape where a proxy can tell: an HTTP page whose script
 * opens a WebSocket to <base>/_stcore/stream, and a health route
 * <base>/_stcore/health answering "ok", all under a base path (Streamlit's
 * server.baseUrlPath).
 *
 * What the app learns about the user, it learns as Streamlit's
 * st.context.headers does: from the request headers of the WebSocket
 * handshake.  It sends them back as the first message, and the page
 * shows them; so a test sees exactly what the server handed over.
 *
 * Usage:
 *   node tests/streamlit/app.js --port PORT [--base /app]
 *
 * Prints "listening on 127.0.0.1:PORT" once listening, then one line per
 * request, with the identity headers it carried as JSON
 * ("GET /app/ page {...}", "WS /app/_stcore/stream open {...}"); exits 0
 * on SIGTERM/SIGINT.
 *
 * Routes, under BASE (default /app):
 *   GET BASE/ (and any path but those below)
 *       the page (text/html); it embeds, as JSON in
 *       <script id="http-identity" type="application/json">, the identity
 *       headers of its own request, and its script opens the WebSocket
 *       and fills #user, #email, #name, #provider from the first message;
 *       <body data-ws="..."> is "connecting", "open" or "closed"
 *   GET BASE/_stcore/health   "ok" (text/plain), as Streamlit
 *   WS  BASE/_stcore/stream   first message: {"type": "hello",
 *       "identity": {header: value, ...}}; then answers "ping" with "pong"
 *   anything else at the WebSocket: the upgrade is refused (404)
 *
 * Like Streamlit (Tornado's check_origin), the WebSocket is refused (403)
 * when the handshake's Origin names another host than its Host header: a
 * proxy must pass the browser's Host on (nginx: proxy_set_header Host
 * $host; Apache: ProxyPreserveHost On), or Streamlit be told the origin.
 *
 * Identity headers: every request header whose name starts with
 * "x-auth-request-", "x-remote-", "x-forwarded-user", or is "remote-user"
 * or "forwarded", as received (several copies joined by ", ", as Node
 * joins them).  The Cookie header is never echoed.
 */

import * as http from 'node:http';
import { parseArgs } from 'node:util';

import { WebSocketServer } from 'ws';

const IDENTITY_HEADER = /^(x-auth-request-|x-remote-|x-forwarded-user$|remote-user$|forwarded$)/;

function usage(msg) {
	process.stderr.write(`app.js: ${msg}\n` +
	    'usage: node tests/streamlit/app.js --port PORT [--base /app]\n');
	process.exit(2);
}

function readOptions() {
	let parsed;
	try {
		parsed = parseArgs({
			options: {
				port: { type: 'string' },
				base: { type: 'string', default: '/app' },
			},
			strict: true,
		});
	} catch (err) {
		usage(err.message);
	}
	const port = Number(parsed.values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		usage('--port PORT is required');
	const base = parsed.values.base.replace(/\/+$/, '');
	if (base !== '' && !base.startsWith('/'))
		usage('--base must start with /');
	return { port, base };
}

/* The identity headers of a request, lower-case names, as Node joined them. */
function identityHeaders(req) {
	const out = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (IDENTITY_HEADER.test(name))
			out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

/* Tornado's check_origin: no Origin (not a browser), or its host is Host. */
function sameOrigin(req) {
	const origin = req.headers.origin;
	if (origin === undefined)
		return true;
	try {
		return new URL(origin).host === (req.headers.host ?? '').toLowerCase();
	} catch {
		return false;
	}
}

/* JSON safe inside a <script> element: no "</script>", no "<!--". */
function scriptJson(value) {
	return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(base, identity) {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Stand-in Streamlit app</title>
<script id="http-identity" type="application/json">${scriptJson(identity)}</script>
</head>
<body data-ws="connecting">
<h1>Stand-in Streamlit app</h1>
<dl>
<dt>User</dt><dd id="user"></dd>
<dt>E-mail</dt><dd id="email"></dd>
<dt>Name</dt><dd id="name"></dd>
<dt>Provider</dt><dd id="provider"></dd>
</dl>
<script>
(function () {
	var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
	var ws = new WebSocket(scheme + location.host + ${JSON.stringify(base)} + '/_stcore/stream');
	function show(id, value) {
		document.getElementById(id).textContent = value || '';
	}
	ws.onopen = function () { document.body.dataset.ws = 'open'; };
	ws.onclose = function () { document.body.dataset.ws = 'closed'; };
	ws.onmessage = function (ev) {
		var msg = JSON.parse(ev.data);
		if (msg.type !== 'hello')
			return;
		var id = msg.identity;
		show('user', id['x-auth-request-user']);
		show('email', id['x-auth-request-email']);
		show('name', id['x-auth-request-name']);
		show('provider', id['x-auth-request-provider']);
		document.body.dataset.hello = 'yes';
	};
})();
</script>
</body></html>
`;
}

function main() {
	const { port, base } = readOptions();
	const wss = new WebSocketServer({ noServer: true });
	const server = http.createServer((req, res) => {
		const path = new URL(req.url, 'http://x').pathname;
		if (path === `${base}/_stcore/health`) {
			console.log(`${req.method} ${path} health ${JSON.stringify(identityHeaders(req))}`);
			res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8',
			    'Cache-Control': 'no-cache' });
			res.end('ok');
			return;
		}
		console.log(`${req.method} ${path} page ${JSON.stringify(identityHeaders(req))}`);
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8',
		    'Cache-Control': 'no-cache' });
		res.end(req.method === 'HEAD' ? undefined : page(base, identityHeaders(req)));
	});
	server.on('upgrade', (req, socket, head) => {
		const path = new URL(req.url, 'http://x').pathname;
		if (path !== `${base}/_stcore/stream`) {
			console.log(`WS ${path} refused`);
			socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		if (!sameOrigin(req)) {
			console.log(`WS ${path} refused: Origin ${req.headers.origin}, Host ${req.headers.host}`);
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		const identity = identityHeaders(req);
		wss.handleUpgrade(req, socket, head, (ws) => {
			console.log(`WS ${path} open ${JSON.stringify(identity)}`);
			ws.send(JSON.stringify({ type: 'hello', identity }));
			ws.on('message', (data) => {
				if (String(data) === 'ping')
					ws.send('pong');
			});
		});
	});
	server.listen(port, '127.0.0.1', () => {
		console.log(`listening on 127.0.0.1:${server.address().port}`);
	});
	for (const sig of ['SIGTERM', 'SIGINT'])
		process.on(sig, () => process.exit(0));
}

main();
