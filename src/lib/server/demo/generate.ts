import { createHash } from 'node:crypto';
import type { SubmissionInput } from '../../schemas/submission';
import { LEFT_BLANK, PREFER_NOT } from '../../domain/equality';
import { BANKS, OPENERS, VOICE_OF } from './texts';
import { seededRandom, type SeededRandom } from '../../util/random';

/**
 * A deterministic plan of demo submissions reproducing the published tallies of
 * the Worcestershire 2017 consultation (seed 003, paragraphs 10-11): respondent
 * types 735/207/963/575/164 (one submission may count under two), districts
 * 607/311/129/560/448/345/31, 1,144 online and 1,450 face to face from 21
 * libraries over 5 weeks (with a few school and event sessions), equality
 * answers only online. The seed's gender counts (372 male, 1,010 female) exceed
 * its own online total, so the demo keeps their proportion instead.
 */

export const DEMO_START = '2017-05-22';
export const WEEKS = 5;

export const LIBRARIES: { name: string; district: string }[] = [
	{ name: 'Bromsgrove Library', district: 'bromsgrove' },
	{ name: 'Hagley Library', district: 'bromsgrove' },
	{ name: 'Rubery Library', district: 'bromsgrove' },
	{ name: 'Wythall Library', district: 'bromsgrove' },
	{ name: 'Alvechurch Library', district: 'bromsgrove' },
	{ name: 'Malvern Library', district: 'malvern-hills' },
	{ name: 'Tenbury Library', district: 'malvern-hills' },
	{ name: 'Upton-upon-Severn Library', district: 'malvern-hills' },
	{ name: 'Redditch Library', district: 'redditch' },
	{ name: 'Woodrow Library', district: 'redditch' },
	{ name: 'The Hive, Worcester', district: 'worcester-city' },
	{ name: "St John's Library, Worcester", district: 'worcester-city' },
	{ name: 'Warndon Library', district: 'worcester-city' },
	{ name: 'Droitwich Spa Library', district: 'wychavon' },
	{ name: 'Evesham Library', district: 'wychavon' },
	{ name: 'Pershore Library', district: 'wychavon' },
	{ name: 'Broadway Library', district: 'wychavon' },
	{ name: 'Kidderminster Library', district: 'wyre-forest' },
	{ name: 'Stourport Library', district: 'wyre-forest' },
	{ name: 'Bewdley Library', district: 'wyre-forest' },
	{ name: 'Catshill Library', district: 'bromsgrove' }
];

export const OTHER_VENUES: { name: string; district: string; kind: string; channel: 'school' | 'event' }[] = [
	{ name: 'Franche Primary School', district: 'wyre-forest', kind: 'school', channel: 'school' },
	{ name: 'Pershore High School', district: 'wychavon', kind: 'school', channel: 'school' },
	{ name: 'County Hall family fun day', district: 'worcester-city', kind: 'event', channel: 'event' }
];

export interface DemoSession {
	key: string;
	venue: string;
	channel: 'library' | 'school' | 'event';
	date: string;
	questionKey: string;
}

export interface DemoSubmission {
	input: SubmissionInput;
	channel: 'online' | 'library' | 'school' | 'event';
	sessionKey: string | null;
	createdAt: string;
}

export interface DemoPlan {
	sessions: DemoSession[];
	submissions: DemoSubmission[];
}

const rng = seededRandom;
type Rng = SeededRandom;

function repeat<T>(counts: [T, number][]): T[] {
	return counts.flatMap(([value, n]) => Array.from({ length: n }, () => value));
}

