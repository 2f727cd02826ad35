/**
 * The broad, category-organised harm vocabulary of the recall-first screen, and the words that
 * decide whether a harm word is about a specific person ("anchors") or is general talk.
 *
 * The phrase patterns in lexicon.ts recognise particular wordings and set levels precisely; this
 * vocabulary is what lets the screen flag wordings nobody wrote a pattern for: any of these words
 * near a personal or specific anchor ("I", "my", "my son", "a Year 8 boy", "one of my pupils").
 *
 * Every word is written in ordinary form and stemmed when the screen loads, so "hits", "hitting"
 * and "hit" are one entry. Weight: 3 = flags on its own when anchored; 2 = flags when the anchor is
 * close (two words) or together with another harm word; 1 = only adds to other signs.
 * `cue`: the word counts only when one of these words is within the window too ("die" needs
 * "want", "wish", "better" ... so "my dad died last year" is not read as suicidal talk).
 * `urgent`: an anchored, present-tense hit of this word may make the answer urgent.
 */
import type { Category } from './lexicon';

export interface VocabEntry {
	/** One or more words; a multi-word entry ("county lines") matches consecutive words. */
	words: string;
	category: Category;
	weight: 1 | 2 | 3;
	urgent?: boolean;
	cue?: string;
	/** False when the entry's cue already carries its negation ("not eating"). */
	negatable?: boolean;
	/** The words name the place or person themselves ("home is not safe"): no anchor needed. */
	anchorless?: boolean;
}

const DESIRE =
	'want wanted wants wanna wish wished rather better ready deserve should try tried trying going gonna think thinking thought plan planning hope pray prayed would could might sometimes often keep kept';
const NOT_EAT = 'not never stop stopped stopping skip skipping skipped refuse refusing barely hardly without less';
/** Contact, secrecy, meeting or images: what makes being online or a platform name a sign of grooming. */
const GROOMING_CUE =
	'meet meeting met send sent sending pics pictures picture photos photo nudes naked secret secrets gift gifts presents older adult man men stranger strangers address lift car hotel party parties video webcam private delete deleted password';
const CARE = 'after care caring carer look looking cope coping everything cook cooking clean cleaning';

const v = (
	category: Category,
	weight: VocabEntry['weight'],
	words: string,
	opts: Omit<VocabEntry, 'words' | 'category' | 'weight'> = {}
): VocabEntry[] =>
	words
		.split(',')
		.map((w) => ({ words: w.trim(), category, weight, ...opts }))
		.filter((e) => e.words);

