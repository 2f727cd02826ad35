/**
 * Retiring a theme (issue #14 item 6) on both engines: it leaves the theme tables and the
 * answers export, its codings and quotes are kept, restoring brings the same figures back,
 * both moves are audited, and a theme of another consultation or one already retired is refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, preparedDatabase, type FreshDb } from './helpers/databases';
import { loadSmallFixture, type Fixture } from './fixtures/analysis/small';
import { parseFilters } from '../src/lib/analysis/filters';
import { DEFAULT_TICK_RULE } from '../src/lib/analysis/tables';
import { scopeOf } from '../src/lib/server/analysis/scope';
import { questionThemeTables } from '../src/lib/server/analysis/dashboard';
import { CodebookEditError, retiredThemes, setThemeRetired } from '../src/lib/server/codebook';
import { setStar } from '../src/lib/server/review/quotes';

describeEachEngine('retiring a theme', (engine) => {
	let fresh: FreshDb;
	let fx: Fixture;
	const user = () => ({ id: fx.officerId });
	const table = async () => {
		const filters = parseFilters(new URLSearchParams('min=0'));
		const t = await questionThemeTables(fresh.db, fx.c, scopeOf(fx.c, filters), 'q1', DEFAULT_TICK_RULE, {
			base: '',
			filters
		});
		return t!.counts.rows.map((r) => [r.label, r.cells.map((c) => c.text)]);
	};

	beforeAll(async () => {
		fresh = await preparedDatabase(engine);
		fx = await loadSmallFixture(fresh.db);
		await setStar(fresh.db, fx.c.id, fx.themes.pets, fx.answers.S2, true, user());
	});
	afterAll(async () => fresh?.drop());

	it('hides the theme from the tables, keeps its coding and quotes, and restoring brings the same figures back', async () => {
		const before = await table();
		expect(before.map(([label]) => label)).toContain('Pets');
		const codings = () =>
			fresh.db.selectFrom('answer_theme').select('answer_id').where('theme_id', '=', fx.themes.pets).execute();
		const kept = await codings();
		expect(kept.length).toBeGreaterThan(0);

		await setThemeRetired(fresh.db, fx.c.id, fx.themes.pets, true, user());
		const hidden = await table();
		expect(hidden.map(([label]) => label)).not.toContain('Pets');
		expect(await codings()).toEqual(kept);
		expect(
			await fresh.db.selectFrom('quote').select('answer_id').where('theme_id', '=', fx.themes.pets).execute()
		).toHaveLength(1);
		expect((await retiredThemes(fresh.db, fx.c.questions[0].id)).map((t) => t.id)).toContain(fx.themes.pets);
		await expect(setThemeRetired(fresh.db, fx.c.id, fx.themes.pets, true, user())).rejects.toBeInstanceOf(
			CodebookEditError
		);

		await setThemeRetired(fresh.db, fx.c.id, fx.themes.pets, false, user());
		expect(await table()).toEqual(before);
		const audits = await fresh.db
			.selectFrom('audit_log')
			.select(['action', 'entity_id'])
			.where('action', 'in', ['theme.retire', 'theme.restore'])
			.orderBy('id')
			.execute();
		expect(audits.map((a) => [a.action, a.entity_id])).toEqual([
			['theme.retire', String(fx.themes.pets)],
			['theme.restore', String(fx.themes.pets)]
		]);
	});

	it('refuses a theme that is not in the consultation', async () => {
		await expect(setThemeRetired(fresh.db, fx.c.id + 999, fx.themes.pets, true, user())).rejects.toBeInstanceOf(
			CodebookEditError
		);
	});
});
