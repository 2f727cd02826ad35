/**
 * Phrase banks for demo answers, in the voices of each respondent group, keyed
 * by question and by the theme each phrase expresses (themes match the shipped
 * codebooks' spirit, so the theme engine has something real to find). Demo only.
 */
type Voice = 'child' | 'young' | 'adult' | 'pro';
type Bank = Record<string, Partial<Record<Voice, string[]>>>;

export const VOICE_OF: Record<string, Voice> = {
	child: 'child',
	young_person: 'young',
	parent_carer: 'adult',
	practitioner: 'pro',
	other: 'adult'
};

export const BANKS: Record<string, Bank> = {
	q1: {
		family: {
			child: [
				'my family',
				'my mum and dad',
				'my famly',
				'my nan and grandad',
				'my little sister',
				'being with my family'
			],
			young: ['family', 'having a family that supports you', 'my family being there for me', 'my parents'],
			adult: ['a loving and stable family', 'feeling loved at home'],
			pro: ['secure attachment to a stable family', 'a safe and supportive home life']
		},
		friends: {
			child: ['my friends', 'my best frend', 'having friends to play with', 'my mates at school'],
			young: ['friends', 'having good friends', 'my mates', 'people who get you'],
			adult: ['good friendships', 'having friends and feeling they belong'],
			pro: ['positive peer relationships']
		},
		pets: {
			child: ['my dog', 'my cat', 'my hamster', 'my pets', 'my rabbit called fluffy', 'my puppy']
		},
		sport: {
			child: ['football', 'swimming', 'playing footy', 'gymnastics', 'riding my bike', 'dance club'],
			young: ['sport', 'going to the gym', 'playing rugby'],
			adult: ['sport and being active', 'access to sports clubs'],
			pro: ['physical activity and healthy lifestyles', 'access to sport and exercise']
		},
		education: {
			child: ['school', 'learning', 'my teacher'],
			young: ['doing well at school', 'getting good grades', 'education', 'college'],
			adult: ['a good education', 'good schools with enough teachers', 'getting the support they need at school'],
			pro: ['a quality education', 'inclusive education for children with SEND']
		},
		jobs: {
			young: ['getting a job', 'jobs and apprenticeships', 'having a future career'],
			adult: ['job opportunities when they leave school', 'apprenticeships and jobs locally'],
			pro: ['employment opportunities and pathways into work', 'routes into training and employment']
		},
		safety: {
			child: ['feeling safe', 'being safe at home'],
			young: ['feeling safe in town', 'safe places to go'],
			adult: ['feeling safe at home and in the community', 'safe places to go outside school'],
			pro: ['a safe family environment', 'safe places to go and feel they belong']
		},
		activities: {
			child: ['going to the park', 'things to do', 'playing outside', 'clubs after school'],
			young: ['having things to do', 'youth clubs', 'places to hang out'],
			adult: ['activities in the holidays', 'affordable things to do'],
			pro: ['positive activities outside school', 'youth provision']
		},
		support: {
			adult: [
				'support for families when they struggle',
				'mental health support',
				'help in the early years',
				'good health visitors'
			],
			pro: [
				'early help for families',
				'access to mental health services',
				'support with relationships and sexual health',
				'early years support and family support services'
			]
		},
		happiness: {
			child: ['being happy', 'having fun', 'to be happy'],
			young: ['being happy', 'being myself'],
			adult: ['being happy and healthy'],
			pro: ['emotional wellbeing']
		}
	},
	q2: {
		school_pressure: {
			child: ['too much homework', 'tests at school', 'sats', 'school is hard'],
			young: ['exam stress', 'pressure from exams', 'too much pressure at school', 'GCSEs'],
			adult: ['pressure of exams and testing', 'not enough support in school', 'schools not meeting needs'],
			pro: ['academic pressure', 'lack of SEND provision in schools', 'exclusions and gaps in provision']
		},
		places: {
			child: ['nowhere to play', 'no park near my house'],
			young: [
				'nowhere to go',
				'nothing to do in town',
				'there is nothing to do round here',
				'nowhere safe to hang out'
			],
			adult: ['lack of safe places to go outside school', 'nowhere safe and affordable for teenagers'],
			pro: ['a lack of safe and affordable places to go outside of school']
		},
		getting_along: {
			child: ['people being mean', 'falling out with friends', 'people not being kind', 'fighting'],
			young: ['getting on with people', 'friendship drama', 'peer pressure'],
			adult: ['learning to get along with others', 'peer pressure and falling out'],
			pro: ['developing social skills and resilience', 'managing relationships with peers']
		},
		cuts: {
			adult: ['cuts to services', 'youth centres closing', 'children centres closing down', 'long waits for help'],
			pro: [
				'cuts to early help and family support',
				'reduced funding for youth services',
				'thresholds for support keep rising'
			]
		},
		mental_health: {
			young: ['anxiety', 'mental health', 'depression and stress', 'feeling low'],
			adult: ['mental health and long CAMHS waiting lists', 'anxiety in teenagers'],
			pro: ['emotional wellbeing and mental health', 'lack of timely CAMHS support', 'rising self-harm and anxiety']
		},
		activities_lack: {
			child: ['being bored', 'not enough clubs', 'things cost too much'],
			young: ['activities are too expensive', 'no buses to get to things', 'not enough to do'],
			adult: ['activities are expensive', 'nothing local and affordable for kids'],
			pro: ['lack of safe, local and affordable activities', 'transport to activities in rural areas']
		},
		social_media: {
			child: ['people being mean online', 'bulying'],
			young: ['cyberbullying', 'social media', 'people posting stuff about you'],
			adult: ['social media and online bullying', 'too much time on phones'],
			pro: ['use of social media for bullying', 'online safety and exploitation']
		}
	},
	q3: {
		more_activities: {
			child: ['more clubs', 'a bigger park', 'more things to do', 'a skate park', 'free swimming'],
			young: [
				'more things to do that are cheap',
				'more youth clubs',
				'cheaper activities',
				'better buses to get places'
			],
			adult: ['more affordable activities', 'free holiday clubs'],
			pro: ['more affordable and available activities', 'investment in youth provision']
		},
		time_family_friends: {
			child: [
				'more time with my family',
				'more time with my friends',
				'playing with my mum and dad more',
				'seeing my dad more'
			],
			young: ['more time with friends'],
			adult: ['parents having more time with their children']
		},
		less_bullying: {
			child: ['no bullying', 'less bullying', 'everyone being kind', 'more friends'],
			young: ['stop bullying', 'schools dealing with bullying properly'],
			adult: ['tackling bullying in schools'],
			pro: ['whole-school anti-bullying work']
		},
		mental_health_support: {
			young: ['more mental health support', 'someone to talk to', 'counsellors in school'],
			adult: ['quicker mental health support', 'shorter CAMHS waits'],
			pro: ['earlier access to emotional wellbeing services', 'mental health support teams in schools']
		},
		family_support: {
			adult: ['more help for parents', 'parenting support', 'more health visitors'],
			pro: ['early help before families reach crisis', 'better joined-up family support']
		},
		better_schools: {
			child: ['nicer teachers', 'less homework'],
			young: ['better teachers', 'less pressure at school'],
			adult: ['better support for SEND in schools'],
			pro: ['inclusive schools with the right support']
		}
	},
	q4: {
		parks: {
			child: ['more parks', 'bigger playgrounds', 'more trees and places to play'],
			young: ['nice parks', 'green spaces'],
			adult: ['well kept parks and play areas'],
			pro: ['accessible green spaces']
		},
		safe_streets: {
			child: ['no bad people', 'safe roads'],
			young: ['feeling safe in town at night', 'less crime'],
			adult: ['safe streets and less crime'],
			pro: ['safe communities']
		},
		things_to_do: {
			child: ['more fun things to do', 'a trampoline park'],
			young: ['more things for teenagers to do', 'a cinema near us'],
			adult: ['affordable activities for all ages'],
			pro: ['a good youth offer in every district']
		},
		transport: {
			young: ['better buses', 'cheaper bus fares', 'buses in the evening'],
			adult: ['better public transport in rural areas'],
			pro: ['transport so rural young people can get to things']
		},
		good_schools: {
			child: ['good schools'],
			young: ['good colleges'],
			adult: ['good schools for everyone'],
			pro: ['high quality education for all']
		},
		jobs: {
			young: ['jobs for young people', 'apprenticeships'],
			adult: ['good jobs so young people stay'],
			pro: ['employment opportunities']
		},
		community: {
			child: ['everyone being friendly'],
			young: ['people not judging teenagers'],
			adult: ['friendly communities that welcome children'],
			pro: ['communities that value children and young people']
		}
	},
	q5: {
		listen: {
			child: ['listen to us', 'ask children what they think', 'actually listen'],
			young: ['listen to young people', 'ask us before you decide things'],
			adult: ['ask parents and actually listen'],
			pro: ['involve children in decisions from the start']
		},
		surveys: {
			child: ['more surveys like this'],
			young: ['online surveys', 'quick polls'],
			adult: ['short surveys and consultations'],
			pro: ['regular consultation with families']
		},
		youth_councils: {
			young: ['a youth council', 'youth cabinet', 'young people on the boards'],
			pro: ['strengthen the youth cabinet and forums']
		},
		school_councils: {
			child: ['through the school council', 'ask us at school'],
			young: ['school councils'],
			pro: ['work through school councils']
		},
		social_media: {
			young: ['use instagram and snapchat', 'social media'],
			adult: ['facebook groups for parents'],
			pro: ['use the channels young people already use']
		},
		feedback: {
			young: ['tell us what changed', 'show us you did something'],
			adult: ['feed back what you did with our views'],
			pro: ['you said, we did feedback']
		},
		face_to_face: {
			child: ['come to our school', 'come to the library'],
			adult: ['drop-in sessions in the community'],
			pro: ['face to face engagement in libraries and schools']
		}
	}
};

export const OPENERS: Record<Voice, string[]> = {
	child: ['', '', 'I think ', 'I like ', ''],
	young: ['', '', 'Honestly ', 'I think ', 'Mostly '],
	adult: ['', 'I think ', 'As a parent, ', 'For my children, ', ''],
	pro: ['', 'In my experience, ', 'From my work, ', '', 'Key issues: ']
};