export const VOCABULARY: VocabEntry[] = [
	// Self-harm and suicide, including indirect wording.
	...v(
		'self-harm-suicide',
		3,
		'suicide, suicidal, kill myself, killing myself, end my life, end it all, self harm, self harming, self harmed, overdose, overdosed, hang myself, ran off, run off, noose, slit, razor, razors, blade, blades, take my own life, not wake up, never wake up, not be here, not exist, better off without me, goodbye letter, goodbye note',
		{ urgent: true }
	),
	...v(
		'self-harm-suicide',
		3,
		'die, dead, dying, gone, disappear, end it, ending it, not alive, jump off, jump in front',
		{ urgent: true, cue: DESIRE }
	),
	...v(
		'self-harm-suicide',
		2,
		'cut myself, cutting myself, hurt myself, hurting myself, harm myself, cutting, scratching, burning myself, wrists, scars, bleeding, bleed, pills, tablets, paracetamol, hate myself, worthless, hopeless, pointless, no point, give up, cant go on, cant cope, numb, empty inside',
		{ urgent: false }
	),
	// Violence.
	...v(
		'physical-abuse',
		3,
		'beat me, beats me, beaten, battered, strangle, strangled, strangles, choke me, choked me, chokes me, throttle, throttled, punches me, punched me, kicks me, kicked me, slaps me, slapped me, black eye, belt me, belted, stab, stabbed, abused, abuse me, abuses me, abusing me, attacked me, assaulted, headbutt, headbutted',
		{ urgent: true }
	),
	...v(
		'physical-abuse',
		2,
		'hit, hits, hitting, punch, punches, punched, kick, kicks, kicked, slap, slaps, slapped, smack, smacks, smacked, whack, whacks, whacked, thump, thumps, thumped, bruise, bruises, bruised, bruising, violent, violence, abuse, abusive, attack, hurt, hurts, hurting, knife, knives, weapon, shove, shoved, pushed me, throws things, threw me, dragged, pinned, beat, beats, beating, wallop, batters, burn me, burned me, burnt me, marks'
	),
	...v(
		'physical-abuse',
		1,
		'grab, grabs, grabbed, push, pushes, pull, pulled, throw, throws, threw, bite, bit, scratch, scratched, blood, bleeding, injury, injured, broken, sore, pain, fight, fighting, angry, temper, rage'
	),
	// Sexual contact and secrecy.
	...v(
		'sexual-abuse',
		3,
		'rape, raped, raping, molest, molested, groped, gropes, touched me, touches me, touching me, touch me, private parts, privates, down there, sexually, sexual, sex with, porn, naked, nudes, undress, undressed, willy, penis, vagina, made me kiss, sits me on his lap, in my bed, into my bed, comes into my room, our secret, our little secret, special secret',
		{ urgent: true }
	),
	...v(
		'sexual-abuse',
		2,
		'touch, touches, touched, touching, kiss, kissed, kisses, secret, secrets, inappropriate, uncomfortable, lap, cuddle, shower, bath, bedroom, pants, knickers'
	),
	// Exploitation, sexual and criminal.
	...v(
		'sexual-exploitation-grooming',
		3,
		'groomed, grooming me, send pics, send nudes, sent nudes, sugar daddy, exploited, exploiting, older man, older men, older guy, older guys, pimp',
		{ urgent: true }
	),
	...v(
		'sexual-exploitation-grooming',
		2,
		'pics, pictures, photos, gifts, presents, older, meet up, met online, boyfriend is, his car, cars, parties, hotel, flat'
	),
	// A platform or being online is not grooming on its own: only with contact, secrecy, meeting or images nearby.
	...v(
		'sexual-exploitation-grooming',
		2,
		'online, snapchat, instagram, tiktok, whatsapp, discord, social media, messages, messaging, chatting, dms, dm',
		{ cue: GROOMING_CUE }
	),
	...v(
		'criminal-exploitation',
		3,
		'county lines, trap house, drug run, drug runs, deliver drugs, carry drugs, sell drugs, selling drugs, dealer, dealers, plugging, plugged, gang, gangs, owe money, owes money, debt bondage, cuckooing',
		{ urgent: true }
	),
	...v(
		'criminal-exploitation',
		2,
		'deliver, delivering, package, packages, parcel, parcels, owe, owes, debt, debts, shotting, run for, nick, steal, stealing, shoplift, rob, robbed, weed, drugs'
	),
	// Neglect and being left alone.
	...v(
		'neglect',
		3,
		'left alone, left on my own, on our own, on my own all night, by myself all night, nobody looks after, no one looks after, no food, not fed, no dinner, no tea, no breakfast, nothing to eat, neglected, neglect',
		{ urgent: true }
	),
	...v(
		'neglect',
		2,
		'alone, hungry, starving, starve, dirty, smelly, nits, lice, cold, freezing, no heating, no electric, no hot water, same clothes, nobody home, no one home, nobody cares, no one cares, locked out, out all night, forgot to pick, forgets to pick',
		{ urgent: false }
	),
	...v('neglect', 1, 'left, own, nobody, food, clothes, shoes, night'),
	// Self-harm's neighbour: eating and starving.
	...v(
		'eating',
		3,
		'anorexia, anorexic, bulimia, bulimic, laxatives, purge, purging, make myself sick, made myself sick, throw up after, starve myself, starving myself, calories, binge, binging',
		{ urgent: true }
	),
	...v('eating', 2, 'eat, eating, ate, food, meals, meal, lunch, dinner, breakfast', {
		cue: NOT_EAT,
		negatable: false
	}),
	...v('eating', 1, 'fat, weight, thin, skinny, diet, body'),
	// Substances.
	...v(
		'substances',
		3,
		'cocaine, coke, ket, ketamine, spice, heroin, crack cocaine, mdma, pills to get high, get high, getting high, was high, am high, lean, laughing gas, balloons, vodka, drunk, stoned, wasted',
		{ urgent: false }
	),
	...v(
		'substances',
		2,
		'weed, cannabis, drugs, drug, alcohol, booze, drink, drinks, drinking, vape, vapes, vaping, smoke, smokes, smoking, cigarettes, fags, joint, joints, needle, needles'
	),
	// Caring for an ill or addicted parent.
	...v('young-carer', 2, 'young carer'),
	...v('young-carer', 3, 'i look after my, i care for my, look after my mum, look after my dad', { urgent: true }),
	...v('young-carer', 2, 'care for my mum, care for my dad'),
	...v(
		'young-carer',
		2,
		'ill, poorly, sick, disabled, addict, addicted, alcoholic, depressed, depression, cancer, wheelchair, bed bound, medication, meds',
		{ cue: CARE }
	),
	// Running away and nowhere to sleep.
	...v(
		'missing-running-away',
		3,
		'run away, ran away, running away, runaway, go missing, went missing, gone missing, kicked out, kicked me out, thrown out, homeless, sleeping rough, slept rough, sofa surfing, nowhere to sleep, nowhere to go, nowhere to live, sleep on the streets, slept outside, sleeping outside, sleep outside',
		{ urgent: true }
	),
	...v('missing-running-away', 2, 'missing, streets, street, sofa, park at night, tent, hostel, stay out, stayed out'),
	// Threats.
	...v(
		'threats',
		3,
		'kill me, kill you, kill us, kill my, stab me, stab you, threatened, threatens, threatening, threaten, threat, threats, or else, watch your back, hurt me, blackmail, blackmailing, blackmailed, going to get me, come after me, coming after me, send someone',
		{ urgent: true }
	),
	// Control and coercion.
	...v(
		'control-coercion',
		3,
		'not allowed out, not allowed to go out, not allowed to see, not allowed to leave, wont let me leave, not let me leave, not let me out, checks my phone, tracks my phone, tracks me, controls me, controlling me, controls everything, locks me in, locked me in, locked in',
		{ urgent: false }
	),
	...v(
		'control-coercion',
		3,
		'kill himself if, kill herself if, hurt himself if, hurt herself if, its my fault, it is my fault',
		{ urgent: true }
	),
	...v(
		'control-coercion',
		2,
		'takes my phone, control, controls, allowed, permission, forbid, forbidden, isolate, isolated, follows me, watches me, tracks, check my phone, my location, stops me, stop me'
	),
	// Fear of going home.
	...v(
		'fear-of-home',
		3,
		'scared to go home, afraid to go home, frightened to go home, terrified to go home, dont want to go home, not want to go home, hate going home, cant go home, not go home, not safe at home, unsafe at home, scared at home, scared of my, afraid of my, frightened of my, terrified of my, scared of him, scared of her, scared of them',
		{ urgent: true }
	),
	...v(
		'fear-of-home',
		2,
		'scared, afraid, frightened, terrified, unsafe, dread, dreading, hide, hiding, nightmare, fear, petrified'
	),
	// Extremist talk.
	...v(
		'radicalisation',
		3,
		'isis, jihad, jihadi, kafir, kuffar, infidel, infidels, race war, white power, great replacement, extremist, extremists, terrorist, terrorists, nazi, nazis, neo nazi, martyr, bomb, bombs, blow up, blow them up, shoot up, holy war, heil hitler, fourteen words, groups online',
		{ urgent: false }
	),
	...v(
		'radicalisation',
		2,
		'radical, radicalised, propaganda, foreigners, immigrants, invaders, they deserve, join them, the cause, the group, recruit, recruited, weapons, guns, gun'
	),
	// Forced marriage and FGM.
	...v(
		'forced-marriage',
		3,
		'forced marriage, forced to marry, make me marry, making me marry, made to marry, married off, arranged marriage, marry a man, marry my cousin, marry him, marry her, get married, getting married, be married, promised to, engaged to',
		{ urgent: true }
	),
	...v('forced-marriage', 2, 'marry, married, marriage, wedding, engaged, abroad, sent back home, back home to'),
	...v('forced-marriage', 1, 'husband, wife'),
	...v(
		'fgm',
		3,
		'fgm, cut down there, cutting ceremony, circumcision, circumcised, female cutting, become a woman, the cutting',
		{ urgent: true }
	),
	...v('fgm', 2, 'cut, cutting, ceremony, holiday, aunties, special procedure'),
	// Bullying and emotional abuse (kept from the phrase lexicon's categories).
	...v(
		'bullying',
		3,
		'bullied, bully me, bullies me, bullying me, picked on, pick on me, picks on me, beat me up, beaten up, jumped me, got jumped',
		{ urgent: false }
	),
	...v(
		'bullying',
		2,
		'bully, bullies, bullying, names, excluded, laugh at me, laughs at me, laughed at me, mock, mocked, tease, teased, ignore me, ignored, rumours, spread, posted, group chat'
	),
	...v(
		'emotional-abuse',
		3,
		'calls me stupid, calls me fat, calls me ugly, calls me worthless, says i am worthless, wish i was never born, wishes i was never born, a mistake, hates me, hate me',
		{ urgent: false }
	),
	...v(
		'emotional-abuse',
		2,
		'shout, shouts, shouting, shouted, scream, screams, screaming, screamed, yell, yells, yelling, swear, swears, swearing, stupid, useless, ugly, pathetic, disgusting, burden, hate'
	),
	// Domestic abuse between adults, seen by the child.
	...v(
		'domestic-abuse',
		3,
		'hits my mum, hit my mum, hits mum, hurts my mum, hurt my mum, beats my mum, beat my mum, pushed her, pushed my mum, hits her, hit her, strangled her, punched her, kicked her, slapped her, domestic abuse, domestic violence',
		{ urgent: true }
	),
	...v(
		'domestic-abuse',
		2,
		'police, arguing, argue, argues, arguments, fights, rows, smash, smashed, smashes, throwing'
	),
	// Wider wording, added while tuning on the independent tuning part (tests/fixtures/safeguarding/eval/tuning.csv).
	...v(
		'self-harm-suicide',
		3,
		'feel numb, to feel numb, not see the point, what is the point, point in living, no point in living, no point in anything, swallowed, how many paracetamol, how many pills, how many tablets, to feel something, pick at my skin, until it bleeds, till it bleeds, bang my head, banging my head, punch walls, punch the wall, knuckles, pray i will not wake up, think about jumping, thinking about jumping, roof of, cant do it anymore, can not do it anymore, cant do this anymore, can not do this anymore, can not go on, can not cope, no way out, end everything, kms, everyone would be better off',
		{ urgent: true }
	),
	...v('self-harm-suicide', 2, 'jumping, jump, roof, bridge, headache, split, swallow, looking up how'),
	...v(
		'fear-of-home',
		3,
		'not safe, safer than my house, safer than home, until everyone is asleep, till everyone is asleep, what will happen when i get home, when i get home, will be angry, doesnt want to go in, not want to go in, in my wardrobe, under my bed, under the bed, please do not tell, dont tell my mum, do not tell my dad',
		{ urgent: true }
	),
	...v('fear-of-home', 3, 'not feel safe, never feel safe, going to come in, come into my room, lie awake scared', {
		urgent: true
	}),
	...v('fear-of-home', 2, 'shed, wardrobe, asleep, angry, in my room'),
	...v(
		'fear-of-home',
		3,
		'home is not safe, home isnt safe, home is scary, home is hell, scared to go home, afraid to go home, frightened to go home, terrified to go home, dread going home',
		{ urgent: true, anchorless: true }
	),
	...v('substances', 2, 'pills, high'),
	...v(
		'substances',
		3,
		'thc, bag of pills, gave them to him to try, gear, vapes off, smoke weed, drink my mums, drinks my, every morning before school',
		{ urgent: true }
	),
	...v(
		'sexual-exploitation-grooming',
		3,
		'send them to, share them, post them, in exchange, favours, gift cards, gave me a phone, gives me a phone, his favourite, be nice to them, nice to his mates, buys me, bought me, takes me to parties, older boyfriend, secret phone, parents do not know, mum does not know, dad does not know',
		{ urgent: true }
	),
	...v('sexual-exploitation-grooming', 2, 'wants more, older boy, older boys, older lad, older lads, adult, adults'),
	...v('sexual-exploitation-grooming', 1, 'phone'),
	// An unknown adult asking a child to come, get in or meet: a lure, whatever the bait (the cue is the adult).
	...v(
		'sexual-exploitation-grooming',
		3,
		'asked me to come, asked us to come, asks me to come, asked me to get in, asked us to get in, told me to get in, told us to get in, offered me a lift, offered us a lift, wanted me to come, wanted us to come, to come with him, to come with her, waiting outside, waits outside, follows me home, followed me home, knew my name, knows my name',
		{ urgent: true, cue: 'man men stranger strangers guy bloke woman adult adults someone van car older' }
	),
	...v(
		'criminal-exploitation',
		3,
		'run county, running county, go country, going country, making me run, make me run, makes me run, make me hold, makes me hold, made me hold, make me carry, makes me carry, made me carry, make me sell, makes me sell, made me sell, second phone, rolls of cash, running drugs, picked up by a car, coming back with money, comes back with money, work it off, owe them, hold stuff, holding stuff, robbed of, move cannabis, move drugs, used by an older, disappearing to, keeps disappearing',
		{ urgent: true }
	),
	...v('criminal-exploitation', 2, 'cash, money, disappearing, robbed, estate, older group'),
	...v(
		'threats',
		3,
		'would get me, will get me, get me if, grassed, grass on, snitch, snitched, cut up, burn the house, going to burn, screwdriver, to my neck, shut my mouth, or he will, or they will, or she will, know where we live, know where i live, be back every day, pay them',
		{ urgent: true }
	),
	...v('threats', 2, 'get me, grass, back every day, warned'),
	// "keep quiet or my brother gets hurt": harm that follows "or" is a threat (the cue is "or" within five words).
	...v('threats', 3, 'hurt, hurts, get hurt, gets hurt, killed, stabbed, beaten, smashed, burnt, taken away', {
		urgent: true,
		cue: 'or'
	}),
	...v('domestic-abuse', 3, 'fight every night, threw her, against the wall, threw mum, hit mum', { urgent: true }),
	...v(
		'physical-abuse',
		3,
		'bangs my head, banged my head, bang my head, cuts on his face, cuts on her face, cuts on my face, hit him with, hit her with, hit me with, held a, held me down',
		{ urgent: true }
	),
	...v(
		'physical-abuse',
		3,
		'bruises on, bruising on, bruised arm, bruised arms, black and blue, finger marks, finger shaped, marks on his, marks on her, marks on my',
		{ urgent: true }
	),
	...v('physical-abuse', 2, 'bang, bangs, banged, cuts, chain, makes her sleep, makes me sleep'),
	...v(
		'forced-marriage',
		3,
		'marry a girl, marry a boy, meet my husband, meet my wife, my future husband, to marry, arranging for me to marry, arranged for me to marry, bought gold',
		{ urgent: true }
	),
	...v(
		'forced-marriage',
		1,
		'pakistan, bangladesh, india, somalia, sudan, egypt, ethiopia, eritrea, gambia, mali, guinea, nigeria, yemen, iraq, afghanistan, after my gcses, normal'
	),
	...v('fgm', 3, 'for a cleaning, booking tickets, going to somalia, special holiday, not tell me what it is', {
		urgent: true
	}),
	...v(
		'radicalisation',
		3,
		'wiped out, wipe them out, swastika, swastikas, telegram group, planning action, our duty, join his brothers, join them properly, real men fight, give the word, videos of attacks, fight back against them',
		{ urgent: true }
	),
	...v(
		'radicalisation',
		3,
		'muslims are the, jews are the, immigrants are the, the enemy, when the war starts, the war is coming, holy war',
		{ urgent: true }
	),
	...v(
		'radicalisation',
		2,
		'war, enemy, get ready for, telegram, duty, action, attacks, bought knives, fight back, videos'
	),
	...v(
		'eating',
		3,
		'sick on purpose, spit it out, chew food, get fat, feel fat, skip lunch, skip meals, skip dinner, underweight, throw up, stay thin, be skinny, stopped eating, not eaten, not eating, toilet straight after, hair is coming out, weigh myself',
		{ urgent: true, negatable: false }
	),
	...v(
		'young-carer',
		3,
		'put her to bed, put him to bed, clean up sick, miss school to, take my mum to, take my dad to, i do everything, i do all his, i do all her, i have to do everything, feel like im drowning, no one helps us, nobody helps us, get up in the night',
		{ urgent: true }
	),
	...v(
		'young-carer',
		3,
		'i have to give, if i forget, give my dad his, give my mum her, care for my nan, look after my nan, look after my brothers, look after my sisters, look after my little',
		{ urgent: true }
	),
	...v('young-carer', 3, 'i have to put, have to put my, put my sister to bed, put my brother to bed', {
		urgent: true
	}),
	...v(
		'young-carer',
		2,
		'insulin, injections, appointments, drowning, stopped drinking, get out of bed, has depression, has ms'
	),
	...v(
		'sexual-abuse',
		3,
		'not to tell, not tell anyone, not to tell anyone, tickling game, under the covers, no clothes, no clothes on, photos of me, pictures of me, says its normal, said its normal, doesnt like it, does not like it',
		{ urgent: true }
	),
	...v(
		'bullying',
		3,
		'head down the toilet, filmed it, fake account, targeted, phone and money, takes my money, took my money',
		{ urgent: true }
	),
	...v('bullying', 2, 'filmed, relentlessly'),
	...v(
		'missing-running-away',
		3,
		'changed the locks, not to bother coming back, can only stay, only stay till, stairwell, nowhere for me, cant stay there, can not stay there, sleep in the car, sleeping at different, sleep at different, sleeping at mates, been sleeping at',
		{ urgent: true }
	),
	...v('emotional-abuse', 3, 'tells me im thick, calls me thick, reads my diary, in my face, laugh at me', {
		urgent: true
	}),
	...v('emotional-abuse', 2, 'thick, diary'),
	...v('emotional-abuse', 1, 'every single day'),
	...v(
		'control-coercion',
		3,
		'locks him in, locks her in, locked him in, locked her in, locks me out, locked me out, locks us out, not let me, not let her, not let him, checks her phone, checks his phone, tracks my location, how to leave, check in, checking in',
		{ urgent: true }
	),
	...v(
		'third-party-concern',
		3,
		'something really bad, something bad, bad is happening, happening to her at home, happening to him at home, happening at home',
		{ urgent: true }
	),
	...v('self-harm-suicide', 3, 'heaven', { urgent: true, cue: DESIRE }),
	...v(
		'self-harm-suicide',
		3,
		'not have to be here, not see myself, not be around, around much longer, here much longer',
		{ urgent: true }
	),
	...v(
		'sexual-abuse',
		3,
		'made me do stuff, makes me do stuff, make me do stuff, made me do things, makes me do things, into the bathroom, in the bathroom when',
		{ urgent: true }
	),
	...v('sexual-exploitation-grooming', 2, 'pay him back, pay them back, gave me a lift, gives me lifts, lift home'),
	...v('third-party-concern', 2, 'withdrawn, crying all week, stays in her room, stays in his room, crying every day'),
	...v(
		'neglect',
		3,
		'nobody is home, no one is home, noone is home, never home, by ourselves, no adult, out on the street, make my own tea, dry cereal, did not get up, no coat, hungry at night, hungry at nite',
		{ urgent: true }
	),
	...v(
		'neglect',
		3,
		'leaves us for days, leaves me for days, left us for days, left me for days, leaves us alone, leaves me alone',
		{ urgent: true }
	),
	...v(
		'neglect',
		3,
		'no bed, sleep on the floor, sleeping on the floor, nobody gives me, noone gives me, no one gives me, hungry at school, without food, without any food, leaves her with me, leaves him with me',
		{ urgent: true }
	),
	...v(
		'neglect',
		2,
		'leaves her, leaves him, all night, goes out, leaves us, leaves me, for days, at night, 11pm, midnight, t shirts, little ones'
	),
	// Wider wording found by writing further test sentences of my own (not from the evaluation files).
	...v('domestic-abuse', 3, 'to a refuge, in a refuge, womens refuge, safe house', { urgent: true }),
	...v('physical-abuse', 3, 'beat up, beaten up, got beat, gets beat, batters me', { urgent: true }),
	...v('criminal-exploitation', 3, 'pay me to, paid me to, pays me to, keep a bag, keep stuff, hide stuff, stash', {
		urgent: true
	}),
	...v('substances', 3, 'smoke crack, smoking crack, on crack, crack pipe, on heroin, injecting', { urgent: true }),
	...v('radicalisation', 3, 'take our country back, by force, our country back, race traitors', { urgent: true }),
	...v('young-carer', 3, 'get my little, get my brothers ready, get my sisters ready, get them ready for school', {
		urgent: true
	}),
	...v(
		'self-harm-suicide',
		3,
		'tired of everything, tired of living, written letters, letters to my family, goodbye letters, sick of living',
		{ urgent: true }
	),
	...v('sexual-abuse', 3, 'filmed me, changing room, everyone has it, promise not to say, made me promise', {
		urgent: true
	}),
	...v(
		'neglect',
		3,
		'not had a shower, no shower, not had a bath, mum does not care, dad does not care, nobody cares about me',
		{ urgent: true }
	),
	...v('neglect', 2, 'not care'),
	...v(
		'forced-marriage',
		3,
		'found me a husband, found me a wife, a husband from, husband from back home, wife from back home',
		{ urgent: true }
	),
	...v('fear-of-home', 3, 'i hide in the, i hide in my, hide in the bathroom, hide in my room', { urgent: true }),
	...v(
		'threats',
		3,
		'taken away, get split up, put in care, lie to social workers, lie to the social, if i tell anyone, what happens at home, has a gun, a gun in the house, will use it',
		{ urgent: true }
	),
	...v(
		'sexual-abuse',
		3,
		'getting changed, when im changing, watches me in the shower, watches me when, watch me shower',
		{ urgent: true }
	),
	...v(
		'self-harm-suicide',
		3,
		'dark thoughts, i have a plan, have a plan to, suicidal thoughts, happier without me, better without me, better off without me',
		{ urgent: true }
	),
	...v(
		'criminal-exploitation',
		3,
		'make me go in shops, make me steal, makes me steal, made me steal, makes me nick, make me nick',
		{ urgent: true }
	),
	...v('criminal-exploitation', 2, 'make me go, makes me go, made me go, take stuff'),
	...v(
		'young-carer',
		3,
		'look after mum, look after dad, care for mum, care for dad, have to look after, cant get out of bed, can not get out of bed',
		{ urgent: true }
	),
	...v(
		'criminal-exploitation',
		3,
		'trapping, trap, bando, wet up, getting wet, shotting, sending me to, in another town, cant get out, can not get out, smelling of cannabis, cannot account for, can not account for, designer clothes',
		{ urgent: true }
	),
	...v('criminal-exploitation', 2, 'link, plug, opps'),
	...v(
		'young-carer',
		3,
		'stay off school to, look after the baby, missed loads of school, make sure mum is breathing, make sure dad is breathing, stay awake to',
		{ urgent: true }
	),
	...v('fear-of-home', 3, 'sleep in my clothes, in case we have to leave, have to leave in the night', {
		urgent: true
	}),
	...v('physical-abuse', 3, 'burns me, burnt me, burned me, burn me, straighteners, with a lighter, with a cigarette', {
		urgent: true
	}),
	...v('sexual-exploitation-grooming', 3, 'mature for my age, mature for your age, age is just a number', {
		urgent: true
	})
];

