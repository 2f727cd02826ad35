/**
 * The theme engine in a worker thread, for the app: training (7–10 s on a few thousand coded
 * answers), coding and discovery run here, never on the web server's main thread, so no request
 * (a child's survey submission included) waits for them.
 *
 * This one module is both sides. Imported normally it exports `EngineThread`, the client. Loaded
 * as a worker (its own URL, `import.meta.url`, with `workerData.consultEngine`), it serves requests.
 * The app imports it dynamically, so in the built server it is a chunk of its own and the worker
 * loads only the engine, not the rest of the server. Node only; not exported from index.ts.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { codeAnswers, trainCoder, type Answer, type CodedAnswer, type Coder, type CodingResult } from './coder';
import type { Codebook } from './codebook';
import type { QueueOptions } from './active';
import { discoverThemes, type CandidateTheme, type DiscoverOptions } from './discover';
import { WorkerClient, type WorkerReply } from './worker-client';

type Request =
	| { id: number; op: 'train'; key: string; codebook: Codebook; coded: CodedAnswer[] }
	| { id: number; op: 'code'; key: string; answers: Answer[] }
	| { id: number; op: 'queue'; key: string; answers: Answer[]; options: QueueOptions }
	| { id: number; op: 'discover'; answers: Answer[]; options: Omit<DiscoverOptions, 'coder'> };
/** A request before it is numbered (Omit over each member of the union). */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;

/** Trained coders the worker keeps, by key (most recently used last). */
const KEEP_MODELS = 12;

function serve(): void {
	const models = new Map<string, Coder>();
	parentPort!.on('message', (req: Request) => {
		let reply: WorkerReply;
		try {
			let result: unknown;
			if (req.op === 'train') {
				models.delete(req.key);
				models.set(req.key, trainCoder(req.codebook, req.coded));
				while (models.size > KEEP_MODELS) models.delete(models.keys().next().value!);
				result = true;
			} else if (req.op === 'code' || req.op === 'queue') {
				const coder = models.get(req.key);
				if (!coder) throw new Error(`no model "${req.key}" in the engine worker`);
				models.delete(req.key);
				models.set(req.key, coder);
				result = req.op === 'code' ? codeAnswers(coder, req.answers) : coder.codeNext(req.answers, req.options);
			} else {
				result = discoverThemes(req.answers, req.options);
			}
			reply = { id: req.id, result };
		} catch (e) {
			reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
		}
		parentPort!.postMessage(reply);
	});
}

if (!isMainThread && (workerData as { consultEngine?: number } | null)?.consultEngine === 1) serve();

/**
 * Client of one engine worker thread, started on first use (WorkerClient). Requests are answered in order. If the
 * worker dies, pending requests fail and the next request starts a new worker; `generation` then changes, telling
 * callers that models trained before are gone.
 */
export class EngineThread extends WorkerClient<Unnumbered<Request>> {
	constructor() {
		super(new URL(import.meta.url), { consultEngine: 1 }, 'theme engine worker');
	}

	/** Train a coder in the worker and keep it there under `key`. */
	train(key: string, codebook: Codebook, coded: CodedAnswer[]): Promise<true> {
		return this.request({ op: 'train', key, codebook, coded });
	}

	/** Code answers with the coder trained under `key`. */
	code(key: string, answers: Answer[]): Promise<CodingResult[]> {
		return this.request({ op: 'code', key, answers });
	}

	/** "Code next": the answers' ids in the order the coder under `key` would learn most from (trains nothing). */
	queue(key: string, answers: Answer[], options: QueueOptions = {}): Promise<string[]> {
		return this.request({ op: 'queue', key, answers, options });
	}

	discover(answers: Answer[], options: Omit<DiscoverOptions, 'coder'> = {}): Promise<CandidateTheme[]> {
		return this.request({ op: 'discover', answers, options });
	}
}
