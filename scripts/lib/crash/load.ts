// The crash test's load generator: many clients, each with its own keep-alive
// connection, posting survey submissions (a share of them resending ids already sent,
// including ids whose first attempt got no answer) until told to stop.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const DISTRICTS = [
	'bromsgrove',
	'malvern-hills',
	'redditch',
	'worcester-city',
	'wychavon',
	'wyre-forest',
	'outside',
	null
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The load: many clients, each sending one request at a time, until told to stop. */
export class Load {
	readonly sentIds: string[] = [];
	readonly sentSet = new Set<string>();
	/** Ids that reached the server at least once. */
	readonly reachedIds = new Set<string>();
	readonly acked = new Set<string>();
	/** Ids whose latest attempt got no HTTP answer and that were never acknowledged. */
	readonly unanswered = new Set<string>();
	sent = 0;
	/** Connection attempts refused while the server was down (retried, not counted as sent). */
	refused = 0;
	replays = 0;
	replaysOfUnanswered = 0;
	inFlight = 0;
	statuses: Record<string, number> = {};
	errors: Record<string, number> = {};
	/** Milliseconds from sending to the whole answer, for answered requests. */
	readonly latencies: number[] = [];
	private running = true;
	private workers: Promise<void>[] = [];
	private readonly agent: http.Agent;

	constructor(
		private readonly port: number,
		private readonly clients: number,
		private readonly replayRate: number,
		private readonly slug: string
	) {
		this.agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
	}

	start() {
		for (let i = 0; i < this.clients; i++) this.workers.push(this.worker());
	}

	async stop() {
		this.running = false;
		await Promise.all(this.workers);
		this.agent.destroy();
	}

	private pickId(): string {
		const r = Math.random();
		if (r < this.replayRate && this.sentIds.length > 0) {
			this.replays++;
			// Half the replays go to ids that never got an answer, when there are some:
			// the client's retry after a connection reset.
			if (r < this.replayRate / 2 && this.unanswered.size > 0) {
				this.replaysOfUnanswered++;
				const ids = [...this.unanswered];
				return ids[Math.floor(Math.random() * ids.length)];
			}
			return this.sentIds[Math.floor(Math.random() * this.sentIds.length)];
		}
		const id = randomUUID();
		this.sentIds.push(id);
		this.sentSet.add(id);
		return id;
	}

	private async worker() {
		let id = this.pickId();
		while (this.running) {
			const outcome = await this.post(id);
			if (outcome === 'refused') {
				// The server is down: the client waits a little and tries the same
				// submission again. The request never reached the server, so it is not
				// counted as sent.
				await sleep(20 + Math.random() * 30);
				continue;
			}
			id = this.pickId();
		}
	}

	private post(id: string): Promise<'answered' | 'no-answer' | 'refused'> {
		// The same id always carries the same submission, as a real client's retry would.
		const district = DISTRICTS[parseInt(id.slice(0, 2), 16) % DISTRICTS.length];
		const body = JSON.stringify({
			id,
			district,
			perspectives: [{ group: 'child', answers: { q1: `Crash test answer for ${id}: more youth clubs please.` } }],
			about: null
		});
		this.sent++;
		this.inFlight++;
		const t0 = performance.now();
		return new Promise((resolve) => {
			let settled = false;
			const done = (value: 'answered' | 'no-answer' | 'refused', error?: string) => {
				if (settled) return;
				settled = true;
				this.inFlight--;
				if (value === 'refused') {
					this.sent--;
					this.refused++;
				} else {
					this.reachedIds.add(id);
					if (error) this.errors[error] = (this.errors[error] ?? 0) + 1;
				}
				if (value === 'no-answer' && !this.acked.has(id)) this.unanswered.add(id);
				resolve(value);
			};
			const req = http.request(
				{
					host: '127.0.0.1',
					port: this.port,
					method: 'POST',
					path: `/api/s/${this.slug}/submissions`,
					agent: this.agent,
					timeout: 30_000,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
						origin: `http://127.0.0.1:${this.port}`,
						accept: 'application/json'
					}
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('error', (e: NodeJS.ErrnoException) => done('no-answer', e.code ?? e.message));
					res.on('aborted', () => done('no-answer', 'response aborted'));
					res.on('end', () => {
						const status = res.statusCode ?? 0;
						this.latencies.push(performance.now() - t0);
						this.statuses[status] = (this.statuses[status] ?? 0) + 1;
						// Acknowledged only once the whole answer has arrived.
						if (status === 201 || status === 200) {
							this.acked.add(id);
							this.unanswered.delete(id);
						}
						done('answered');
					});
				}
			);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (e: NodeJS.ErrnoException) =>
				done(e.code === 'ECONNREFUSED' ? 'refused' : 'no-answer', e.code ?? e.message)
			);
			req.end(body);
		});
	}
}