/** Personal anchors: the speaker, or a specific person the speaker knows. */
export const SELF_ANCHORS = 'i me my myself mine we us our ourselves';
/** Specific-person nouns: after "my", "a", "this", "one of my", a number or a year group they anchor the answer. */
export const PERSON_NOUNS =
	'daddy mummy mommy son sons daughter daughters child children kid kids boy girl baby toddler friend friends mate mates bestie bff sister sisters brother brothers ' +
	'cousin cousins niece nephew grandson granddaughter stepson stepdaughter pupil pupils student students learner learners client clients ' +
	'young_person teenager teen classmate neighbour mum dad mother father stepdad stepmum stepfather stepmother foster_carer parent parents carer nan gran grandma grandad uncle aunt auntie ' +
	'boyfriend girlfriend partner husband wife ex family sibling siblings';
/** Family words that anchor on their own: a child's "mum" is their own mum (not after "a", "every", "some"). */
export const FAMILY_NOUNS =
	'mum mam mom mummy mommy dad daddy mother father stepdad stepmum stepfather stepmother nan nana gran granny grandma grandad uncle aunt auntie brother sister';
/** Third-person pronouns that anchor only once a specific person has been named in the answer. */
export const THIRD_PERSON = 'he she him her his';
/** "my X" where X is a place or an institution is not a personal anchor ("my school should do more about bullying"). */
export const NOT_PERSONAL_AFTER_MY =
	'school schools area town city village community council opinion view views local street road estate youth club team class college ' +
	'library park country view idea question answer survey favourite experience job work phone nursery caseload setting practice ward unit ' +
	'trust organisation charity project group centre age generation form tutor biggest main worry worries concern only';
