// A client that sends its request body slowly, as an attacker holding a
// FastCGI process would: the headers at once, then the body a few bytes
// at a time, inside the web server's own timeouts (Apache's
// mod_reqtimeout lets a body trickle at 500 bytes a second).  It stops
// sending as soon as an answer comes.
//
//   node slow-client.js --port PORT [--path /auth/logout] [--length 8000]
//       [--rate 600] [--tick 100] [--cookie 'a=b'] [--connections 1]
//       [--duration SECONDS] [--max-seconds 60]
//
// Prints one JSON line per request: {"status":408,"ms":5012,"sent":3000,
// "complete":false} (status 0 when the connection closed without an
// answer).  With --duration it starts request after request on each of
// --connections connections until that many seconds have passed, then
// prints a summary line {"summary":true,...}; without it, one request.
// Every request gives up after --max-seconds: the loops are bounded.
import net from 'node:net';

function options(argv) {
	const o = {
		host: '127.0.0.1', port: 0, path: '/auth/logout', length: 8000,
		rate: 600, tick: 100, cookie: '', connections: 1, duration: 0,
		maxSeconds: 60,
	};
	for (let i = 2; i < argv.length; i += 2) {
		const k = argv[i].replace(/^--/, '').replace(/-(.)/g,
		    (_, c) => c.toUpperCase());
		if (!(k in o))
			throw new Error(`unknown option ${argv[i]}`);
		o[k] = typeof o[k] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
	}
	if (!o.port)
		throw new Error('--port is required');
	return o;
}

// One request; resolves with what happened.
function slowRequest(o) {
	return new Promise((resolve) => {
		const start = Date.now();
		const sock = net.connect(o.port, o.host);
		let sent = 0, answer = '', timer = null, done = false;
		const per = Math.max(1, Math.round(o.rate * o.tick / 1000));

		function finish() {
			if (done)
				return;
			done = true;
			clearInterval(timer);
			clearTimeout(limit);
			sock.destroy();
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
			resolve({ status: m ? Number(m[1]) : 0,
			    ms: Date.now() - start, sent,
			    complete: sent >= o.length });
		}
		const limit = setTimeout(finish, o.maxSeconds * 1000);
		sock.on('connect', () => {
			sock.write(`POST ${o.path} HTTP/1.1\r\n` +
			    `Host: ${o.host}:${o.port}\r\n` +
			    'Content-Type: application/x-www-form-urlencoded\r\n' +
			    `Content-Length: ${o.length}\r\n` +
			    (o.cookie ? `Cookie: ${o.cookie}\r\n` : '') +
			    'Connection: close\r\n\r\n');
			timer = setInterval(() => {
				const n = Math.min(per, o.length - sent);
				if (n <= 0) {
					clearInterval(timer);
					return;
				}
				// "a=aaaa...": a well-formed form, only slow.
				const chunk = (sent === 0 ? 'a=' : '') + 'a'.repeat(n);
				sock.write(chunk.slice(0, n));
				sent += n;
			}, o.tick);
		});
		sock.on('data', (d) => {
			answer += d.toString('latin1');
			if (/\r\n/.test(answer))
				finish();
		});
		sock.on('error', finish);
		sock.on('close', finish);
	});
}

async function main() {
	const o = options(process.argv);
	if (!o.duration) {
		console.log(JSON.stringify(await slowRequest(o)));
		return;
	}
	const end = Date.now() + o.duration * 1000;
	const statuses = {};
	let requests = 0;
	async function loop() {
		while (Date.now() < end) {
			const r = await slowRequest(o);
			requests++;
			statuses[r.status] = (statuses[r.status] || 0) + 1;
		}
	}
	await Promise.all(Array.from({ length: o.connections }, loop));
	console.log(JSON.stringify({ summary: true, requests, statuses }));
}

main().catch((e) => {
	console.error(`slow-client: ${e.message}`);
	process.exit(2);
});
