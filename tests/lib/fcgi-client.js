/*
 * A minimal FastCGI client, for tests that need what cgi-fcgi cannot do:
 * the Authorizer role, a body of a given size, and holding the connection
 * open after the answer, as a slow web server would.
 *
 *   node fcgi-client.js --socket PATH [--role authorizer|responder]
 *       [--param NAME=VALUE]... [--body-bytes N] [--hold SECONDS]
 *
 * Sends one request (a responder's input ends with an empty FCGI_STDIN;
 * an authorizer gets none, as from mod_authnz_fcgi), reads the answer
 * and prints one JSON line when the program has closed its side:
 * {"status": 302, "end": true, "eof": true, "error": null}.  With --hold
 * the connection then stays open SECONDS more before this side closes.
 */
import * as net from 'node:net';

const args = process.argv.slice(2);
const opt = { role: 'responder', params: [], bodyBytes: 0, hold: 0 };
for (let i = 0; i < args.length; i++) {
	const a = args[i], v = args[i + 1];
	if (a === '--socket') opt.socket = v;
	else if (a === '--role') opt.role = v;
	else if (a === '--param') opt.params.push(v);
	else if (a === '--body-bytes') opt.bodyBytes = Number(v);
	else if (a === '--hold') opt.hold = Number(v);
	else { console.error(`fcgi-client: unknown argument ${a}`); process.exit(2); }
	i++;
}
if (!opt.socket) { console.error('fcgi-client: --socket is required'); process.exit(2); }

const TYPE = { BEGIN: 1, END: 3, PARAMS: 4, STDIN: 5, STDOUT: 6, STDERR: 7 };
const ROLE = { responder: 1, authorizer: 2 };

function record(type, content = Buffer.alloc(0)) {
	const pad = (8 - (content.length % 8)) % 8;
	const h = Buffer.alloc(8);
	h.writeUInt8(1, 0);
	h.writeUInt8(type, 1);
	h.writeUInt16BE(1, 2);
	h.writeUInt16BE(content.length, 4);
	h.writeUInt8(pad, 6);
	return Buffer.concat([h, content, Buffer.alloc(pad)]);
}

function length(n) {
	if (n < 128) return Buffer.from([n]);
	const b = Buffer.alloc(4);
	b.writeUInt32BE((n | 0x80000000) >>> 0);
	return b;
}

function pairs(list) {
	return Buffer.concat(list.map((p) => {
		const eq = p.indexOf('=');
		const name = Buffer.from(p.slice(0, eq)), value = Buffer.from(p.slice(eq + 1));
		return Buffer.concat([length(name.length), length(value.length), name, value]);
	}));
}

function request() {
	const begin = Buffer.alloc(8);
	begin.writeUInt16BE(ROLE[opt.role], 0);
	const parts = [record(TYPE.BEGIN, begin), record(TYPE.PARAMS, pairs(opt.params)),
	    record(TYPE.PARAMS)];
	if (opt.role === 'responder') {
		for (let left = opt.bodyBytes; left > 0; left -= 65528)
			parts.push(record(TYPE.STDIN, Buffer.alloc(Math.min(left, 65528), 'x')));
		parts.push(record(TYPE.STDIN));
	}
	return Buffer.concat(parts);
}

const result = { status: null, end: false, eof: false, error: null };
let input = Buffer.alloc(0), stdout = '', printed = false;

function report() {
	if (printed) return;
	printed = true;
	const m = /^Status: (\d{3})/m.exec(stdout);
	result.status = m ? Number(m[1]) : null;
	process.stdout.write(JSON.stringify(result) + '\n');
}

const sock = net.createConnection({ path: opt.socket, allowHalfOpen: true });
sock.on('connect', () => sock.write(request()));
sock.on('data', (chunk) => {
	input = Buffer.concat([input, chunk]);
	while (input.length >= 8) {
		const len = input.readUInt16BE(4), pad = input.readUInt8(6);
		if (input.length < 8 + len + pad) break;
		const type = input.readUInt8(1), content = input.subarray(8, 8 + len);
		if (type === TYPE.STDOUT) stdout += content.toString('latin1');
		if (type === TYPE.END) result.end = true;
		input = input.subarray(8 + len + pad);
	}
});
sock.on('end', () => {
	result.eof = true;
	report();
	setTimeout(() => sock.end(), opt.hold * 1000);
});
sock.on('error', (e) => {
	result.error = e.code || String(e);
	report();
	process.exitCode = 1;
});
