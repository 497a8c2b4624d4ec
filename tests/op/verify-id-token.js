#!/usr/bin/env node
/*
 * Verifies an ID token the way a relying party must, for tests of the test
 * provider itself:
 *   node tests/op/verify-id-token.js --jwks URL --issuer ISS --audience AUD \
 *       [--nonce N] [--alg ALG] TOKEN
 * Prints {"header": ..., "payload": ...} as JSON and exits 0 when the
 * signature and the iss, aud, exp, iat (and nonce, alg) checks hold; else
 * prints the reason on stderr and exits 1.
 */

import { parseArgs } from 'node:util';

import { createRemoteJWKSet, jwtVerify } from 'jose';

const { values, positionals } = parseArgs({
	options: {
		jwks: { type: 'string' },
		issuer: { type: 'string' },
		audience: { type: 'string' },
		nonce: { type: 'string' },
		alg: { type: 'string' },
	},
	allowPositionals: true,
});

async function main() {
	if (!values.jwks || !values.issuer || !values.audience || positionals.length !== 1)
		throw new Error('usage: --jwks URL --issuer ISS --audience AUD [--nonce N] [--alg ALG] TOKEN');
	const keys = createRemoteJWKSet(new URL(values.jwks));
	const { payload, protectedHeader } = await jwtVerify(positionals[0], keys, {
		issuer: values.issuer,
		audience: values.audience,
		algorithms: values.alg ? [values.alg] : undefined,
		requiredClaims: ['iat', 'exp', 'sub'],
	});
	if (values.nonce !== undefined && payload.nonce !== values.nonce)
		throw new Error(`nonce mismatch: ${payload.nonce}`);
	console.log(JSON.stringify({ header: protectedHeader, payload }));
}

main().catch((err) => {
	console.error(`verify-id-token: ${err.message}`);
	process.exit(1);
});
