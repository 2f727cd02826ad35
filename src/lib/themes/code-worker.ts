/**
 * Worker thread for `codeAnswersParallel` (parallel.ts): rebuilds the coder from the serialised
 * model once, then codes the chunks of answer texts it is sent and returns compact results
 * (theme indexes and confidences in typed arrays, transferred rather than copied).
 * Node only; not part of the app bundle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCoder } from './coder';

export interface ChunkRequest {
	chunk: number;
	texts: string[];
	/** each answer's perspective (respondent group), when any is known */
	perspectives?: (string | null)[];
}
export type ChunkReply =
	| { chunk: number; counts: Uint8Array; themes: Uint16Array; confidences: Float64Array }
	| { chunk: number; error: string };

const coder = loadCoder((workerData as { model: string }).model);
const themeIndex = new Map(coder.model.themes.map((t, i) => [t.id, i]));

parentPort!.on('message', ({ chunk, texts, perspectives }: ChunkRequest) => {
	try {
		const counts = new Uint8Array(texts.length);
		const themes: number[] = [];
		const confidences: number[] = [];
		texts.forEach((text, i) => {
			const scores = coder.code(text, perspectives?.[i]);
			counts[i] = scores.length;
			for (const s of scores) {
				themes.push(themeIndex.get(s.id)!);
				confidences.push(s.confidence);
			}
		});
		const reply: ChunkReply = {
			chunk,
			counts,
			themes: Uint16Array.from(themes),
			confidences: Float64Array.from(confidences)
		};
		parentPort!.postMessage(reply, [
			counts.buffer as ArrayBuffer,
			reply.themes.buffer as ArrayBuffer,
			reply.confidences.buffer as ArrayBuffer
		]);
	} catch (e) {
		parentPort!.postMessage({
			chunk,
			error: e instanceof Error ? (e.stack ?? e.message) : String(e)
		} satisfies ChunkReply);
	}
});
