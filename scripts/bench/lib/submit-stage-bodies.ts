/**
 * A varied set of survey submissions for the shipped consultation (without ids): short and long answers, words the
 * safeguarding screen flags, personal data the redaction removes (names, emails, phones, postcodes, addresses),
 * Welsh and Polish, several perspectives, repeated texts, control characters and padding, the "About you" answers
 * with and without sexual orientation. Used by scripts/bench/lib/submit-stages.ts (STAGES_BODIES=varied) and by
 * tests/submit-lean2.test.ts (the same submissions stored with the lean path on and off).
 */
export const STAGE_BODIES: Record<string, unknown>[] = [
	{
		district: 'wychavon',
		perspectives: [
			{
				group: 'young_person',
				answers: { q1: 'Somewhere safe to meet friends', q2: 'Buses stop too early', q3: 'Cheaper activities' }
			}
		],
		about: { ageBand: '18-24' }
	},
	{
		district: 'redditch',
		perspectives: [
			{
				group: 'child',
				answers: {
					q1: 'My step dad hits me when he is drunk and I am scared to go home',
					q2: 'I want to kill myself sometimes',
					q4: 'my teacher Mrs Patel is nice'
				}
			}
		]
	},
	{
		district: 'worcester-city',
		perspectives: [
			{
				group: 'parent_carer',
				answers: {
					q1: 'Please call me on 07700 900123 or email jo.smith@example.com about the youth club',
					q2: 'We live at 12 Foregate Street, Worcester WR1 1DB and there is nothing nearby',
					q3: 'My name is Sarah Jones and my son is called Tom'
				}
			},
			{
				group: 'practitioner',
				answers: { q1: 'Better joined-up working between schools and health', q5: 'More youth workers' }
			}
		],
		about: { ageBand: '35-49', gender: 'female', disability: 'no', ethnicity: 'white-british' }
	},
	{
		district: 'outside',
		perspectives: [
			{
				group: 'young_person',
				answers: {
					q1: 'Mae angen mwy o lefydd diogel i bobl ifanc gyfarfod yn y dref gyda’r nos os gwelwch yn dda',
					q2: 'Potrzebujemy więcej autobusów wieczorem, bo nie da się wrócić do domu po zajęciach'
				}
			}
		],
		about: { ageBand: '16-17', sexualOrientation: 'prefer_not_to_say' },
		language: 'cy'
	},
	{
		district: null,
		perspectives: [
			{
				group: 'young_person',
				answers: {
					q1: '  Same words twice\u0007  ',
					q2: 'Same words twice',
					q3: '',
					q4: 'someone at school keeps touching me and said not to tell anyone, jake at gmail dot com'
				}
			}
		]
	},
	{
		district: 'malvern-hills',
		perspectives: [
			{ group: 'other', answers: { q1: 'x'.repeat(900) + ' self harm ' + 'y'.repeat(300) } },
			{ group: 'child', answers: { q2: 'I feel really lonely and sad all the time, nobody listens' } }
		],
		about: { ageBand: '13-15', gender: 'self-describe', genderSelfDescribe: 'non-binary' }
	},
	{
		district: 'bromsgrove',
		perspectives: [
			{
				group: 'young_person',
				answers: {
					q1: 'More things to do in the evenings, like sports clubs and music',
					q5: 'Flat 3, 45 High Street B60 1AA, ring 01527 881234'
				}
			}
		],
		about: null
	},
	{
		district: 'wyre-forest',
		perspectives: [
			{ group: 'parent_carer', answers: { q3: 'Waiting lists for CAMHS are far too long' } },
			{ group: 'child', answers: { q3: 'Waiting lists for CAMHS are far too long' } },
			{ group: 'young_person', answers: { q3: 'i got beaten up on the way home and my mum does not know' } }
		]
	}
];
