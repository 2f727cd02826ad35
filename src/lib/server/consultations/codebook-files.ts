import type { Db } from '../db/connect';
import { parseCodebook, CodebookError, type Codebook } from '../../themes/codebook';
import { installCodebooks } from '../coding/codebooks';
import { scheduleRecode } from '../coding/index';
import { audit } from '../audit/index';
import { BuilderError } from './builder';

/**
 * A question's codebook as the JSON file the CLI and `consultation load` read
 * (codebooks/<slug>/q1.json): the question's wording for the reader, then its
 * active themes with their keywords, in the codebook's order.
 */
export async function codebookFile(db: Db, consultationId: number, key: string): Promise<string | null> {
	const q = await db
		.selectFrom('question')
		.select(['id', 'text'])
		.where('consultation_id', '=', consultationId)
		.where('key', '=', key)
		.executeTakeFirst();
	if (!q) return null;
	const themes = await db
		.selectFrom('theme')
		.select(['id', 'code', 'label', 'description', 'keywords', 'parent_id'])
		.where('question_id', '=', q.id)
		.where('status', '=', 'active')
		.orderBy('position')
		.orderBy('id')
		.execute();
	const codeOf = new Map(themes.map((t) => [t.id, t.code]));
	const file = {
		question: q.text,
		themes: themes.map((t) => ({
			id: t.code,
			label: t.label,
			...(t.description ? { description: t.description } : {}),
			keywords: JSON.parse(t.keywords) as string[],
			...(t.parent_id && codeOf.has(t.parent_id) ? { parent: codeOf.get(t.parent_id) } : {})
		}))
	};
	return `${JSON.stringify(file, null, '\t')}\n`;
}

/**
 * Installs a codebook file for a question that has no themes yet (a question
 * with themes keeps them: its codebook is edited on the codebook page), then
 * starts coding its answers in the background.
 */
export async function importCodebookFile(
	db: Db,
	consultationId: number,
	key: string,
	text: string,
	actorId: number | null
): Promise<number> {
	let codebook: Codebook;
	try {
		codebook = parseCodebook(text);
	} catch (e) {
		if (e instanceof CodebookError) throw new BuilderError(`The codebook file is not valid: ${e.message}`, 'codebook');
		throw e;
	}
	const q = await db
		.selectFrom('question')
		.select('id')
		.where('consultation_id', '=', consultationId)
		.where('key', '=', key)
		.executeTakeFirst();
	if (!q) throw new BuilderError('Choose a question', 'question');
	const installed = await installCodebooks(db, consultationId, new Map([[key, codebook]]));
	if (installed === 0)
		throw new BuilderError(
			`Question ${key} already has themes: edit them on its codebook page, or import into a question without themes`,
			'codebook'
		);
	await audit(db, {
		userId: actorId,
		action: 'codebook.import',
		entity: 'question',
		entityId: q.id,
		detail: { themes: installed }
	});
	scheduleRecode(db, consultationId, q.id);
	return installed;
}