/** Words that make a harm word general talk when they are its nearest subject ("kids who self harm"). */
export const GENERAL_WORDS =
	'people kids children young youth teenagers teens students pupils anyone anybody everyone someone somebody others those person persons ' +
	'families parents society adults girls boys lads generation who whoever services service support funding council government provision ' +
	'awareness prevention education lessons policy policies issue issues problem problems topic campaign charity charities pshe assembly ' +
	'assemblies lesson concerns rise cases referrals news talk safety guidance staff training homelessness they them';
/** Opinion verbs: "I think bullying is a big problem" does not anchor the speaker to the harm word. */
export const OPINION_VERBS =
	'see think reckon believe suppose guess agree disagree hope mean heard read saw seen watched learned learnt know knew';
/** Games, sport and screens: violence words here are play ("my brother keeps killing me in minecraft"). */
export const PLAY_WORDS =
	'minecraft fortnite roblox fifa cod call_of_duty xbox playstation ps4 ps5 switch nintendo game games gaming gamer level levels online_game ' +
	'football rugby netball hockey cricket basketball boxing martial karate judo taekwondo kickboxing wrestling trampoline trampolining ' +
	'gymnastics gym pe match matches training practice tackle tackled skate skating skateboard skatepark scooter bike cycling swimming dance ' +
	'homework maths exam exams test tests revision swing swings slide chess cards board_game monopoly uno paintball laser_tag lasertag nerf water_fight pillow_fight tag play playing played movie movies tv series episode club';
