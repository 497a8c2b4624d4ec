/*
 * Shows who is signed in, from oidc-login's /auth/user (a JSON document
 * like Streamlit's st.user), with the provider's name for people from
 * /auth/ (its providers as JSON), and offers "Sign in" or "Sign out".
 * Everything is written with textContent: claims are never parsed as HTML.
 */
'use strict';

function show(id, visible) {
	document.getElementById(id).hidden = !visible;
}

async function getJSON(url) {
	const res = await fetch(url, {
		credentials: 'same-origin',
		headers: { Accept: 'application/json' },
		cache: 'no-store',
	});
	if (!res.ok)
		throw new Error(`${url} answered ${res.status}`);
	return res.json();
}

/* The provider's display name, or its key when the list cannot be had. */
async function providerName(key) {
	try {
		const { providers } = await getJSON('/auth/');
		return providers.find((p) => p.name === key)?.display_name ?? key;
	} catch {
		return key;
	}
}

async function describe(user) {
	const name = user.name || user.preferred_username || user.email || user.sub;
	const email = user.email && user.email !== name ? ` (${user.email})` : '';
	return `Signed in as ${name}${email} with ${await providerName(user.provider)}.`;
}

async function main() {
	const who = document.getElementById('who');
	let user;
	try {
		user = await getJSON('/auth/user');
	} catch (err) {
		who.textContent = `Could not ask /auth/user: ${err.message}`;
		return;
	}
	if (user.is_logged_in) {
		who.textContent = await describe(user);
		document.getElementById('user').textContent = JSON.stringify(user, null, 2);
		show('signin', false);
		show('members', true);
		show('signout', true);
		show('details', true);
	} else {
		who.textContent = 'You are not signed in.';
		show('signin', true);
		show('members', false);
		show('signout', false);
	}
}

main();
