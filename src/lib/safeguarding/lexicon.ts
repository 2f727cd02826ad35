/**
 * Curated safeguarding phrase list.
 *
 * Patterns are written in ordinary words and stemmed when compiled, so
 * "hits", "hit" and "hitting" all match `hit`. Pattern syntax (space separated):
 *
 *   word            one token (matched after stemming)
 *   a|b|c           any of the alternatives
 *   @NAME           a macro from MACROS below (expands to alternatives)
 *   ?word / ?a|b    optional token
 *   *N              gap of 0..N tokens (never crosses a comma or sentence end)
 *   ~N              gap of 0..N tokens that contains no "general" word
 *                   (kids, people, who, they ...) — keeps "I think kids who
 *                   self harm" from reading as "I ... self harm"
 *   #               a number
 *
 * Text is normalised before matching: lower-cased, contractions expanded
 * ("don't" -> "do not", "I'm" -> "i am"), "no one" -> "noone",
 * "step dad" -> "stepdad", "selfharm" -> "self harm", common misspellings fixed.
 * So write patterns in that expanded form ("do not", "i am").
 *
 * level: 'urgent' = imminent risk to self, or a first-person disclosure of
 * current abuse; 'review' = needs a human look (third party, past, ambiguous).
 * negatable (default true): a negator shortly before the match, or inside it,
 * cancels it ("I have never been hurt at home"). Set false for phrases that
 * contain their own negation ("I don't feel safe").
 * downgrade (default true): urgent becomes review when the sentence puts it in
 * the past ("used to", "when I was little", "years ago", "last year").
 */

export type Level = 'urgent' | 'review';

export type Category =
	| 'self-harm-suicide'
	| 'physical-abuse'
	| 'emotional-abuse'
	| 'sexual-abuse'
	| 'sexual-exploitation-grooming'
	| 'criminal-exploitation'
	| 'neglect'
	| 'domestic-abuse'
	| 'missing-running-away'
	| 'bullying'
	| 'forced-marriage'
	| 'fgm'
	| 'radicalisation'
	| 'third-party-concern';

export interface LexiconEntry {
	/** Short human-readable name for the match, shown to reviewers. */
	phrase: string;
	category: Category;
	level: Level;
	pattern: string;
	negatable?: boolean;
	downgrade?: boolean;
}

export const MACROS: Record<string, string> = {
	ME: 'me|us',
	SELF3: 'himself|herself|themselves|themself',
	FAM:
		'mum|mom|mam|mother|mummy|mommy|dad|daddy|father|stepdad|stepmum|stepmom|stepfather|stepmother|' +
		'uncle|aunt|auntie|aunty|nan|nana|nanny|gran|granny|grandma|grandad|grandpa|grandfather|grandmother|' +
		'brother|sister|stepbrother|stepsister|cousin|parent|parents|carer|carers|boyfriend|girlfriend|' +
		'partner|husband|wife|ex|family',
	// Anyone who could be the person doing harm.
	PERP:
		'@FAM|he|she|they|teacher|coach|man|men|woman|lad|lads|boy|boys|girl|girls|neighbour|someone|friend|friends|mates|guy|guys',
	HIT:
		'hit|hits|hitting|beat|beats|beating|beaten|punch|punches|punched|punching|kick|kicks|kicked|kicking|' +
		'slap|slaps|slapped|slapping|smack|smacks|smacked|smacking|hurt|hurts|hurting|strangle|strangled|' +
		'choke|choked|choking|burn|burns|burned|burnt|batter|battered|whack|whacks|whacked|bite|bites|bit|' +
		'shove|shoved|throttle|throttled|belt|belted|strangles|chokes',
	TOUCH: 'touch|touches|touched|touching|grope|groped|groping|feel|feels|felt',
	// Third-party people a respondent can be worried about.
	P3: 'he|she|him|her|they|son|daughter|friend|mate|bestie|bff|stepson|stepdaughter|grandson|granddaughter|niece|nephew|classmate|pupil|cousin|brother|sister',
	PAST_BE: 'was|been|being|is|am|are|were|get|gets|got|getting',
	PICS: 'pics|pictures|picture|photos|photo|nudes|nude|videos|video|selfies',
	MONEYGIFTS: 'vapes|vape|weed|drugs|alcohol|drink|money|presents|gifts|phone|phones|trainers|cigarettes|fags|sweets',
	SUBST: 'drunk|high|wasted|stoned|off_their_face|passed_out'
};

