#!/usr/bin/env node
/*
 * An RSA key with the structure of CVE-2017-15361 (ROCA, the Infineon
 * RSALib keys), made at test time so that the hostile provider can sign
 * with it: each prime is p = k * M + (65537^a mod M), M the product of
 * the first PRIMES primes.  Such a modulus N = p * q is, modulo every
 * small prime r dividing M, a power of 65537: the fingerprint a ROCA
 * check looks for (Nemec et al., CCS 2017, section 2.3; the "marked"
 * test of roca-detect).  A random modulus has it with probability about
 * 2^-150 over the primes up to 167.
 *
 * Usage:
 *   node tests/hostile/roca-key.js --out FILE [--bits 2048]
 *       writes a PKCS#8 PEM private key; prints the modulus size
 *   node tests/hostile/roca-key.js --check FILE
 *       prints "roca" or "clean" for a PEM key (public or private)
 *
 * Nothing here is secret or reused: the key is thrown away with the test.
 */

import * as crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const E = 65537n;

/* The primes a ROCA check tests N against (roca-detect's list). */
const CHECK_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n,
	41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n, 73n, 79n, 83n, 89n, 97n, 101n,
	103n, 107n, 109n, 113n, 127n, 131n, 137n, 139n, 149n, 151n, 157n,
	163n, 167n];

function fail(msg) {
	process.stderr.write(`roca-key.js: ${msg}\n`);
	process.exit(2);
}

function smallPrimes(count) {
	const out = [];
	for (let n = 2n; out.length < count; n++)
		if (out.every((p) => n % p !== 0n))
			out.push(n);
	return out;
}

function modPow(b, e, m) {
	let r = 1n;
	b %= m;
	for (; e > 0n; e >>= 1n, b = b * b % m)
		if (e & 1n)
			r = r * b % m;
	return r;
}

function modInv(a, m) {
	let [r0, r1, s0, s1] = [m, a % m, 0n, 1n];
	while (r1 !== 0n) {
		const q = r0 / r1;
		[r0, r1] = [r1, r0 - q * r1];
		[s0, s1] = [s1, s0 - q * s1];
	}
	if (r0 !== 1n)
		throw new Error('not invertible');
	return (s0 % m + m) % m;
}

function randomBig(bits) {
	const bytes = crypto.randomBytes(Math.ceil(bits / 8));
	bytes[0] &= 0xff >> (bytes.length * 8 - bits);
	return BigInt(`0x${bytes.toString('hex')}`);
}

/*
 * A prime of exactly `bits` bits (top two bits set, so that two of them
 * make a modulus of 2 * bits bits) of the form k * M + (65537^a mod M).
 */
function rocaPrime(bits, M, order) {
	/* k * M in [3 * 2^(bits-2), 2^bits - M): the top two bits set. */
	const lo = ((3n << BigInt(bits - 2)) + M - 1n) / M;
	const hi = ((1n << BigInt(bits)) - 1n - M) / M;
	for (;;) {
		const a = randomBig(64) % order;
		const k = lo + randomBig(hi.toString(2).length + 64) % (hi - lo);
		const p = k * M + modPow(E, a, M);
		if ((p - 1n) % E === 0n)
			continue;
		if (crypto.checkPrimeSync(p, { checks: 32 }))
			return p;
	}
}

function b64u(n) {
	let hex = n.toString(16);
	if (hex.length % 2)
		hex = `0${hex}`;
	return Buffer.from(hex, 'hex').toString('base64url');
}

function make(bits) {
	/* The paper's M for 992- to 1952-bit keys: the first 71 primes. */
	const M = smallPrimes(bits >= 992 ? 71 : 39).reduce((x, y) => x * y, 1n);
	const half = bits / 2;
	let p, q, n;
	do {
		/* Any a works for the fingerprint; 2^64 is plenty of choice. */
		p = rocaPrime(half, M, 1n << 64n);
		q = rocaPrime(half, M, 1n << 64n);
		n = p * q;
	} while (p === q || n.toString(2).length !== bits);
	const phi = (p - 1n) * (q - 1n);
	const d = modInv(E, phi);
	const jwk = {
		kty: 'RSA', n: b64u(n), e: b64u(E), d: b64u(d), p: b64u(p),
		q: b64u(q), dp: b64u(d % (p - 1n)), dq: b64u(d % (q - 1n)),
		qi: b64u(modInv(q, p)),
	};
	return crypto.createPrivateKey({ key: jwk, format: 'jwk' });
}

/* roca-detect's test: N mod r lies in the subgroup 65537 generates. */
function fingerprint(n) {
	return CHECK_PRIMES.every((r) => {
		const target = n % r;
		let x = 1n;
		for (let i = 0n; i < r; i++, x = x * E % r)
			if (x === target)
				return true;
		return false;
	});
}

function modulusOf(pem) {
	const key = crypto.createPublicKey(pem);
	const jwk = key.export({ format: 'jwk' });
	if (jwk.kty !== 'RSA')
		fail('not an RSA key');
	return BigInt(`0x${Buffer.from(jwk.n, 'base64url').toString('hex')}`);
}

function main() {
	let opts;
	try {
		opts = parseArgs({
			options: {
				out: { type: 'string' },
				bits: { type: 'string', default: '2048' },
				check: { type: 'string' },
			},
			strict: true,
		}).values;
	} catch (err) {
		fail(err.message);
	}
	if (opts.check !== undefined) {
		const n = modulusOf(readFileSync(opts.check));
		process.stdout.write(fingerprint(n) ? 'roca\n' : 'clean\n');
		return;
	}
	const bits = Number(opts.bits);
	if (opts.out === undefined || !Number.isInteger(bits) || bits < 1024 ||
	    bits % 16 !== 0)
		fail('usage: --out FILE [--bits N] | --check FILE');
	const key = make(bits);
	writeFileSync(opts.out, key.export({ type: 'pkcs8', format: 'pem' }),
	    { mode: 0o600 });
	if (!fingerprint(modulusOf(key)))
		fail('the key made lacks the ROCA fingerprint');
	process.stdout.write(`${bits}\n`);
}

main();
