/**
 * The set-up the random audit's per-seed tests share (tests/disclosure-seed-*.test.ts): the seed's random
 * consultation (disclosure-random.ts), its views with the given cross-tabs (demo-like.ts siblingViews), and the
 * database dropped after, whatever the test does.
 */
import { siblingViews, type DemoLike } from './demo-like';
import { randomConsultation } from './disclosure-random';

export async function withRandomSeed<T>(
	engine: Parameters<typeof randomConsultation>[0],
	seed: number,
	opts: { crosstabs: readonly string[]; min: number },
	body: (views: ReturnType<typeof siblingViews>, data: DemoLike) => Promise<T>
): Promise<T> {
	const data = await randomConsultation(engine, seed);
	try {
		return await body(
			siblingViews(() => data, opts),
			data
		);
	} finally {
		await data.fresh.drop();
	}
}