/** Sequences that look like a match but are ordinary talk. A lexicon match overlapping one of these is dropped. */
export const IDIOMS: string[] = [
	'would kill me',
	'kill me if i get|got|fail|failed|lose|lost|break|broke|am|was|do|did|forget|forgot|miss|missed|come|came|go|went|say|said',
	'is|are|was|were|be|been killing me',
	'killing time',
	'kill time',
	'dying to',
	'die of embarrassment|boredom|laughter|laughing',
	'die laughing',
	'died laughing',
	'die my|her|his|your hair',
	'want to live in|with|at|near|there|here|abroad|on|by|somewhere|closer|nearer|when|abroad|anywhere|elsewhere|nowhere',
	'it|that|this|ball|door|car|bike|thing *2 @HIT @ME',
	'hit me up',
	'beat me|us at|in',
	'it|that|this|story|speech|film|book|song|message|kindness *2 touch @ME',
	'feel me|us',
	'suicide|self_harm|abuse|bullying|neglect|exploitation prevention|awareness|rate|rates|training|services|service|support|policy|team|line|charity|campaign|lessons|education|week|day',
	'kick me out of the game|team|group|lesson|class'
];

const e = (
	category: Category,
	level: Level,
	phrase: string,
	pattern: string = phrase,
	opts: { negatable?: boolean; downgrade?: boolean } = {}
): LexiconEntry => ({ phrase, category, level, pattern, ...opts });

const SH: Category = 'self-harm-suicide';
const PA: Category = 'physical-abuse';
const EA: Category = 'emotional-abuse';
const SA: Category = 'sexual-abuse';
const SE: Category = 'sexual-exploitation-grooming';
const CE: Category = 'criminal-exploitation';
const NG: Category = 'neglect';
const DA: Category = 'domestic-abuse';
const MS: Category = 'missing-running-away';
const BU: Category = 'bullying';
const TP: Category = 'third-party-concern';
const noNeg = { negatable: false };
const keep = { downgrade: false };

