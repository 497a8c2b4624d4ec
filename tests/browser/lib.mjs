/*
 * What the browser walks share: TAP output, and headless Chromium
 * (playwright-core) launched in a throw-away profile.  Imported by
 * tests/browser/flow.js, pages.js, plain-http.js and
 * tests/streamlit/browser.js.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

export const STEP_TIMEOUT_MS = 15000;
export const CHROMIUM_FLAGS = [
	'--headless', '--no-sandbox', '--disable-gpu',
	'--disable-background-networking', '--disable-quic', '--no-first-run',
	'--disable-component-update', '--disable-sync',
];

let testNumber = 0;
let failures = 0;

export function diag(text) {
	for (const line of String(text).split('\n'))
		console.log(`# ${line}`);
}

export function ok(pass, description, details) {
	testNumber++;
	console.log(`${pass ? 'ok' : 'not ok'} ${testNumber} - ${description}`);
	if (!pass) {
		failures++;
		if (details !== undefined)
			diag(details);
	}
	return pass;
}

export function is(got, expected, description) {
	return ok(got === expected, description,
	    `     got: ${JSON.stringify(got)}\nexpected: ${JSON.stringify(expected)}`);
}

export function like(got, re, description) {
	return ok(re.test(got ?? ''), description,
	    `     got: ${JSON.stringify(String(got).slice(0, 600))}\nexpected to match: ${re}`);
}

/* Prints the plan and exits: 0 when every test passed, 1 otherwise. */
export function finish() {
	console.log(`1..${testNumber}`);
	process.exit(failures > 0 ? 1 : 0);
}

/*
 * Runs walk(page, context) in Chromium (executablePath, args and the
 * context options given) with a fresh profile, removed afterwards; an
 * exception becomes broken(error, context).
 */
export async function withBrowser({ executablePath, args = [], ...options },
    walk, broken) {
	const profile = mkdtempSync(join(tmpdir(), 'oidc-login-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: [...CHROMIUM_FLAGS, ...args],
			...options,
		});
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		const page = context.pages()[0] ?? await context.newPage();
		await walk(page, context);
	} catch (err) {
		await broken(err, context);
	} finally {
		await context?.close().catch(() => {});
		rmSync(profile, { recursive: true, force: true });
	}
}
