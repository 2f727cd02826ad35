import fs from 'node:fs';
import type { Db } from '../db/connect';
import path from 'node:path';
import type { LoadedDefinition } from '../consultations/definition';
import { ConfigError } from '../db/config';
import { parseCodebook, type Codebook } from '../../themes/codebook';
import { nowIso } from '../util/time';

/** The per-question codebook files a consultation definition points at (q1.json ...), validated. */
export function readCodebooks(loaded: LoadedDefinition): Map<string, Codebook> {
	const out = new Map<string, Codebook>();
	const dirName = loaded.definition.codebooks;
	if (!dirName) return out;
	const home = path.dirname(path.resolve(loaded.file));
	const dir = path.resolve(home, dirName);
	// The schema refuses "../" already; this also catches a symbolic link pointing out.
	if (fs.existsSync(dir) && !isInside(fs.realpathSync(home), fs.realpathSync(dir))) {
		throw new ConfigError(
			`Consultation file ${loaded.file}: codebooks folder ${dirName} is outside the consultation file's folder`
		);
	}
	for (const q of loaded.definition.questions) {
		const file = path.join(dir, `${q.key}.json`);
		if (!fs.existsSync(file)) continue;
		try {
			out.set(q.key, parseCodebook(fs.readFileSync(file, 'utf8')));
		} catch (error) {
			throw new ConfigError(`Codebook ${file} is invalid: ${(error as Error).message}`);
		}
	}
	return out;
}

function isInside(parent: string, child: string): boolean {
	const rel = path.relative(parent, child);
	return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Puts a shipped codebook into the theme table for every question that has no
 * themes yet. Questions officers have already given themes are left alone: the
 * database, not the file, is the codebook once work has started.
 */
export async function installCodebooks(
	db: Db,
	consultationId: number,
	codebooks: Map<string, Codebook>
): Promise<number> {
	let installed = 0;
	const questions = await db
		.selectFrom('question')
		.select(['id', 'key'])
		.where('consultation_id', '=', consultationId)
		.execute();
	for (const q of questions) {
		const codebook = codebooks.get(q.key);
		if (!codebook) continue;
		await db.transaction().execute(async (tx) => {
			const existing = await tx
				.selectFrom('theme')
				.select('id')
				.where('question_id', '=', q.id)
				.limit(1)
				.executeTakeFirst();
			if (existing) return;
			const now = nowIso();
			const ids = new Map<string, number>();
			for (const [position, t] of codebook.themes.entries()) {
				const row = await tx
					.insertInto('theme')
					.values({
						question_id: q.id,
						code: t.id,
						label: t.label,
						description: t.description ?? null,
						keywords: JSON.stringify(t.keywords ?? []),
						parent_id: null,
						position,
						status: 'active',
						created_at: now,
						updated_at: now
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				ids.set(t.id, row.id);
			}
			for (const t of codebook.themes) {
				if (t.parent)
					await tx
						.updateTable('theme')
						.set({ parent_id: ids.get(t.parent)! })
						.where('id', '=', ids.get(t.id)!)
						.execute();
			}
			installed += codebook.themes.length;
		});
	}
	return installed;
}
