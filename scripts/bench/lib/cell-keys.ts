/**
 * The writer's aggregate cell keys (submissions/writer-aggregates.ts, cellKey) against JSON.stringify of each key,
 * as they were: about 35 keys a submission of the shapes addBatchAggregates builds, each counted into a Map.
 * Usage: tsx scripts/bench/lib/cell-keys.ts
 */
import { cellKey } from '../../../src/lib/server/submissions/writer-aggregates';
// About 30 cells a submission, of the shapes addBatchAggregates builds.
const keys: (string | number)[][] = [];
for (let s = 0; s < 1000; s++) {
	const d = ['wychavon', 'redditch', ''][s % 3];
	keys.push([7, d, 'online', 0, '2026-12-04'], [7, '13-15', 'female', 'left_blank', 'left_blank', 'not_asked']);
	keys.push(
		[7, '|child|', d, 'online', 0, '2026-12-04'],
		[7, '|child|', d, '13-15', 'female', 'left_blank', 'left_blank', 'not_asked']
	);
	for (let f = 0; f < 6; f++) keys.push([7, '|child|', d, 'online', 'eq_gender', 'female']);
	keys.push([7, '|1|2|3|', '|child|', d, 'online', 0, '2026-12-04']);
	for (let a = 0; a < 6; a++)
		keys.push([a + 1, 'child', d, 'online'], [a + 1, 1, 0, 0, 0], [a + 1, 'en', 0], [a + 1, '2026-12-04']);
}
for (let round = 0; round < 4; round++)
	for (const [name, f] of [
		['JSON.stringify', (k: (string | number)[]) => JSON.stringify(k)],
		['cellKey', cellKey]
	] as const) {
		const m = new Map<string, number>();
		const t = process.cpuUsage();
		for (let r = 0; r < 50; r++)
			for (const k of keys) {
				const s = f(k)!;
				m.set(s, (m.get(s) ?? 0) + 1);
			}
		const u = process.cpuUsage(t);
		console.log(
			round,
			name,
			((u.user + u.system) / (50 * 1000)).toFixed(2),
			'us per submission (',
			keys.length / 1000,
			'cells, with the Map)'
		);
	}
