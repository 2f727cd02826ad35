/**
 * With SUBMIT_GATHER_MS set, the survey's grouped commit (survey/writer.ts) waits, for at most that long, for the
 * respondents it has just answered before it takes the next batch, so that under steady load one commit serves
 * them together instead of one each as they come back (a commit writes about 40 log pages whatever its size;
 * issue 18, seventeenth round in docs/deployment.md). 2 ms by default since the eighteenth round; with
 * SUBMIT_GATHER_MS=0 each comes in its own commit. Each submission is still stored once by its UUID and answered
 * only after its own commit.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { describeEachEngine } from './helpers/databases';
import { storedCount, writerInput as input, writerSuite } from './helpers/writer';
import {
	forgetGatherBackoff,
	gatherCounts,
	gatherMs,
	groupedCommits,
	saveOnline
} from '../src/lib/server/survey/writer';

/** A few turns of the event loop: the writer starts a batch on the next one (setImmediate) when it does not wait. */
const turns = async (n = 5) => {
	for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describeEachEngine('the grouped commit waits for the respondents just answered (SUBMIT_GATHER_MS)', (engine) => {
	const gather = process.env.SUBMIT_GATHER_MS;
	const adapt = process.env.SUBMIT_GATHER_ADAPT;
	const suite = writerSuite(engine, { env: { SUBMIT_WRITER_THREAD: 'off' } });
	afterEach(() => {
		if (gather === undefined) delete process.env.SUBMIT_GATHER_MS;
		else process.env.SUBMIT_GATHER_MS = gather;
		if (adapt === undefined) delete process.env.SUBMIT_GATHER_ADAPT;
		else process.env.SUBMIT_GATHER_ADAPT = adapt;
	});

	/** A batch of three answered, then the three respondents come back one at a time. */
	async function comeBack() {
		const first = await Promise.all(
			Array.from({ length: 3 }, (_, i) => saveOnline(suite.fresh.db, suite.c, input(randomUUID(), `First ${i}`)))
		);
		expect(first.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		const commitsBefore = groupedCommits(suite.fresh.db);
		const ids = Array.from({ length: 3 }, () => randomUUID());
		const sent = [saveOnline(suite.fresh.db, suite.c, input(ids[0], 'Back 0'))];
		await turns();
		const commitsAfterOne = groupedCommits(suite.fresh.db) - commitsBefore;
		sent.push(saveOnline(suite.fresh.db, suite.c, input(ids[1], 'Back 1')));
		await turns();
		sent.push(saveOnline(suite.fresh.db, suite.c, input(ids[2], 'Back 2')));
		const results = await Promise.all(sent);
		return { ids, results, commitsAfterOne, commits: groupedCommits(suite.fresh.db) - commitsBefore };
	}

	it('with a wait, the three who come back are stored in one commit, once each', async () => {
		process.env.SUBMIT_GATHER_MS = '60000'; // ended by the third arrival, not by the clock
		const { ids, results, commitsAfterOne, commits } = await comeBack();
		expect(commitsAfterOne).toBe(0); // the first back waits for the others
		expect(commits).toBe(1);
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(await storedCount(suite.fresh.db, ids)).toBe(3);
	});

	it('the wait is bounded: one who comes back alone is stored once it is over', async () => {
		process.env.SUBMIT_GATHER_MS = '50';
		await Promise.all(
			Array.from({ length: 3 }, (_, i) => saveOnline(suite.fresh.db, suite.c, input(randomUUID(), `Lone ${i}`)))
		);
		const id = randomUUID();
		const result = await saveOnline(suite.fresh.db, suite.c, input(id, 'Alone'));
		expect(result.status).toBe('created');
		expect(await storedCount(suite.fresh.db, [id])).toBe(1);
	});

	it('by default the three who come back at once are stored in one commit, once each', async () => {
		delete process.env.SUBMIT_GATHER_MS;
		// The default wait is short (2 ms), so a stall of the test itself can end it by the clock, which is its design:
		// up to eight tries, of which one must find the first back waiting for the others and all three in one commit.
		// Without a wait none can (the first back is committed at the writer's next turn).
		// (A try whose wait ran out makes the next one or more skip theirs: the adaptive wait, below.)
		let gathered = false;
		for (let attempt = 0; attempt < 12 && !gathered; attempt++) {
			const { ids, results, commitsAfterOne, commits } = await comeBack();
			expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
			expect(await storedCount(suite.fresh.db, ids)).toBe(3);
			gathered = commitsAfterOne === 0 && commits === 1;
		}
		expect(gathered).toBe(true);
	});

	/** A batch of three answered (all there at once: no wait), then one of them back alone: a wait that ends unmet. */
	async function oneBackAlone() {
		await Promise.all(
			Array.from({ length: 3 }, (_, i) => saveOnline(suite.fresh.db, suite.c, input(randomUUID(), `Three ${i}`)))
		);
		const before = gatherCounts(suite.fresh.db);
		const id = randomUUID();
		expect((await saveOnline(suite.fresh.db, suite.c, input(id, 'Alone'))).status).toBe('created');
		expect(await storedCount(suite.fresh.db, [id])).toBe(1);
		const after = gatherCounts(suite.fresh.db);
		return { ranOut: after.ranOut - before.ranOut, skipped: after.skipped - before.skipped };
	}

	/** A batch of three answered, then the first back, and the other two together a moment later. */
	async function backTogether() {
		await Promise.all(
			Array.from({ length: 3 }, (_, i) => saveOnline(suite.fresh.db, suite.c, input(randomUUID(), `Three ${i}`)))
		);
		const commitsBefore = groupedCommits(suite.fresh.db);
		const ids = Array.from({ length: 3 }, () => randomUUID());
		const sent = [saveOnline(suite.fresh.db, suite.c, input(ids[0], 'Back 0'))];
		await turns();
		const commitsAfterOne = groupedCommits(suite.fresh.db) - commitsBefore;
		sent.push(...ids.slice(1).map((id, i) => saveOnline(suite.fresh.db, suite.c, input(id, `Back ${i + 1}`))));
		expect((await Promise.all(sent)).map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(await storedCount(suite.fresh.db, ids)).toBe(3);
		return { commitsAfterOne, commits: groupedCommits(suite.fresh.db) - commitsBefore };
	}

	it('after a wait ran out on the clock the next is skipped, then the writer waits again', async () => {
		process.env.SUBMIT_GATHER_MS = '150'; // long enough not to run out while the test sends the others back
		forgetGatherBackoff(suite.fresh.db);
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 });
		// The next wait is skipped: the one back alone is committed at once.
		expect(await oneBackAlone()).toEqual({ ranOut: 0, skipped: 1 });
		// Then it waits again: the first back waits for the other two, all three in one commit; and a wait that reaches
		// its target keeps it waiting.
		for (let round = 0; round < 2; round++) expect(await backTogether()).toEqual({ commitsAfterOne: 0, commits: 1 });
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 });
	});

	it('waits that run out in a row skip more of the next ones (1, 2, 4 …); SUBMIT_GATHER_ADAPT=off skips none', async () => {
		process.env.SUBMIT_GATHER_MS = '100';
		forgetGatherBackoff(suite.fresh.db);
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 });
		expect(await oneBackAlone()).toEqual({ ranOut: 0, skipped: 1 });
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 }); // two in a row: the next two are skipped
		expect(await oneBackAlone()).toEqual({ ranOut: 0, skipped: 1 });
		expect(await oneBackAlone()).toEqual({ ranOut: 0, skipped: 1 });
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 }); // three in a row: the next four
		process.env.SUBMIT_GATHER_ADAPT = 'off';
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 });
		expect(await oneBackAlone()).toEqual({ ranOut: 1, skipped: 0 });
	});

	it('with SUBMIT_GATHER_MS=0 the first who comes back is stored at once, in a commit without the others', async () => {
		process.env.SUBMIT_GATHER_MS = '0';
		const { ids, results, commitsAfterOne, commits } = await comeBack();
		expect(commitsAfterOne).toBe(1); // the first back is committed alone
		expect(commits).toBeGreaterThan(1); // (the other two may share the next commit)
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		expect(await storedCount(suite.fresh.db, ids)).toBe(3);
	});

	it('SUBMIT_GATHER_MS: 2 ms when unset, 0 or off for none, a number of ms otherwise', () => {
		expect(gatherMs({})).toBe(2);
		expect(gatherMs({ SUBMIT_GATHER_MS: '' })).toBe(2);
		expect(gatherMs({ SUBMIT_GATHER_MS: '5' })).toBe(5);
		expect(gatherMs({ SUBMIT_GATHER_MS: '0' })).toBe(0);
		expect(gatherMs({ SUBMIT_GATHER_MS: 'off' })).toBe(0);
		expect(gatherMs({ SUBMIT_GATHER_MS: '2' })).toBe(2);
		expect(gatherMs({ SUBMIT_GATHER_MS: 'nonsense' })).toBe(0);
	});
});
