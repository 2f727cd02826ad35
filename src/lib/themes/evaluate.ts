/** Precision, recall and F1 of predicted theme sets against gold codes. */

export interface ThemeSet {
	id: string;
	/** theme ids (empty = "other") */
	themes: string[];
}

export interface ThemeMetrics {
	id: string;
	/** answers coded with the theme in the gold data */
	support: number;
	predicted: number;
	tp: number;
	precision: number;
	recall: number;
	f1: number;
}

export interface Evaluation {
	perTheme: ThemeMetrics[];
	micro: { precision: number; recall: number; f1: number };
	/** mean F1 over themes with at least `macroMinSupport` gold answers */
	macroF1: number;
	macroThemes: number;
	macroMinSupport: number;
	answers: number;
}

/**
 * Compare predictions with gold codes (matched by answer id; gold answers without a prediction
 * count as predicted "other"). `themeIds` fixes the table's theme order (default: all ids seen).
 */
export function evaluate(
	pred: ThemeSet[],
	gold: ThemeSet[],
	opts: { themeIds?: string[]; macroMinSupport?: number } = {}
): Evaluation {
	const macroMinSupport = opts.macroMinSupport ?? 5;
	const predBy = new Map(pred.map((p) => [p.id, new Set(p.themes)]));
	const ids = opts.themeIds ? [...opts.themeIds] : [...new Set([...gold, ...pred].flatMap((x) => x.themes))].sort();
	const stats = new Map(ids.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]));
	const get = (id: string) => {
		let s = stats.get(id);
		if (!s) stats.set(id, (s = { tp: 0, fp: 0, fn: 0 }));
		if (!ids.includes(id)) ids.push(id);
		return s;
	};
	for (const g of gold) {
		const p = predBy.get(g.id) ?? new Set<string>();
		const gs = new Set(g.themes);
		for (const t of gs) {
			if (p.has(t)) get(t).tp++;
			else get(t).fn++;
		}
		for (const t of p) if (!gs.has(t)) get(t).fp++;
	}
	let TP = 0,
		FP = 0,
		FN = 0;
	const perTheme = ids.map((id) => {
		const { tp, fp, fn } = stats.get(id)!;
		TP += tp;
		FP += fp;
		FN += fn;
		const precision = tp + fp ? tp / (tp + fp) : 0;
		const recall = tp + fn ? tp / (tp + fn) : 0;
		const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
		return { id, support: tp + fn, predicted: tp + fp, tp, precision, recall, f1 };
	});
	const macro = perTheme.filter((m) => m.support >= macroMinSupport);
	return {
		perTheme,
		micro: {
			precision: TP + FP ? TP / (TP + FP) : 0,
			recall: TP + FN ? TP / (TP + FN) : 0,
			f1: TP ? (2 * TP) / (2 * TP + FP + FN) : 0
		},
		macroF1: macro.length ? macro.reduce((s, m) => s + m.f1, 0) / macro.length : 0,
		macroThemes: macro.length,
		macroMinSupport,
		answers: gold.length
	};
}

/** The evaluation as a plain-text table; its last line is `microF1=0.xxx macroF1=0.xxx`. */
export function formatEvaluation(e: Evaluation): string {
	const idW = Math.max(5, ...e.perTheme.map((m) => m.id.length));
	const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - s.length));
	const num = (x: number) => x.toFixed(3);
	const lines = [`${pad('theme', idW)}  support  predicted  precision  recall  f1`];
	for (const m of e.perTheme) {
		lines.push(
			`${pad(m.id, idW)}  ${pad(String(m.support), 7)}  ${pad(String(m.predicted), 9)}  ${pad(num(m.precision), 9)}  ${pad(num(m.recall), 6)}  ${num(m.f1)}`
		);
	}
	lines.push(
		`micro: precision=${num(e.micro.precision)} recall=${num(e.micro.recall)} f1=${num(e.micro.f1)} (${e.answers} answers); macro over ${e.macroThemes} themes with ≥${e.macroMinSupport} gold answers`
	);
	lines.push(`microF1=${num(e.micro.f1)} macroF1=${num(e.macroF1)}`);
	return lines.join('\n');
}
