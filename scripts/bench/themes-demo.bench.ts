// npm run bench -- themes-demo: the Worcestershire demo answers coded with the shipped codebooks
// (the codebook-only coder the app starts with). Self-description invariance: five self-descriptions
// prefixed to every demo answer and coded again with the same model (target: at most 1% change);
// answers left without a theme per group; the tick tables beside the seed report's.
import {
	demoAnswers,
	formatTickTables,
	invariance,
	PREFIXES,
	seedAgreement,
	setup,
	tickTables
} from '../lib/demo-themes';

export async function run(log: (line: string) => void) {
	const answers = demoAnswers();
	const t0 = performance.now();
	const { coders, codebooks } = setup();
	log(
		`${answers.length.toLocaleString('en-GB')} demo answers (seed 2017); codebook-only coders for q1–q5 built in ${((performance.now() - t0) / 1000).toFixed(1)} s`
	);
	const t1 = performance.now();
	const inv = invariance(answers, coders);
	const changed = inv.reduce((s, r) => s + r.changed, 0);
	const total = inv.reduce((s, r) => s + r.answers, 0);
	log(
		`Self-description invariance (${PREFIXES.map((p) => `"${p.trim()}"`).join(', ')}; ${((performance.now() - t1) / 1000).toFixed(1)} s):`
	);
	for (const r of inv)
		log(
			`  ${r.question}: ${r.changed} of ${r.answers.toLocaleString('en-GB')} prefixed answers change themes${r.examples.length ? ` — e.g. ${JSON.stringify(r.examples[0])}` : ''}`
		);
	log(
		`  all: ${changed} of ${total.toLocaleString('en-GB')} (${((100 * changed) / total).toFixed(2)} %); target ≤ 1 %: ${changed / total <= 0.01 ? 'met' : 'NOT met'}`
	);
	const tables = tickTables(answers, coders, codebooks);
	log('Answers with no theme, per group (child / young person / parent or carer / practitioner / other):');
	for (const t of tables)
		log(
			`  ${t.question}: ${t.groups.map((g, i) => `${t.uncoded[i]}/${t.groupAnswers[i]} (${t.groupAnswers[i] ? Math.round((100 * t.uncoded[i]) / t.groupAnswers[i]) : 0}%)`).join(', ')}`
		);
	log(
		'Tick tables (default rule: top 5 or ≥ 10 %); each cell: tick, S/· = ticked / not ticked in the seed report, count, share:'
	);
	for (const line of formatTickTables(tables)) log(`  ${line}`);
	const s = seedAgreement(tables);
	log(
		`Ticks agreeing with the seed report's tables (q1–q3, the groups it reports): ${s.agree} of ${s.total}; ticked here but not in the seed: ${s.extra.join(', ') || 'none'}; in the seed but not here: ${s.missed.join(', ') || 'none'}`
	);
}
