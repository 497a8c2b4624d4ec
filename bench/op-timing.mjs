/*
 * Loaded into the test provider by bench/run (NODE_OPTIONS=--import):
 * appends "METHOD PATH STATUS MICROSECONDS" for every request it
 * answers to the file $BENCH_OP_TIMING, so that a relying party's
 * callback time can be split into the provider's share (token and
 * userinfo endpoints) and the relying party's own.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';

const out = process.env.BENCH_OP_TIMING;
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function (event, req, res, ...rest) {
	if (event === 'request' && out) {
		const t0 = process.hrtime.bigint();
		const path = (req.url ?? '').split('?')[0];
		const end = res.end;
		let us = 0n;
		/*
		 * The answer is complete when the provider ends it; 'finish'
		 * may come later, when the event loop gets to it.
		 */
		res.end = function (...args) {
			us = (process.hrtime.bigint() - t0) / 1000n;
			return end.apply(this, args);
		};
		res.on('finish', () => fs.appendFileSync(out,
		    `${req.method} ${path} ${res.statusCode} ${us}\n`));
	}
	return emit.call(this, event, req, res, ...rest);
};
