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
import { gatherMs, groupedCommits, saveOnline } from '../src/lib/server/survey/writer';

/** A few turns of the event loop: the writer starts a batch on the next one (setImmediate) when it does not wait. */
const turns = async (n = 5) => {
	for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describeEachEngine('the grouped commit waits for the respondents just answered (SUBMIT_GATHER_MS)', (engine) => {
	const gather = process.env.SUBMIT_GATHER_MS;
	const suite = writerSuite(engine, { env: { SUBMIT_WRITER_THREAD: 'off' } });
	afterEach(() => {
		if (gather === undefined) delete process.env.SUBMIT_GATHER_MS;
		else process.env.SUBMIT_GATHER_MS = gather;
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
		let gathered = false;
		for (let attempt = 0; attempt < 8 && !gathered; attempt++) {
			const { ids, results, commitsAfterOne, commits } = await comeBack();
			expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
			expect(await storedCount(suite.fresh.db, ids)).toBe(3);
			gathered = commitsAfterOne === 0 && commits === 1;
		}
		expect(gathered).toBe(true);
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
