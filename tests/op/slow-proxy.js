#!/usr/bin/env node
/*
 * A reverse proxy for oidc-login's integration tests that makes chosen
 * provider endpoints slow, deterministically: a request whose path is
 * listed waits that many milliseconds before it is forwarded.  Start the
 * test provider with --issuer http://127.0.0.1:PORT (this proxy's port)
 * and --port UPSTREAM_PORT: every URL it publishes then goes through here.
 *
 * Usage:
 *   node tests/op/slow-proxy.js --port PORT --upstream http://127.0.0.1:U
 *       [--delay PATH=MS]...
 *
 * Prints "listening on 127.0.0.1:PORT" once listening; for each delayed
 * request, before it waits, "delay METHOD PATH from 127.0.0.1:CLIENT_PORT"
 * (the client's port tells a test which process made the request); one
 * line per forwarded request.  Exits 0 on SIGTERM or SIGINT.
 */

import * as http from 'node:http';
import { parseArgs } from 'node:util';

function fail(msg) {
	process.stderr.write(`slow-proxy.js: ${msg}\n`);
	process.exit(2);
}

function readOptions() {
	let v;
	try {
		v = parseArgs({
			options: {
				port: { type: 'string' },
				upstream: { type: 'string' },
				delay: { type: 'string', multiple: true, default: [] },
			},
			strict: true,
		}).values;
	} catch (err) {
		fail(err.message);
	}
	const port = Number(v.port);
	if (v.port === undefined || !Number.isInteger(port) || port < 0 ||
	    port > 65535)
		fail('--port PORT is required (0-65535)');
	let upstream;
	try {
		upstream = new URL(v.upstream ?? '');
	} catch {
		fail('--upstream http://127.0.0.1:PORT is required');
	}
	if (upstream.protocol !== 'http:' || upstream.hostname !== '127.0.0.1')
		fail('--upstream must be http://127.0.0.1:PORT');
	const delays = new Map();
	for (const d of v.delay) {
		const eq = d.lastIndexOf('=');
		const ms = Number(d.slice(eq + 1));
		if (eq <= 0 || !Number.isInteger(ms) || ms < 0 || ms > 60000)
			fail(`--delay ${d}: expected PATH=MS (0-60000)`);
		delays.set(d.slice(0, eq), ms);
	}
	return { port, upstream, delays };
}

function forward(opts, req, res) {
	const out = http.request({
		host: opts.upstream.hostname,
		port: opts.upstream.port,
		method: req.method,
		path: req.url,
		headers: req.headers,
	}, (up) => {
		res.writeHead(up.statusCode, up.rawHeaders);
		up.pipe(res);
		up.on('end', () => console.log(`${req.method} ${req.url.split('?')[0]} ${up.statusCode}`));
	});
	out.on('error', (err) => {
		if (!res.headersSent)
			res.writeHead(502, { 'Content-Type': 'text/plain' });
		res.end(`upstream: ${err.message}\n`);
	});
	req.pipe(out);
}

function main() {
	const opts = readOptions();
	const server = http.createServer((req, res) => {
		const path = (req.url ?? '/').split('?')[0];
		const ms = opts.delays.get(path);
		if (ms === undefined) {
			forward(opts, req, res);
			return;
		}
		console.log(`delay ${req.method} ${path} from 127.0.0.1:${req.socket.remotePort}`);
		/* The body waits in the socket, unread, until forwarded. */
		setTimeout(() => forward(opts, req, res), ms);
	});
	server.on('error', (err) => fail(`listen 127.0.0.1:${opts.port}: ${err.message}`));
	server.listen(opts.port, '127.0.0.1', () => {
		console.log(`listening on 127.0.0.1:${server.address().port}`);
	});
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeAllConnections();
		setTimeout(() => process.exit(0), 1000).unref();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main();