/** Accidents and ailments: "I hurt my knee", "cut my finger cooking". */
export const ACCIDENT_WORDS =
	'fell fall falling tripped trip slipped crashed crash accident accidentally sprained twisted ' +
	'cat cats dog dogs kitten puppy hamster rabbit pony horse storm thunder lightning fireworks spider spiders';
/** Health-care words: weaker harm words near them are an ailment or treatment ("the nurse hurt my arm"). */
export const MEDICAL_WORDS =
	'cooking kitchen operation surgery doctor doctors hospital nurse nurses dentist injection jab vaccine appointment ambulance physio paramedic paramedics';
/** Idioms and policy phrases (stemmed word sequences) that contain a harm word but are not about harm. */
export const IDIOM_PHRASES = [
	'kill for',
	'would kill for',
	'killing it',
	'killed it',
	'kill it',
	'killing time',
	'kill time',
	'dying to',
	'dying for',
	'die for',
	'die of embarrassment',
	'died laughing',
	'die laughing',
	'dead good',
	'dead easy',
	'dead nice',
	'dead funny',
	'dead boring',
	'dead on',
	'dead end',
	'bored to death',
	'scared to death',
	'to die for',
	'would kill me',
	'kill me if i get',
	'kill me if i got',
	'kill me if i fail',
	'kill me if i lose',
	'kill me if i break',
	'kill me if i am late',
	'kill me if i miss',
	'kill me if i forget',
	'is killing me',
	'are killing me',
	'killing me lol',
	'beat me at',
	'beat me in',
	'beat us',
	'hit me up',
	'hit the gym',
	'it hit me',
	'hit and miss',
	'hit or miss',
	'keep in touch',
	'kept in touch',
	'stay in touch',
	'get in touch',
	'in touch with',
	'touch wood',
	'cut down on',
	'cut off',
	'cuts to',
	'cut back',
	'cut backs',
	'cutbacks',
	'funding cut',
	'budget cut',
	'die my hair',
	'dye my hair',
	'die her hair',
	'die his hair',
	'literally killing me',
	'short cut',
	'shortcut',
	'hair cut',
	'haircut',
	'cut my hair',
	'cut the grass',
	'food bank',
	'food banks',
	'junk food',
	'school food',
	'fast food',
	'healthy food',
	'food shop',
	'the food',
	'food was',
	'food is',
	'fight for',
	'fighting for',
	'the fight',
	'bomb it',
	'da bomb',
	'cost a bomb',
	'the bomb',
	'photo bomb',
	'bath bomb',
	'shoot hoops',
	'photo shoot',
	'high school',
	'joke about',
	'joking about',
	'high street',
	'sugar high',
	'dead line',
	'deadline',
	'run away from home' /* kept: see note */,
	'dread to think',
	'i dread to',
	'makes me want to throw up',
	'made me want to throw up',
	'make me want to throw up',
	'makes me feel sick',
	'hurt her leg',
	'hurt his leg',
	'hurt my leg',
	'hurt my ankle',
	'hurt my back',
	'hurt my foot',
	'hurt her back',
	'hurt his back',
	'hurt her foot',
	'swallow me up',
	'it kill me',
	'kicked out of the library',
	'kicked out of school',
	'kicked out of class',
	'kicked out of the game',
	'kicked out of the team',
	'kicked out of the club',
	'kicked out of the lesson',
	'kicked out of the shop',
	'left school',
	'left the house',
	'left home',
	'on the left',
	'left hand',
	'left handed',
	'left leg',
	'left arm',
	'my own',
	'on my own time',
	'your own',
	'own room',
	'own bedroom',
	'own house',
	'own car',
	'the drink',
	'soft drink',
	'fizzy drink',
	'drinks machine',
	'drink water',
	'water',
	'drinking water',
	'hot drink',
	'cold drink',
	'smoke alarm',
	'smoke free',
	'smoking area',
	'vape shop',
	'vape shops',
	'no smoking',
	'mental health',
	'sick of',
	'sick and tired',
	'sick note',
	'off sick',
	'home sick',
	'homesick',
	'get married one day',
	'get married when',
	'married when i',
	'when i get married',
	'married couple',
	'my mum and dad got married',
	'cold weather',
	'it is cold',
	'a cold',
	'caught a cold',
	'freezing cold outside',
	'in the cold',
	'bus stop',
	'stop me from',
	'online safety',
	'staying safe online',
	'safe online',
	'fire alarm',
	'scared of spiders',
	'scared of the dark',
	'scared of heights',
	'scared of dogs',
	'scared of clowns',
	'afraid of spiders',
	'afraid of the dark',
	'afraid of heights',
	'afraid of dogs',
	'scary film',
	'scary movie',
	'horror film',
	'horror movie',
	'hide and seek',
	'hide and go seek',
	'nowhere to go for young',
	'nowhere for young',
	'nothing to do',
	'somewhere to go',
	'nowhere to hang out',
	'place to hang out',
	'hang out',
	'hangs out',
	'hanging out',
	'hang around',
	'hang with',
	'hanging with',
	'hung out',
	'hang up',
	'pick on someone your own size',
	'cut through',
	'cuts through',
	'killer',
	'dead ringer'
];

/** The speaker says it is over: bullying, running away and emotional harm in that sentence are not flagged. */
export const RESOLVED_PHRASES = [
	'it was fine',
	'it is fine now',
	'got sorted',
	'it got sorted',
	'all sorted',
	'sorted it',
	'fine now',
	'ok now',
	'okay now',
	'much happier',
	'happier now',
	'better now',
	'settled now',
	'now we are friends',
	'we are friends now'
];
/** People words that are specific only with "my", "our", "this", a number or a year group ("a child" is anyone). */
export const GENERIC_PERSON = 'child kid young_person teenager teen student pupil learner person parent carer';

/** Words that put a sentence in the past ("when I was little", "years ago"): urgent becomes review. */
export const PAST_WORDS = 'used_to ago last_year years_ago when_i_was in_the_past a_long_time no_longer before_i_moved';
/** Joke markers: urgent becomes review, nothing is dropped (a child may add "lol" to a real disclosure). */
export const JOKE_WORDS = 'lol lool lolol lolz lmao lmfao rofl haha hahaha hahah hehe jk xd joking kidding';