export const LEXICON: LexiconEntry[] = [
	// ── Self-harm and suicide, first person ────────────────────────────────
	e(SH, 'urgent', 'kill myself', 'kill|top|end myself'),
	e(SH, 'urgent', 'hurt myself', 'hurt|harm|cut|cutting|burn|burning|hang|stab|strangle|choke|hit|punch|scratch myself'),
	e(SH, 'urgent', 'cut my wrists/arms', 'cut|cutting|slit|slash my wrists|wrist|arms|arm|legs|thighs'),
	e(SH, 'urgent', 'self harm (first person)', 'i ~3 self harm|harming|harmed|injure|injuring|injury|hurt|hurting'),
	e(SH, 'urgent', 'self harm (first person)', 'my self harm|harming|injury'),
	e(SH, 'urgent', 'self harm (first person)', 'self harm|harming *3 i ~2 do|did|have|started|am|keep'),
	e(SH, 'urgent', 'want to die', 'i ~3 want|wanna|wish|ready|like to die'),
	e(SH, 'review', 'want to die', 'want|wanna|wants|wanted to die'),
	e(SH, 'urgent', 'wish I was dead', 'wish i was|were dead|gone'),
	e(SH, 'urgent', 'wish I was never born', 'i wish i was|were|had never|not born'),
	e(SH, 'urgent', "don't want to live", 'not want to live|exist|be_alive|wake_up|carry_on|go_on', noNeg),
	e(SH, 'urgent', "don't want to be here anymore", 'not want to be here|around anymore|more', noNeg),
	e(SH, 'review', "don't want to be here", 'not want to be here|around', noNeg),
	e(SH, 'urgent', 'end my life', 'end|ending|take|taking my ?own life'),
	e(SH, 'urgent', 'end it all', 'end|ending it all'),
	e(SH, 'urgent', 'better off dead', 'better off dead|without me'),
	e(SH, 'urgent', 'no reason to live', 'no|nothing reason|point to live'),
	e(SH, 'urgent', 'nothing to live for', 'nothing to live for', noNeg),
	e(SH, 'urgent', 'suicidal (first person)', 'i ~3 suicidal'),
	e(SH, 'urgent', 'suicidal (first person)', 'feel|feeling|felt suicidal'),
	e(SH, 'urgent', 'thinking about suicide', 'i ~3 think|thought|thinking|consider|considered|considering|tried|attempted|attempt ?about|of|to ?commit suicide|killing|kill'),
	e(SH, 'urgent', 'commit suicide', 'i ~3 going|want|wanna|will|gonna ?to commit suicide'),
	e(SH, 'urgent', 'suicide attempt', 'my suicide attempt|attempts'),
	e(SH, 'urgent', 'overdose', 'i ~3 overdose|overdosed|od', keep),
	e(SH, 'urgent', 'took an overdose', 'i ~3 took|take|taken an|a overdose', keep),
	e(SH, 'urgent', 'jump off', 'i ~4 jump off ~2 bridge|roof|building|cliff|multi|car|balcony'),
	e(SH, 'urgent', 'jump in front of', 'jump|step|walk in front of ~2 train|car|bus|lorry'),
	e(SH, 'review', 'jump off a bridge', 'jump off ~2 bridge|roof|building|cliff|balcony'),
	e(SH, 'review', 'pills to stop feeling', 'take|taking|took ~2 pills|tablets to stop|not|never|die|sleep|numb'),
	e(SH, 'review', 'nobody would care if I died', 'noone|nobody *3 care|miss|notice ~2 if i die|dead|gone|disappeared|killed', noNeg),
	e(SH, 'review', 'nobody would miss me', 'noone|nobody would miss me|notice', noNeg),
	e(SH, 'review', 'starving myself', 'starve|starving|starved myself'),
	e(SH, 'review', 'make myself sick', 'make|making|made myself sick|throw_up|vomit'),
	e(SH, 'review', 'cry myself to sleep', 'cry|crying|cried myself to sleep'),
	// ── Self-harm and suicide, someone else ─────────────────────────────────
	e(SH, 'review', 'self harm (third party)', '@P3 ~3 self harm|harming|harms|harmed|injure|injuring'),
	e(SH, 'review', 'hurting themselves', 'kill|hurt|harm|cut|cutting|cuts|hang|stab|starve|starving|burn|burning @SELF3'),
	e(SH, 'review', 'suicidal (third party)', '@P3 ~3 suicidal'),
	e(SH, 'review', 'suicide attempt (third party)', '@P3 ~3 tried|attempted|attempt|overdosed|overdose ~2 suicide|kill|overdose'),
	e(SH, 'review', 'took an overdose (third party)', '@P3 ~3 took|taken an|a overdose'),
	// ── Physical abuse ───────────────────────────────────────────────────────
	e(PA, 'urgent', 'someone hits me', '@PERP ~4 @HIT @ME'),
	e(PA, 'review', 'hits me', '@HIT @ME'),
	e(PA, 'urgent', 'beat me up', 'beat|beats|beating|beaten me up'),
	e(PA, 'urgent', 'I get hit', 'i ~3 @PAST_BE hit|beaten|punched|kicked|slapped|smacked|hurt|strangled|choked|burnt|burned|battered|whacked|belted|abused at_home|by'),
	e(PA, 'review', 'I get hit', 'i ~3 @PAST_BE hit|beaten|punched|kicked|slapped|smacked|strangled|choked|battered|whacked|belted'),
	e(PA, 'urgent', 'threatened to hurt me', 'said|say|says|threaten|threatens|threatened|threatening *4 hurt|kill|beat|stab|hit me|us|my'),
	e(PA, 'urgent', 'kill me if I tell', 'kill|hurt|hit|beat me if i tell|told|say|said'),
	e(PA, 'review', 'will kill me', '@PERP ~3 kill|stab me'),
	e(PA, 'urgent', 'throws things at me', 'throw|throws|threw|throwing ~3 at @ME'),
	e(PA, 'review', 'bruises', 'with|has|had|got|covered|in bruises|bruise|bruising'),
	e(PA, 'urgent', 'gave me a black eye', 'gave|give|gives me a black|bruise'),
	e(PA, 'review', 'locked in my room', 'locked|lock|locks|locking ?me in ~2 room|cupboard|shed|house|bedroom'),
	e(PA, 'urgent', 'not safe at home', 'not feel|feeling|felt safe at|in ~2 home|house', noNeg),
	e(PA, 'urgent', 'not safe at home', 'not safe at|in ~2 home|house', noNeg),
	e(PA, 'urgent', 'unsafe at home', 'unsafe at|in ~2 home|house'),
	e(PA, 'urgent', 'scared to go home', 'scared|afraid|frightened|terrified|scare to|of go|going home'),
	e(PA, 'review', "don't want to go home", 'not want to go home', noNeg),
	e(PA, 'review', 'scared of family member', 'scared|afraid|frightened|terrified of my @FAM'),
	e(PA, 'review', 'hurts them (third party)', '@PERP ~4 @HIT her|him|them'),
	e(PA, 'urgent', 'abused me', '@PERP ~3 abuse|abuses|abused|abusing me'),
	e(PA, 'urgent', 'I am being abused', 'i ~3 @PAST_BE abused'),
	e(PA, 'review', 'being abused (third party)', '@P3 ~3 @PAST_BE abused'),
	// ── Emotional abuse ──────────────────────────────────────────────────────
	e(EA, 'review', 'calls me names', 'call|calls|called|calling me stupid|fat|ugly|worthless|useless|names|thick|pathetic|disgusting|a_mistake'),
	e(EA, 'review', 'wishes I was never born', 'wish|wishes|wished i was|had never|not born', noNeg),
	e(EA, 'review', 'shouts at me all the time', 'shout|shouts|shouting|scream|screams|screaming|yell|yells|yelling at me all|every|constantly|always'),
	e(EA, 'review', 'shouts at me all the time', 'always shout|shouts|shouting|scream|screams|screaming|yell|yells|yelling at me'),
	e(EA, 'review', 'disown me', 'disown|disowned|disowning me'),
	// ── Sexual abuse ─────────────────────────────────────────────────────────
	e(SA, 'urgent', 'someone touches me', '@PERP ~4 touch|touches|touched|touching|grope|groped|groping me'),
	e(SA, 'review', 'touches me', 'touch|touches|touched|touching|grope|groped|groping me'),
	e(SA, 'urgent', 'touched my private parts', 'touch|touches|touched|touching|grab|grabbed my private|privates|bum|boobs|chest|willy|bits|body|down_there'),
	e(SA, 'review', 'touched them (third party)', '@PERP ~4 touch|touches|touched|touching|grope|groped|groping her|him|them'),
	e(SA, 'urgent', 'raped', 'i ~3 @PAST_BE raped|molested|sexually|assaulted'),
	e(SA, 'urgent', 'raped me', 'rape|raped|molest|molested|assaulted me'),
	e(SA, 'review', 'raped (third party)', '@P3 ~3 @PAST_BE raped|molested'),
	e(SA, 'review', 'comes into my room at night', 'come|comes|came|coming into|in ?to my room|bed ~3 night'),
	e(SA, 'review', 'gets into my bed', 'get|gets|got|getting in|into my bed'),
	e(SA, 'review', 'shows me rude videos', 'show|shows|showed|showing me *6 rude|porn|naked|sexual|sex|dirty'),
	e(SA, 'urgent', 'makes me do sexual things', 'make|makes|made|force|forces|forced me ~3 sex|sexual|naked|touch|suck'),
	e(SA, 'review', 'told not to tell', 'say|says|said|tell|tells|told ?me|us not to tell'),
	e(SA, 'review', 'keep it a secret', 'keep ~2 secret|secrets'),
	e(SA, 'review', 'our secret', 'our|a|its|it secret'),
	e(SA, 'review', 'special friends', 'special friend|friends'),
	// ── Sexual exploitation and grooming ─────────────────────────────────────
	e(SE, 'urgent', 'makes me send pictures', 'make|makes|made|force|forces|forced|ask|asks|asked|want|wants|wanted|tell|tells|told|pressure|pressured|pressuring me ~2 ?to send ?him|her|them ?some|my @PICS'),
	e(SE, 'review', 'asks for nudes', 'ask|asks|asked|asking ?me for ?my @PICS'),
	e(SE, 'review', 'threatening to share my pictures', 'share|sharing|post|posting|send|sending|leak|leaking|show my @PICS'),
	e(SE, 'review', 'my boyfriend is older', 'my boyfriend|girlfriend is|was #'),
	e(SE, 'urgent', 'older man gives me things', 'older|old man|men|guy|guys|lad|lads|boy|boys|bloke *4 give|gives|gave|buy|buys|bought @ME'),
	e(SE, 'review', 'gives me gifts', 'give|gives|gave|buy|buys|bought @ME *4 @MONEYGIFTS'),
	e(SE, 'review', 'wants me to do things', 'want|wants|wanted @ME to do stuff|things|favours|something'),
	e(SE, 'review', 'met online wants to meet', 'online|snapchat|snap|instagram|insta|tiktok|discord|xbox|playstation|fortnite|roblox|game|whatsapp|app *8 meet up|me|in'),
	e(SE, 'urgent', 'being groomed or exploited', 'i ~3 @PAST_BE ?sexually groomed|exploited'),
	e(SE, 'review', 'being groomed or exploited (third party)', '@P3 ~3 @PAST_BE ?sexually groomed|exploited'),
	// ── Criminal exploitation ───────────────────────────────────────────────
	e(CE, 'urgent', 'made to carry drugs', 'make|makes|made|force|forces|forced|told|tell|tells|got|gets @ME ~2 ?to carry|deliver|sell|hold|move|take|drop ~4 drugs|package|packages|parcel|parcels|bag|bags|stuff|weed'),
	e(CE, 'review', 'county lines (personal)', 'i|@P3 ~4 county lines'),
	e(CE, 'review', 'owes money to dealer', 'owe|owes|owed ~3 money|debt ~4 dealer|dealers'),
	// ── Neglect ─────────────────────────────────────────────────────────────
	e(NG, 'urgent', 'left alone for days', 'leave|leaves|left @ME *5 alone|own|myself|ourselves ~2 for ~2 days|day|weekend|week|nights|overnight'),
	e(NG, 'review', 'left on my own', 'leave|leaves|left @ME ~4 alone|own|myself|ourselves'),
	e(NG, 'review', 'no food at home', 'no|never ?any food|tea|dinner at|in ~2 home|house', noNeg),
	e(NG, 'review', 'there is no food', 'there is|was|are never|no ?any food', noNeg),
	e(NG, 'review', 'always hungry', 'always|constantly hungry|starving'),
	e(NG, 'review', 'always hungry', 'hungry all the time'),
	e(NG, 'review', 'go to bed hungry', 'go|went|goes to bed hungry'),
	e(NG, 'review', "don't get fed", 'not ~1 get|given ~1 fed|food|tea|dinner|breakfast|meal|meals', noNeg),
	e(NG, 'review', 'never get fed', 'never get|given ~1 fed|food|tea|dinner|breakfast|meal|meals', noNeg),
	e(NG, 'review', 'same clothes for days', 'same clothes for ~2 week|weeks|days'),
	e(NG, 'review', 'no heating or hot water', 'no hot_water|heating|electric|electricity|bed|beds', noNeg),
	e(NG, 'review', 'parent always drunk', '@FAM ~2 always|constantly *2 @SUBST'),
	e(NG, 'review', 'parent drinking', '@FAM ~2 drink|drinks|drinking|drunk every|all day|night|time'),
	e(NG, 'review', 'parent on drugs', '@FAM ~2 take|takes|taking|does|do|doing|on drugs'),
	e(NG, 'review', "can't feed the kids", 'not ?afford ?to feed ~2 kid|kids|children|family|baby|babies|them', noNeg),
	e(NG, 'review', 'nobody looks after me', 'noone|nobody looks|look|looking after me', noNeg),
	e(NG, 'review', 'nobody cares about me', 'noone|nobody cares|care about me', noNeg),
	e(NG, 'review', 'neglected (personal)', 'i|@P3 ~3 @PAST_BE neglected'),
	// ── Domestic abuse ───────────────────────────────────────────────────────
	e(DA, 'urgent', 'hits my mum', '@FAM ~2 @HIT ?my @FAM'),
	e(DA, 'review', 'witness domestic abuse', 'witness|witnessed|see|saw|seen|hear|heard|watch ~2 domestic abuse|violence at|in ~2 home|house'),
	e(DA, 'review', 'domestic abuse (personal)', 'i|we|our|my ~2 @PAST_BE ?a ?victim ?of domestic abuse|violence'),
	e(DA, 'review', 'violent partner', 'partner|ex|husband|wife|boyfriend|girlfriend|dad|father|stepdad|mum|mother ~2 is|was|gets|get|can|been ~2 violent|abusive|controlling'),
	e(DA, 'review', 'scared he will hurt', 'scared|afraid|frightened|terrified ~1 he|she|they will|would|is|might|going *2 hurt|kill|take|find|come'),
	e(DA, 'review', 'police called to fighting', 'police ~3 come|came|called|round ~6 fight|fighting|hitting|shouting'),
	// ── Missing and running away ─────────────────────────────────────────────
	e(MS, 'review', 'ran away', 'i|we|@P3 ~3 ran|run|running away'),
	e(MS, 'review', 'want to run away', 'want|wanna|going|gonna|thinking|think|plan|planning to ?run away'),
	e(MS, 'review', 'going missing', 'keep|keeps|kept|had|has|have *3 go|going|gone|went missing'),
	e(MS, 'review', 'went missing', 'i|he|she|son|daughter ~3 go|goes|going|gone|went missing'),
	e(MS, 'review', 'sleeping rough', 'sleep|sleeping|slept ~2 rough|street|streets|park|station|car|outside'),
	e(MS, 'review', 'sofa surfing', 'sofa surf|surfing'),
	e(MS, 'review', 'nowhere to sleep', 'nowhere to sleep|stay|live|go'),
	e(MS, 'review', 'kicked out', 'kick|kicks|kicked|chucked|threw me|us out'),
	e(MS, 'review', 'kicked out', 'got|get|been kicked|chucked|thrown out'),
	e(MS, 'review', 'stay out all night', 'stay|stays|stayed|staying out all night'),
	// ── Bullying ─────────────────────────────────────────────────────────────
	e(BU, 'review', 'I am bullied', 'i ~3 @PAST_BE bullied|picked|targeted'),
	e(BU, 'review', 'bullies me', 'bully|bullies|bullying|bullied me|us'),
	e(BU, 'review', 'makes my life hell', 'make|makes|made|making my life ~1 hell|misery'),
	e(BU, 'review', 'takes my money', 'take|takes|took|taking|nick|nicks|nicked|steal|steals|stole my ?dinner|lunch money'),
	e(BU, 'review', 'told me to kill myself', 'told|tell|tells|telling|said me ?to kill yourself'),
	e(BU, 'review', 'cry every night', 'cry|crying|cried every|all night|day'),
	e(BU, 'review', 'nobody talks to me', 'noone|nobody talks|talk|speaks|plays|play to|with me', noNeg),
	// ── Forced marriage, FGM, radicalisation ─────────────────────────────────
	e('forced-marriage', 'urgent', 'making me get married', 'make|makes|making|made|force|forcing|forced|send|sending|sent|take|taking @ME|her|him ~6 get_married|marry|be_married'),
	e('forced-marriage', 'urgent', 'forced to marry', 'i ~3 forced|made|have to marry|married'),
	e('forced-marriage', 'review', 'forced marriage (personal)', 'i|my|@P3 ~4 forced marriage'),
	e('fgm', 'urgent', 'FGM (personal)', 'i|my|@P3 ~4 fgm|cut_down_there'),
	e('fgm', 'review', 'cut down there', 'cut ~2 down there'),
	e('radicalisation', 'review', 'wants me to join', 'want|wants|asked|asking|telling|told|trying @ME to join'),
	e('radicalisation', 'review', 'extremist material', 'send|sends|sent|show|shows|showed @ME ~4 extremist|terrorist|isis|nazi'),
	e('radicalisation', 'review', 'blow up', 'blow|bomb up ~2 school|mosque|church|people'),
	// ── Third-party concern (practitioners, parents) ────────────────────────
	e(TP, 'review', 'disclosed', 'disclosed|disclose that|to|abuse'),
	e(TP, 'review', 'stab someone', 'going|gonna|want|wants to stab'),
	e(TP, 'review', 'carries a knife', 'i|@P3 ~3 carry|carries|carrying|brought|brings ~2 knife|knives|blade')
];

