// A load generator for the service tests: GET requests to the given
// URLs over --connections keep-alive connections, with a Cookie header,
// until the file --until appears (or --max-seconds pass: the loop is
// bounded), every answer counted by status.  A request answered with
// another status than --expect, or not answered, is a failure.
//
//   node gate-load.js --url URL [--url URL...] [--cookie 'a=b']
//       [--connections 4] [--expect 200] --until FILE [--max-seconds 60]
//
// Prints one JSON line at the end: {"requests":N,"failed":M,
// "statuses":{"200":N},"errors":{"ECONNRESET":1},"first_failure":"..."}.

import http from 'node:http';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
	options: {
		url: { type: 'string', multiple: true },
		cookie: { type: 'string', default: '' },
		connections: { type: 'string', default: '4' },
		expect: { type: 'string', default: '200' },
		until: { type: 'string' },
		'max-seconds': { type: 'string', default: '60' },
	},
});
if (!o.url || !o.until) {
	console.error('gate-load: --url and --until are required');
	process.exit(2);
}

const agent = new http.Agent({ keepAlive: true,
    maxSockets: Number(o.connections) });
const end = Date.now() + Number(o['max-seconds']) * 1000;
const result = { requests: 0, failed: 0, statuses: {}, errors: {} };

function once(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { agent, headers: o.cookie ?
		    { Cookie: o.cookie } : {}, timeout: 30000 }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e) => resolve({ error: e.code || e.message }));
	});
}

async function loop(k) {
	for (let i = k; !existsSync(o.until) && Date.now() < end; i++) {
		const url = o.url[i % o.url.length];
		const r = await once(url);
		result.requests++;
		if (r.error) {
			result.errors[r.error] = (result.errors[r.error] || 0) + 1;
		} else {
			result.statuses[r.status] =
			    (result.statuses[r.status] || 0) + 1;
		}
		if (r.error || String(r.status) !== o.expect) {
			result.failed++;
			if (!result.first_failure)
				result.first_failure = `${url}: ${r.error || r.status}`;
		}
	}
}

await Promise.all(Array.from({ length: Number(o.connections) },
    (_, k) => loop(k)));
agent.destroy();
console.log(JSON.stringify(result));
