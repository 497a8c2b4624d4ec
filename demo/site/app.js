/*
 * Shows who is signed in, from oidc-login's /auth/user (a JSON document
 * like Streamlit's st.user), and offers "Sign in" or "Sign out".
 * Everything is written with textContent: claims are never parsed as HTML.
 */
'use strict';

function show(id, visible) {
	document.getElementById(id).hidden = !visible;
}

function describe(user) {
	const name = user.name || user.preferred_username || user.email || user.sub;
	const email = user.email && user.email !== name ? ` (${user.email})` : '';
	return `Signed in as ${name}${email} with ${user.provider}.`;
}

async function main() {
	const who = document.getElementById('who');
	let user;
	try {
		const res = await fetch('/auth/user', {
			credentials: 'same-origin',
			headers: { Accept: 'application/json' },
			cache: 'no-store',
		});
		if (!res.ok)
			throw new Error(`/auth/user answered ${res.status}`);
		user = await res.json();
	} catch (err) {
		who.textContent = `Could not ask /auth/user: ${err.message}`;
		return;
	}
	if (user.is_logged_in) {
		who.textContent = describe(user);
		document.getElementById('user').textContent = JSON.stringify(user, null, 2);
		show('signin', false);
		show('signout', true);
		show('details', true);
	} else {
		who.textContent = 'You are not signed in.';
		show('signin', true);
		show('signout', false);
	}
}

main();