/** Hand-made misspelling and slang map applied to single tokens before stemming. */
export const MISSPELLINGS: Record<string, string> = {
	kil: 'kill',
	kiled: 'killed',
	kms: 'kill myself',
	kys: 'kill yourself',
	unalive: 'kill',
	sucide: 'suicide',
	suiside: 'suicide',
	suicde: 'suicide',
	sooicide: 'suicide',
	suacide: 'suicide',
	suiscide: 'suicide',
	sucidal: 'suicidal',
	suicdal: 'suicidal',
	mysef: 'myself',
	myslef: 'myself',
	meself: 'myself',
	miself: 'myself',
	sed: 'said',
	sez: 'says',
	becuase: 'because',
	becos: 'because',
	cos: 'because',
	coz: 'because',
	cuz: 'because',
	wen: 'when',
	hurted: 'hurt',
	bulied: 'bullied',
	bullyed: 'bullied',
	bulled: 'bullied',
	buled: 'bullied',
	bullyd: 'bullied',
	bulling: 'bullying',
	abbused: 'abused',
	abuesd: 'abused',
	abusd: 'abused',
	wanna: 'want to',
	wana: 'want to',
	gonna: 'going to',
	gunna: 'going to',
	sumtimes: 'sometimes',
	sumone: 'someone',
	sum1: 'someone',
	some1: 'someone',
	peple: 'people',
	pepl: 'people',
	ppl: 'people',
	hitts: 'hits',
	mam: 'mum',
	mom: 'mum',
	mommy: 'mum',
	mummy: 'mum',
	scard: 'scared',
	scaired: 'scared',
	skared: 'scared',
	tuched: 'touched',
	tuches: 'touches',
	touchs: 'touches',
	hurtin: 'hurting',
	cutting: 'cutting',
	slefharm: 'self harm',
	selfharm: 'self harm',
	dont: 'do not',
	didnt: 'did not',
	doesnt: 'does not',
	cant: 'can not',
	cannot: 'can not',
	wont: 'will not',
	isnt: 'is not',
	wasnt: 'was not',
	havent: 'have not',
	hasnt: 'has not',
	wouldnt: 'would not',
	shouldnt: 'should not',
	couldnt: 'could not',
	arent: 'are not',
	werent: 'were not',
	aint: 'is not',
	im: 'i am',
	ive: 'i have',
	thats: 'that is',
	theres: 'there is',
	u: 'you',
	ur: 'your',
	nt: 'not'
};

