import { fail, redirect } from '@sveltejs/kit';
import { requireRole, ANALYSTS } from '$lib/server/auth/guard';
import { addLocation, allDistricts, listLocations, locationSchema, LocationError, LOCATION_KINDS, LOCATION_KIND_LABELS } from '$lib/server/entry/locations';
import { addLocations, parseLocationList } from '$lib/server/entry/locations-bulk';
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
		const form = await event.request.formData();
		const values = { name: String(form.get('name') ?? ''), district: String(form.get('district') ?? ''), kind: String(form.get('kind') ?? '') };
		const parsed = locationSchema.safeParse(values);
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
			return fail(400, { values, errors });
		}
		const codes = new Set((await allDistricts(event.locals.db)).map((d) => d.code));
		try {
			const loc = await addLocation(event.locals.db, parsed.data, codes, actor.id);
			redirect(303, `/admin/locations?added=${encodeURIComponent(loc.name)}`);
		} catch (e) {
			if (e instanceof LocationError) return fail(400, { values, errors: { [e.field]: e.message } as Record<string, string> });
			throw e;
		}
	},
	bulk: async (event) => {
		const actor = requireRole(event, ANALYSTS);
		const form = await event.request.formData();
		const text = String(form.get('locations') ?? '').slice(0, 100_000);
		const kind = String(form.get('bulkKind') ?? '');
		const k = LOCATION_KINDS.find((x) => x === kind);
		const db = event.locals.db;
		const parsed = parseLocationList(text, await allDistricts(db), (await listLocations(db)).map((l) => l.name));
		const errors = [...(k ? [] : ['Choose what kind of places they are']), ...parsed.errors];
		if (errors.length) return fail(400, { bulk: { text, kind, errors } });
		const added = await addLocations(db, parsed.locations, k!, actor.id);
		redirect(303, `/admin/locations?added_many=${added}`);
	}
};
