/**
 * Sentences I wrote in five batches while building the screen (none copied from the evaluation files):
 * each batch was run before the changes it led to, and every miss or false flag was then fixed in a
 * general way. They guard those fixes. Two false flags the screen still raises are listed at the end.
 */
import { describe, expect, it } from 'vitest';
import { screenAnswer, screenAnswerWith } from './screen';

describe('self-written disclosures are flagged', () => {
	it.each([
		'ngl i dont wanna be here no more',
		'my stepdad chokes me when hes drunk',
		'i got jumped and they took my phone, they said theyd shank me next time',
		'these olders give me gear to sell and if i come back short they beat me',
		'mum leaves us for days, i feed my baby brother with whatever is in the cupboard',
		'i havent eaten properly in weeks, i just chew gum and drink water',
		'my teacher keeps messaging me on insta and says not to tell anyone',
		'my 9 year old told me a man at the park showed her pictures on his phone',
		'i take my dads pills to help me sleep, im 12',
		'dad gets really angry and throws stuff at us, i hide under my bed',
		'every night i lie awake scared hes going to come in',
		'a boy in year 10 keeps grabbing my bum and my boobs in the corridor',
		'my mum has cancer and i do all the cooking and cleaning and look after my sisters, im 11',
		'he said if i break up with him he will kill himself and its my fault',
		'i keep a blade in my pencil case',
		'pls help my dad hurts me',
		'i smoke weed every day and sometimes do coke at parties, im 14',
		'im being sent back home to get married in the summer holidays and im only 15',
		'my mate says we need to get ready for when the war starts and that the muslims are the enemy',
		'theres no food in the house again and mums asleep all day',
		'One of my Year 6 pupils has had the same unwashed uniform all week and eats like she is starving',
		'my brother locks me in the cupboard when mum is at work',
		'my boyfriend is 22 and im 14, he says age is just a number',
		'i stay at my mates most nights because my mum changed the locks',
		'my uncle does things to me that i dont like',
		'i dont see the point in anything anymore',
		'i was sick on purpose after tea so i dont get fat',
		'my sister is 13 and comes home drunk and with money she wont explain',
		'im scared to go to school because a gang said they would get me',
		'my mum screams at me and says im the reason dad left',
		'my dady hit me wiv his belt',
		'i am skard of my mums frend he comes in my room',
		'no one givs me brekfast and i am hungree at skool',
		'i want to kil my self',
		'my brovver sez he wil hurt me if i tel',
		'mum is alwes drunk and i hav to put my sisster to bed',
		'i cut my self wiv a razer',
		'i dont feel safe at hom',
		'he tuchd me were i dont like',
		'i got no bed i sleep on the flor',
		'fr tho i wanna end it all',
		'lowkey been starving myself for like 2 weeks',
		'these man r making me run county for them',
		'my ex is threatening to leak my nudes',
		'got beat up by my step dad again last nite',
		'i aint been home in 4 days im sofa surfing',
		'i been cuttin again and its bad',
		'my mum hits me wit the remote when shes angry',
		'i dont want to live anymore ngl',
		'they make me hold knives for them',
		'My son (8) says his dad locks him in his room all weekend without food',
		'Year 5 girl disclosed her older brother has been touching her',
		'A pupil in my tutor group has told me she is being taken abroad to be married',
		'my little sister is 4 and mum leaves her with me all night while she goes out, im 10',
		'i take my mums tablets sometimes to feel numb',
		'my mums boyfriend shouts at her and she has a black eye, i stay in my room with my headphones on',
		'I foster a 9 year old who told me her old carer used to hold her head under the bath water',
		'mum says im fat and disgusting and makes me eat on my own in the kitchen',
		'a man from tiktok keeps telling me hes 16 but his voice sounds old and he wants to meet at the station',
		'i dont go home after school until really late because my dad is there',
		'we had to go to a refuge because of my dad',
		'my friend showed me cuts on her thighs and made me promise not to say',
		'my stepmum wont let me eat with the family and i only get bread',
		'some older lads pay me to keep a bag at my house',
		'my mum and her partner smoke crack in the living room',
		'im 16 and my parents have found me a husband from back home, the wedding is in august',
		'my cousin keeps telling me about a group that says we need to take our country back by force',
		'i wake up and nobodys home and i have to get my little brothers ready for school',
		'i told my teacher my dad hit me and nothing happened, now hes worse',
		'im so tired of everything, i have written letters to my family',
		'my nan beats me with a slipper if i talk back',
		'my 13 year old daughter has been self harming and wont talk to us',
		'he filmed me in the changing room and now everyone has it',
		'when my dad drinks he gets really nasty and i hide in the bathroom',
		'ive not had a shower in two weeks because we have no hot water and mum doesnt care',
		'dad said if i tell anyone what happens at home i will be taken away and it will be my fault',
		'my mum has a new boyfriend and he watches me when im getting changed',
		'theres a girl in my class whos always got bruises and she flinches when teachers put their hand up',
		'i get these really dark thoughts and i have a plan',
		'im 13 and i been going to parties with older men who give us drinks',
		'mum keeps disappearing for days and i dont know where she goes',
		'i have to lie to social workers or dad says we will all get split up',
		'the older kids at the park make me go in shops and take stuff',
		'i havent been to school for a month because i have to look after mum, she cant get out of bed',
		'my dad hurts my mum when he is drunk and i have to call the police',
		'i have started throwing up my dinner',
		'my stepdad has a gun in the house and says he will use it',
		'i dont eat at school because people laugh at me and at home there is nothing',
		'ive been talking to someone online who says he loves me and wants me to run away with him',
		'i keep thinking everyone would be happier without me',
		'my brother who is 17 has joined a gang and they come to our house at night with knives',
		'please can someone help me, my mum locks me in my room every day after school',
		'mum drinks a bottle of wine every night and falls asleep on the floor, im 9',
		'my parents hit me with a wooden spoon when i get things wrong',
		'im scared of my grandad he does weird stuff when we are alone',
		'better wifi at the library. also i been trapping for my cousin since i was 13 and i cant get out',
		'the opps know where i live and said im getting wet up',
		'my link keeps sending me to a bando in another town for days',
		'I am concerned about a Year 4 pupil who has arrived hungry and unkempt every day this term and has unexplained marks on her neck.',
		'Our 15 year old has been coming home smelling of cannabis with cash we cannot account for and new designer clothes.',
		'mum made me stay off school to look after the baby again, i have missed loads',
		'i get panic attacks when i hear dads car pull up',
		'theres this lad who is 19 and he picks me up from school in his car and buys me vapes, im 13',
		'idk what to do my mums new man is always touching my leg and saying im mature for my age',
		'im fine i just dont sleep because i have to stay awake to make sure mum is breathing',
		'my stepmum pulls my hair and drags me up the stairs',
		'some boys in my year sent round a picture of me and now i want to disappear for real',
		'i sleep in my clothes in case we have to leave in the night',
		'my older sister makes me do all the chores and if i dont she burns me with her straighteners',
		'i would rather sleep on the street than go back to my dads'
	])('%s', (text) => {
		expect(screenAnswer(text).level).not.toBeNull();
	});
});