/**
 * Longer lexicon words a misspelling may be corrected to (Damerau-Levenshtein
 * 1, or 2 for words of 8+ letters, same first letter). Kept short on purpose.
 */
export const FUZZY_TARGETS = [
	'suicide',
	'suicidal',
	'myself',
	'himself',
	'herself',
	'bullied',
	'bullying',
	'harming',
	'abused',
	'abusing',
	'overdose',
	'overdosed',
	'touched',
	'touching',
	'molested',
	'groomed',
	'exploited',
	'punching',
	'punched',
	'starving',
	'strangled',
	'neglected',
	'married',
	'secret',
	'scared',
	'frightened',
	'terrified',
	'because',
	'stepdad',
	'boyfriend',
	'sometimes',
	'someone',
	'people'
];

/** Real words near a fuzzy target that must never be "corrected" to it. */
export const NEVER_CORRECT = new Set([
	'amused',
	'abuses',
	'hunting',
	'starting',
	'stating',
	'staring',
	'storing',
	'starring',
	'secrets',
	'sacred',
	'scarred',
	'scares',
	'scarf',
	'touches',
	'touchy',
	'punches',
	'punchy',
	'harping',
	'married',
	'marries',
	'harmony',
	'bullies',
	'bullets',
	'burying',
	'exploded',
	'exploited',
	'explored',
	'suited',
	'suicides',
	'strangler',
	'sometime',
	'somehow',
	'someones',
	'peoples',
	'people',
	'peopled',
	'because',
	'herself',
	'himself',
	'myself',
	'itself',
	'yourself',
	'ourself',
	'groomer',
	'groomers',
	'grooming',
	'abusive',
	'abuser',
	'abusers',
	'overdoses',
	'molester',
	'neglects'
]);
