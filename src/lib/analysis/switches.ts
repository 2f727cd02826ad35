/**
 * The analysis code's environment switches (ANALYSIS_*, SQLITE_ARRAY_ROWS, …), read at use: each the first time a
 * computation asks for it, then from that computation's snapshot (issue #19, helper code30). A first filtered page
 * read them about 17,000 times (the disclosure rounds ask at every table they build: ANALYSIS_TABLE_MEMO 7,100
 * times, ANALYSIS_SIBLING_RETRY 3,300, ANALYSIS_STRUCTURAL_ZEROS 1,159 for child + Bromsgrove), at about 1.4 µs
 * each (process.env goes to the C library's environment every time). A computation is one protection memo's
 * (server/analysis/wider.ts withProtectionMemo: the wider and sibling views of one filtered view, within one
 * request), so a switch changed between two requests is seen by the next one, as the project's "read at use" rule
 * asks of an A/B on one running build; within one computation it is the value it first read. Outside any
 * computation (no snapshot), or with ANALYSIS_SWITCH_SNAPSHOT=off, each read goes to process.env as before.
 */

/** A computation's switches as first read (name → value, undefined when unset). */
export type SwitchSnapshot = Map<string, string | undefined>;

let current: () => SwitchSnapshot | undefined = () => undefined;

/** Where the computation in progress keeps its snapshot (wider.ts: the protection memo's store). */
export function useSwitchSnapshot(source: () => SwitchSnapshot | undefined): void {
	current = source;
}

/** A new computation's snapshot (empty: filled at each first read), or none with ANALYSIS_SWITCH_SNAPSHOT=off. */
export function newSwitchSnapshot(): SwitchSnapshot | undefined {
	return process.env.ANALYSIS_SWITCH_SNAPSHOT === 'off' ? undefined : new Map();
}

/** The value of an environment switch, as the computation in progress first read it. */
export function envSwitch(name: string): string | undefined {
	const snap = current();
	if (!snap) return process.env[name];
	let v = snap.get(name);
	if (v === undefined && !snap.has(name)) snap.set(name, (v = process.env[name]));
	return v;
}
