/**
 * Runs `around` at every call of every better-sqlite3 statement prepared from now on (all, get, run, iterate), with
 * the statement's text and parameters and a function that makes the call. Bench scripts use it to log statement
 * shapes and their CPU (profile-views.ts) or to record the views' statements for their plans (view-plans.ts).
 */
import Database from 'better-sqlite3';

type Statement = Record<string, (...a: unknown[]) => unknown>;

export function aroundEachStatement(around: (text: string, args: unknown[], call: () => unknown) => unknown): void {
	const proto = Database.prototype as unknown as { prepare: (this: unknown, text: string) => Statement };
	const prepare = proto.prepare;
	proto.prepare = function (this: unknown, text: string) {
		const st = prepare.call(this, text);
		for (const m of ['all', 'get', 'run', 'iterate']) {
			const f = st[m];
			if (typeof f !== 'function') continue;
			st[m] = function (this: unknown, ...a: unknown[]) {
				return around(text, a, () => f.apply(this, a));
			};
		}
		return st;
	};
}
