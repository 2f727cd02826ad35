import { fail, redirect } from '@sveltejs/kit';
import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import {
	addLocation,
	allDistricts,
	listLocations,
	LocationError,
	LOCATION_KINDS,
	LOCATION_KIND_LABELS
} from '$lib/server/entry/locations';
import { addLocations, parseLocationList } from '$lib/server/entry/locations-bulk';
import { formFailure, parseForm } from '$lib/server/forms';
import { locationListForm, locationSchema } from '$lib/schemas/entry';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ANALYSTS);
	return {
		locations: await listLocations(event.locals.db),
		districts: await allDistricts(event.locals.db),
		kinds: LOCATION_KINDS.map((k) => ({ code: k, label: LOCATION_KIND_LABELS[k] }))
	};
};

export const actions: Actions = {
	add: async (event) => {
		const actor = requireRole(event, ANALYSTS);
		const parsed = await parseForm(locationSchema, event.request);
		if (!parsed.ok) return parsed.failure;
		const codes = new Set((await allDistricts(event.locals.db)).map((d) => d.code));
		try {
			const loc = await addLocation(event.locals.db, parsed.data, codes, actor.id);
			redirect(303, `/admin/locations?added=${encodeURIComponent(loc.name)}`);
		} catch (e) {
			if (e instanceof LocationError) return formFailure(parsed.values, { [e.field]: e.message });
			throw e;
		}
	},
	bulk: async (event) => {
		const actor = requireRole(event, ANALYSTS);
		const parsed = await parseForm(locationListForm, event.request);
		const text = String(parsed.values.locations ?? '').slice(0, 100_000);
		const kind = String(parsed.values.bulkKind ?? '');
		const db = event.locals.db;
		const list = parseLocationList(
			text,
			await allDistricts(db),
			(await listLocations(db)).map((l) => l.name)
		);
		const errors = [...(parsed.ok ? [] : Object.values(parsed.errors)), ...list.errors];
		if (!parsed.ok || errors.length) return fail(400, { bulk: { text, kind, errors } });
		const added = await addLocations(db, list.locations, parsed.data.bulkKind, actor.id);
		redirect(303, `/admin/locations?added_many=${added}`);
	}
};
