/**
 * The method statement's sentences, from the facts (pure: no framework, no database), so the
 * dashboard, the agreement page and the printed report say exactly the same thing.
 */
import { formatWithInterval, type SampleAgreement } from './sample-check';

export interface MethodFacts {
	answers: number;
	/** Coded by the machine only: no person has coded or checked them. */
	machineOnly: number;
	/** Coded or checked by a person (reviewed, a sample check, or a bulk decision). */
	person: number;
	/** Not coded yet. */
	uncoded: number;
	/** Answers a person checked in a sample check (all samples). */
	sampleChecked: number;
	/** The latest sample check with at least one answer checked. */
	sample: {
		id: number;
		createdAt: string;
		seed: number;
		drawn: number;
		checked: number;
		agreement: SampleAgreement;
	} | null;
	/** When coding last changed (ISO), machine or person. */
	lastCoded: string | null;
}

const n = (v: number) => v.toLocaleString('en-GB');
const plural = (v: number, one: string, many = `${one}s`) => `${n(v)} ${v === 1 ? one : many}`;

/** "30 November 2026 at 14:05 (UTC)" */
export function formatWhen(iso: string | null): string {
	if (!iso) return 'never';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
	const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
	return `${day} at ${time} (UTC)`;
}

export interface MethodStatement {
	coding: string;
	agreement: string;
	tickRule: string;
	updated: string;
}

export function methodStatement(f: MethodFacts, tickRule: string): MethodStatement {
	const coding =
		`Themes were assigned to the answers by a machine (the app's theme coder, trained on the codebook and on officers' coding) and by officers. ` +
		`Of ${plural(f.answers, 'answer')}, ${n(f.machineOnly)} ${f.machineOnly === 1 ? 'was' : 'were'} coded by the machine only, ` +
		`${n(f.person)} ${f.person === 1 ? 'was' : 'were'} coded or checked by a person` +
		(f.uncoded > 0 ? ` and ${n(f.uncoded)} ${f.uncoded === 1 ? 'is' : 'are'} not coded yet.` : '.');
	let agreement: string;
	if (!f.sample) agreement = 'Agreement of the machine with officers: no sample checked yet.';
	else {
		const a = f.sample.agreement;
		agreement =
			`Agreement of the machine with officers on a random sample of ${plural(f.sample.checked, 'machine-coded answer')} checked by an officer` +
			(f.sample.checked < f.sample.drawn ? ` (of ${n(f.sample.drawn)} drawn)` : '') +
			`: F1 ${formatWithInterval(a.f1, a.f1Ci)}, precision ${formatWithInterval(a.precision, a.precisionCi)}, recall ${formatWithInterval(a.recall, a.recallCi)}; ` +
			`the officer kept exactly the machine's themes on ${plural(a.exact, 'answer')}.`;
	}
	return { coding, agreement, tickRule, updated: `Coding last updated ${formatWhen(f.lastCoded)}.` };
}