export function demoUuid(key: string): string {
	const h = createHash('sha1').update(`consult-demo:${key}`).digest('hex');
	// Version 5-style layout so it passes UUID validation.
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

function answerText(r: Rng, group: string, question: string): string {
	const voice = VOICE_OF[group] ?? 'adult';
	const bank = BANKS[question];
	const themes = Object.keys(bank).filter((t) => bank[t][voice]?.length);
	const chosen = new Set<string>();
	const wanted = voice === 'child' ? 1 + (r.next() < 0.3 ? 1 : 0) : 1 + r.int(3);
	while (chosen.size < Math.min(wanted, themes.length)) chosen.add(r.pick(themes));
	const phrases = [...chosen].map((t) => r.pick(bank[t][voice]!));
	let text =
		r.pick(OPENERS[voice]) +
		(phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}` : phrases[0]);
	if (voice !== 'child') text = text.charAt(0).toUpperCase() + text.slice(1) + (r.next() < 0.7 ? '.' : '');
	return text;
}

function ageBandFor(r: Rng, groups: (string | null)[]): string {
	if (groups.length === 2 && groups.includes('young_person')) return '18-24';
	const g = groups[0];
	if (g === 'child') return 'under-13';
	if (g === 'young_person') return r.pick(['13-15', '13-15', '16-17', '18-24']);
	if (g === 'parent_carer') return r.pick(['25-34', '35-49', '35-49', '50-64']);
	if (g === 'practitioner') return r.pick(['25-34', '35-49', '50-64']);
	return r.pick(['18-24', '25-34', '35-49', '50-64', '65-plus']);
}

export function planDemo(seed = 2017): DemoPlan {
	const r = rng(seed);

	const sessions: DemoSession[] = [];
	for (let week = 0; week < WEEKS; week++) {
		const questionKey = `q${week + 1}`;
		LIBRARIES.forEach((lib, i) => {
			sessions.push({
				key: `library:${i}:${week}`,
				venue: lib.name,
				channel: 'library',
				date: addDays(DEMO_START, week * 7 + (i % 6)),
				questionKey
			});
		});
	}
	OTHER_VENUES.forEach((v, i) =>
		sessions.push({
			key: `${v.channel}:${i}`,
			venue: v.name,
			channel: v.channel,
			date: addDays(DEMO_START, 10 + i * 6),
			questionKey: 'q3'
		})
	);
	const librarySessions = sessions.filter((s) => s.channel === 'library');
	const otherSessions = sessions.filter((s) => s.channel !== 'library');

	// Respondent groups: online 1,144 submissions (50 answering from two perspectives), face to face 1,450 leaves.
	const onlineGroups: string[][] = r.shuffle([
		...repeat<string[]>([
			[['young_person', 'parent_carer'], 30],
			[['parent_carer', 'practitioner'], 20],
			[['child'], 115],
			[['young_person'], 77],
			[['parent_carer'], 333],
			[['practitioner'], 525],
			[['other'], 44]
		])
	]);
	const f2fGroups = r.shuffle(
		repeat<string>([
			['child', 620],
			['young_person', 100],
			['parent_carer', 580],
			['practitioner', 30],
			['other', 120]
		])
	);
	const total = onlineGroups.length + f2fGroups.length;
	const districts = r.shuffle(
		repeat<string | null>([
			['bromsgrove', 607],
			['malvern-hills', 311],
			['redditch', 129],
			['worcester-city', 560],
			['wychavon', 448],
			['wyre-forest', 345],
			['outside', 31],
			[null, total - 2431]
		])
	);
	const genders = r.shuffle(
		repeat<string>([
			['male', 300],
			['female', 760],
			['self-describe', 14],
			[PREFER_NOT, 40],
			[LEFT_BLANK, 30]
		])
	);
	const disabilities = r.shuffle(
		repeat<string>([
			['yes', 129],
			['no', 961],
			[PREFER_NOT, 30],
			[LEFT_BLANK, 24]
		])
	);

	const submissions: DemoSubmission[] = [];
	onlineGroups.forEach((groups, i) => {
		const perspectives = groups.map((group) => {
			const answers: Record<string, string> = {};
			for (const q of ['q1', 'q2', 'q3', 'q4', 'q5']) {
				const p = q <= 'q3' ? 0.92 : 0.6;
				if (r.next() < p) answers[q] = answerText(r, group, q);
			}
			if (Object.keys(answers).length === 0) answers.q1 = answerText(r, group, 'q1');
			return { group, answers };
		});
		const ageBand = r.next() < 0.04 ? PREFER_NOT : ageBandFor(r, groups);
		const eligible16 = !['under-13', '13-15', PREFER_NOT].includes(ageBand);
		const eth = r.next();
		const ethnicity =
			eth < 0.86
				? 'white-british'
				: eth < 0.9
					? r.pick(['white-other', 'white-irish', 'white-gypsy-traveller'])
					: eth < 0.94
						? r.pick(['asian-pakistani', 'asian-indian', 'asian-bangladeshi', 'asian-chinese'])
						: eth < 0.96
							? r.pick(['mixed-white-black-caribbean', 'mixed-white-asian', 'black-african'])
							: eth < 0.985
								? PREFER_NOT
								: LEFT_BLANK;
		const so = r.next();
		const about = {
			ageBand,
			gender: genders[i],
			genderSelfDescribe: genders[i] === 'self-describe' ? 'Non-binary' : null,
			disability: disabilities[i],
			ethnicity,
			sexualOrientation: !eligible16
				? null
				: so < 0.8
					? 'straight'
					: so < 0.83
						? 'gay-lesbian'
						: so < 0.87
							? 'bisexual'
							: so < 0.88
								? 'other'
								: so < 0.96
									? PREFER_NOT
									: null
		};
		const day = r.int(40);
		submissions.push({
			input: { id: demoUuid(`online:${i}`), district: districts[i], perspectives, about: cleanAbout(about) },
			channel: 'online',
			sessionKey: null,
			createdAt: `${addDays(DEMO_START, day)}T${String(8 + r.int(14)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:00.000Z`
		});
	});
	f2fGroups.forEach((group, j) => {
		const session = j < 1330 ? librarySessions[j % librarySessions.length] : otherSessions[j % otherSessions.length];
		submissions.push({
			input: {
				id: demoUuid(`f2f:${j}`),
				district: districts[onlineGroups.length + j],
				perspectives: [{ group, answers: { [session.questionKey]: answerText(r, group, session.questionKey) } }]
			},
			channel: session.channel,
			sessionKey: session.key,
			createdAt: `${session.date}T${String(10 + r.int(7)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:00.000Z`
		});
	});
	return { sessions, submissions };
}

/** Face-to-face sessions were not asked; online respondents who skipped a question left it blank. */
function cleanAbout(about: Record<string, string | null>) {
	const out: Record<string, string | null> = {};
	for (const [k, v] of Object.entries(about)) if (v !== LEFT_BLANK && v !== null) out[k] = v;
	return out;
}
