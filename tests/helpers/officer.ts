// What an officer does over HTTP, without a browser: sign in, upload a file to the import page, commit it and wait
// until its progress page says done. Used by the tests (multi-instance) and by the benches that measure the survey
// while an import commits (uploads, instances); the commit may be sent to another instance than the upload (the
// preview is in the database). Benches import it from here: tests never import from scripts/bench.

/** Signs in; returns the session cookie. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'text/html' },
		body: new URLSearchParams({ email, password })
	});
	const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
	if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status}`);
	return cookie;
}

/** Uploads a file to the import page: the status, the redirect (the preview's address) and the body. */
export async function uploadImport(
	base: string,
	cookie: string,
	consultationId: number,
	name: string,
	bytes: Uint8Array
): Promise<{ status: number; location: string | null; body: string }> {
	const form = new FormData();
	form.set('consultationId', String(consultationId));
	form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
	const res = await fetch(`${base}/admin/import?/upload`, {
		method: 'POST',
		redirect: 'manual',
		headers: { cookie, origin: base, accept: 'text/html' },
		body: form
	});
	return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** Opens the preview of an upload (its redirect `location`) on `base`, as the officer does before committing. */
export async function openPreview(base: string, cookie: string, location: string): Promise<void> {
	const preview = await fetch(`${base}/admin/import?${queryOf(location)}`, { headers: { cookie } });
	if (preview.status !== 200) throw new Error(`preview answered ${preview.status}`);
	await preview.arrayBuffer();
}

const queryOf = (location: string) => location.replace(/^\/admin\/import\?/, '').replace(/#.*$/, '');

/**
 * Commits an upload (its redirect `location`) on `base`; resolves with the final address and the time from the
 * commit request until the progress page said done. The commit answers at once and carries on in the background;
 * its page is polled every 250 ms.
 */
export async function commitImport(
	base: string,
	cookie: string,
	location: string
): Promise<{ location: string; ms: number }> {
	const query = queryOf(location);
	const token = new URLSearchParams(query).get('token')!;
	const t0 = performance.now();
	const r = await fetch(`${base}/admin/import?${query}&/commit`, {
		method: 'POST',
		redirect: 'manual',
		headers: { cookie, origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token })
	});
	if (r.status !== 303) throw new Error(`the commit answered ${r.status}`);
	let at = r.headers.get('location') ?? '';
	const deadline = Date.now() + 15 * 60_000;
	while (at.includes('job=') && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		const page = await fetch(`${base}${at}`, { redirect: 'manual', headers: { cookie } });
		const html = await page.text();
		if (page.status === 303) at = page.headers.get('location') ?? '';
		else if (html.includes('The import stopped')) throw new Error('the import stopped');
	}
	return { location: at, ms: performance.now() - t0 };
}

/** A CSV of `rows` imported answers over q1–q5, three groups, one district. */
export function importCsv(rows: number): Uint8Array {
	const lines = Array.from(
		{ length: rows },
		(_, i) =>
			`"Imported answer ${i}: more places for young people to go in the evening",q${(i % 5) + 1},${['child', 'young_person', 'parent_carer'][i % 3]},redditch`
	);
	return new TextEncoder().encode(`text,question,group,district\n${lines.join('\n')}\n`);
}