describe('self-written ordinary answers and hard negatives are not flagged', () => {
	it.each([
		'i want to do karate because you get to kick and punch pads',
		'fortnite is my favourite game i always kill everyone',
		'We need more funding for domestic abuse services in Worcestershire',
		'My son is a young carer for his dad and the young carers club has been brilliant',
		'the drugs workshop at school was boring',
		'there should be more help for kids whose parents drink too much',
		'As a school we follow the safeguarding policy and report concerns to the DSL',
		'im so hungry right now can we get a mcdonalds in town',
		'my brother beat me at fifa again',
		'i would never run away my family is lovely',
		'more police on the streets at night would make people feel safe',
		'Knife crime awareness sessions should be in every secondary school',
		'if i was scared at home i would tell my teacher',
		'Teenagers are under so much pressure from social media these days',
		'my parents argue sometimes but they always make up',
		'i wish we had a bigger park',
		'my brovver is annoying he takes my toys',
		'mum is always tired after work',
		'we go to nans on sunday for dinner',
		'i got a new bed for my birthday',
		'i like it when dad reads me a story',
		'school dinners are horrible',
		'fr the buses are always late',
		'lowkey the youth club is the best thing here',
		'these man at the shop are always rude',
		'i live with my grandparents because my mum died and they are the best',
		'my dad is in prison but i visit him and we are ok',
		'i have two homes, mums and dads, and thats fine',
		'Our school has seen more eating disorders since lockdown, CAMHS waits are too long',
		'I run a youth club and lots of our young people talk about feeling unsafe in town at night',
		'if i got hurt at home i would call childline',
		'we did a lesson about grooming and how to stay safe online',
		'my big brother plays rugby and came home with a black eye haha',
		'my step dad is strict but fair',
		'I want a place to hide from the rain at the bus stop',
		'im dead tired after football training',
		'the film had a really scary bit where the man gets stabbed',
		'Our family struggles with money like everyone else but we manage',
		'More youth workers please, the kids round here have nothing to do and end up drinking in the park',
		'i love my family but my brother is so annoying',
		'my mum is a nurse and works really long shifts',
		'my parents are divorced and i see my dad at weekends',
		'we need more CCTV in the park because people sell drugs there',
		'Practitioners need better training on recognising neglect',
		'can we have a climbing wall',
		'my cat scratched my arm and now i have a plaster',
		'my grandad has dementia and sometimes forgets who i am which makes me sad',
		'if my friends were vaping i would tell them to stop',
		'the opps in fortnite are so cracked',
		'more bins in the park please',
		'i get nervous before exams',
		'my mum makes me tidy my room every saturday',
		'i wish i could stay up later on a school night',
		'we need more places for young people to go that arent the streets'
	])('%s', (text) => {
		expect(screenAnswer(text).level).toBeNull();
	});
});

// The recall-first built-in model (review at probability 0.6, chosen leave-one-writer-out over four writers;
// docs/safeguarding-and-privacy.md section 1) adds a review flag to these ordinary sentences: the lexicon's own
// rules still set them aside, and a person reads each for a minute. Kept visible so a change shows.
describe('ordinary answers the recall-first model flags for review (the lexicon alone does not)', () => {
	it.each([
		'my mum works nights so my nan looks after us and she is the best',
		'my older sister is always on her phone and never does the chores lol'
	])('%s', (text) => {
		expect(screenAnswerWith(text, null).level).toBeNull();
		expect(screenAnswer(text).level).toBe('review');
	});
});

// Flagged for review by the six-writer model; the model retrained with the seventh writer (1 Dec 2026, 18:26 UTC)
// leaves them unflagged. Kept so that a change back shows.
describe('ordinary answers the seven-writer model no longer flags', () => {
	it.each([
		'i hate broccoli it makes me want to throw up',
		'some people in my year vape in the toilets',
		'i am a young carer for my mum and the young carers group helps me a lot'
	])('%s', (text) => {
		expect(screenAnswerWith(text, null).level).toBeNull();
		expect(screenAnswer(text).level).toBeNull();
	});
});

// Flagged for review by the seven-writer model; the model retrained with the eighth writer (1 Dec 2026, 21:47 UTC),
// whose set has many answers about worry or harm that is over, leaves it unflagged. Kept so that a change back shows.
describe('ordinary answers the eight-writer model no longer flags', () => {
	it.each(['i was a bit scared on my first day at secondary school but its fine now'])('%s', (text) => {
		expect(screenAnswerWith(text, null).level).toBeNull();
		expect(screenAnswer(text).level).toBeNull();
	});
});

describe('known false flags (documented limits, kept visible)', () => {
	it.each([
		'my dad got really drunk at my cousins wedding lol it was so funny',
		'my dog died last week and i cried all night'
	])('%s is flagged at review only', (text) => {
		expect(screenAnswer(text).level).toBe('review');
	});
});
