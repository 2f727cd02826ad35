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
	| 'third-party-concern'
	| 'threats'
	| 'control-coercion'
	| 'eating'
	| 'substances'
	| 'young-carer'
	| 'fear-of-home'
	/** Flagged by the built-in model alone, with no vocabulary word seen (model/). */
	| 'learned-wording';

export interface LexiconEntry {
	/** Short human-readable name for the match, shown to reviewers. */
	phrase: string;
	category: Category;
	level: Level;
	pattern: string;
	negatable?: boolean;
	downgrade?: boolean;
	/** Only with a personal or specific anchor in the sentence ("nowhere to go" alone is a complaint about places). */
	anchored?: boolean;
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
	PERP: '@FAM|he|she|they|teacher|coach|man|men|woman|lad|lads|boy|boys|girl|girls|neighbour|someone|friend|friends|mates|guy|guys',
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
	SUBST: 'drunk|high|wasted|stoned|off_their_face|passed_out',
	// Rough handling that is abuse when aimed at the speaker with force ("grabs my arm so hard").
	GRAB: 'grab|grabs|grabbed|grabbing|push|pushes|pushed|pushing|drag|drags|dragged|dragging|pin|pins|pinned|hold|holds|held|throw|throws|threw|thrown|pull|pulls|pulled|squeeze|squeezes|squeezed',
	// Body parts named in self-injury and injury disclosures.
	BODY: 'arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach|tummy|belly|hip|hips|hand|hands|face|neck|back|body|chest',
	// Implements used for self-injury.
	BLADE: 'blade|blades|razor|razors|compass|sharpener|knife|scissors|glass|lighter|lighters|pin|pins',
	// Words for death/absence used in indirect suicidal talk ("if I was gone").
	GONE: 'gone|dead|not_here|not_around|not_alive|never_born|disappeared|disappear|vanished|away_for_good'
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
	'kick me out of the game|team|group|lesson|class',
	'when|if|how *4 disclose|discloses|disclosing|disclosure',
	'keep|keeps|kept|keeping|stay|stays in touch',
	'kill|kills|killing me ~2 lol|haha|lmao|jk',
	'absolute|total|proper killer'
];

const e = (
	category: Category,
	level: Level,
	phrase: string,
	pattern: string = phrase,
	opts: { negatable?: boolean; downgrade?: boolean; anchored?: boolean } = {}
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
	e(
		SH,
		'urgent',
		'hurt myself',
		'hurt|harm|cut|cutting|burn|burning|hang|stab|strangle|choke|hit|punch|scratch myself'
	),
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
	e(
		SH,
		'urgent',
		'thinking about suicide',
		'i ~3 think|thought|thinking|consider|considered|considering|tried|attempted|attempt ?about|of|to ?commit suicide|killing|kill'
	),
	e(SH, 'urgent', 'commit suicide', 'i ~3 going|want|wanna|will|gonna ?to commit suicide'),
	e(SH, 'urgent', 'suicide attempt', 'my suicide attempt|attempts'),
	e(SH, 'urgent', 'overdose', 'i ~3 overdose|overdosed|od', keep),
	e(SH, 'urgent', 'took an overdose', 'i ~3 took|take|taken an|a overdose', keep),
	e(SH, 'urgent', 'jump off', 'i ~4 jump off ~2 bridge|roof|building|cliff|multi|car|balcony'),
	e(SH, 'urgent', 'jump in front of', 'jump|step|walk in front of ~2 train|car|bus|lorry'),
	e(SH, 'review', 'jump off a bridge', 'jump off ~2 bridge|roof|building|cliff|balcony'),
	e(SH, 'review', 'pills to stop feeling', 'take|taking|took ~2 pills|tablets to stop|not|never|die|sleep|numb'),
	e(
		SH,
		'review',
		'nobody would care if I died',
		'noone|nobody *3 care|miss|notice ~2 if i die|dead|gone|disappeared|killed',
		noNeg
	),
	e(SH, 'review', 'nobody would miss me', 'noone|nobody would miss me|notice', noNeg),
	e(SH, 'review', 'starving myself', 'starve|starving|starved myself'),
	e(SH, 'review', 'make myself sick', 'make|making|made myself sick|throw_up|vomit'),
	e(SH, 'review', 'cry myself to sleep', 'cry|crying|cried myself to sleep'),
	// ── Self-harm and suicide, someone else ─────────────────────────────────
	e(SH, 'review', 'self harm (third party)', '@P3 ~3 self harm|harming|harms|harmed|injure|injuring'),
	e(
		SH,
		'review',
		'hurting themselves',
		'kill|hurt|harm|cut|cutting|cuts|hang|stab|starve|starving|burn|burning @SELF3'
	),
	e(SH, 'review', 'suicidal (third party)', '@P3 ~3 suicidal'),
	e(
		SH,
		'review',
		'suicide attempt (third party)',
		'@P3 ~3 tried|attempted|attempt|overdosed|overdose ~2 suicide|kill|overdose'
	),
	e(SH, 'review', 'took an overdose (third party)', '@P3 ~3 took|taken an|a overdose'),
	// ── Physical abuse ───────────────────────────────────────────────────────
	e(PA, 'urgent', 'someone hits me', '@PERP ~4 @HIT @ME'),
	e(PA, 'review', 'hits me', '@HIT @ME'),
	e(PA, 'urgent', 'beat me up', 'beat|beats|beating|beaten me up'),
	e(
		PA,
		'urgent',
		'I get hit',
		'i ~3 @PAST_BE hit|beaten|punched|kicked|slapped|smacked|hurt|strangled|choked|burnt|burned|battered|whacked|belted|abused at_home|by'
	),
	e(
		PA,
		'review',
		'I get hit',
		'i ~3 @PAST_BE hit|beaten|punched|kicked|slapped|smacked|strangled|choked|battered|whacked|belted'
	),
	e(
		PA,
		'urgent',
		'threatened to hurt me',
		'said|say|says|threaten|threatens|threatened|threatening *4 hurt|kill|beat|stab|hit me|us|my'
	),
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
	e(
		EA,
		'review',
		'calls me names',
		'call|calls|called|calling me stupid|fat|ugly|worthless|useless|names|thick|pathetic|disgusting|a_mistake'
	),
	e(EA, 'review', 'wishes I was never born', 'wish|wishes|wished i was|had never|not born', noNeg),
	e(
		EA,
		'review',
		'shouts at me all the time',
		'shout|shouts|shouting|scream|screams|screaming|yell|yells|yelling at me all|every|constantly|always'
	),
	e(
		EA,
		'review',
		'shouts at me all the time',
		'always shout|shouts|shouting|scream|screams|screaming|yell|yells|yelling at me'
	),
	e(EA, 'review', 'disown me', 'disown|disowned|disowning me'),
	// ── Sexual abuse ─────────────────────────────────────────────────────────
	e(SA, 'urgent', 'someone touches me', '@PERP ~4 touch|touches|touched|touching|grope|groped|groping me'),
	e(SA, 'review', 'touches me', 'touch|touches|touched|touching|grope|groped|groping me'),
	e(
		SA,
		'urgent',
		'touched my private parts',
		'touch|touches|touched|touching|grab|grabbed my private|privates|bum|boobs|chest|willy|bits|body|down_there'
	),
	e(
		SA,
		'review',
		'touched them (third party)',
		'@PERP ~4 touch|touches|touched|touching|grope|groped|groping her|him|them'
	),
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
	e(
		SE,
		'urgent',
		'makes me send pictures',
		'make|makes|made|force|forces|forced|ask|asks|asked|want|wants|wanted|tell|tells|told|pressure|pressured|pressuring me ~2 ?to send ?him|her|them ?some|my @PICS'
	),
	e(SE, 'review', 'asks for nudes', 'ask|asks|asked|asking ?me for ?my @PICS'),
	e(
		SE,
		'review',
		'threatening to share my pictures',
		'share|sharing|post|posting|send|sending|leak|leaking|show my @PICS'
	),
	e(SE, 'review', 'my boyfriend is older', 'my boyfriend|girlfriend is|was #'),
	e(
		SE,
		'urgent',
		'older man gives me things',
		'older|old man|men|guy|guys|lad|lads|boy|boys|bloke *4 give|gives|gave|buy|buys|bought @ME'
	),
	e(SE, 'review', 'gives me gifts', 'give|gives|gave|buy|buys|bought @ME *4 @MONEYGIFTS'),
	e(SE, 'review', 'wants me to do things', 'want|wants|wanted @ME to do stuff|things|favours|something'),
	e(
		SE,
		'review',
		'met online wants to meet',
		'online|snapchat|snap|instagram|insta|tiktok|discord|xbox|playstation|fortnite|roblox|game|whatsapp|app *8 meet up|me|in'
	),
	e(SE, 'urgent', 'being groomed or exploited', 'i ~3 @PAST_BE ?sexually groomed|exploited'),
	e(SE, 'review', 'being groomed or exploited (third party)', '@P3 ~3 @PAST_BE ?sexually groomed|exploited'),
	// ── Criminal exploitation ───────────────────────────────────────────────
	e(
		CE,
		'urgent',
		'made to carry drugs',
		'make|makes|made|force|forces|forced|told|tell|tells|got|gets @ME ~2 ?to carry|deliver|sell|hold|move|take|drop ~4 drugs|package|packages|parcel|parcels|bag|bags|stuff|weed'
	),
	e(CE, 'review', 'county lines (personal)', 'i|@P3 ~4 county lines'),
	e(CE, 'review', 'owes money to dealer', 'owe|owes|owed ~3 money|debt ~4 dealer|dealers'),
	// ── Neglect ─────────────────────────────────────────────────────────────
	e(
		NG,
		'urgent',
		'left alone for days',
		'leave|leaves|left @ME *5 alone|own|myself|ourselves ~2 for ~2 days|day|weekend|week|nights|overnight'
	),
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
	e(
		DA,
		'review',
		'witness domestic abuse',
		'witness|witnessed|see|saw|seen|hear|heard|watch ~2 domestic abuse|violence at|in ~2 home|house'
	),
	e(DA, 'review', 'domestic abuse (personal)', 'i|we|our|my ~2 @PAST_BE ?a ?victim ?of domestic abuse|violence'),
	e(
		DA,
		'review',
		'violent partner',
		'partner|ex|husband|wife|boyfriend|girlfriend|dad|father|stepdad|mum|mother ~2 is|was|gets|get|can|been ~2 violent|abusive|controlling'
	),
	e(
		DA,
		'review',
		'scared he will hurt',
		'scared|afraid|frightened|terrified ~1 he|she|they will|would|is|might|going *2 hurt|kill|take|find|come'
	),
	e(DA, 'review', 'police called to fighting', 'police ~3 come|came|called|round ~6 fight|fighting|hitting|shouting'),
	// ── Missing and running away ─────────────────────────────────────────────
	e(MS, 'review', 'ran away', 'i|we|@P3 ~3 ran|run|running away'),
	e(MS, 'review', 'want to run away', 'want|wanna|going|gonna|thinking|think|plan|planning to ?run away'),
	e(MS, 'review', 'going missing', 'keep|keeps|kept|had|has|have *3 go|going|gone|went missing'),
	e(MS, 'review', 'went missing', 'i|he|she|son|daughter ~3 go|goes|going|gone|went missing'),
	e(MS, 'review', 'sleeping rough', 'sleep|sleeping|slept ~2 rough|street|streets|park|station|car|outside'),
	e(MS, 'review', 'sofa surfing', 'sofa surf|surfing'),
	e(MS, 'review', 'nowhere to sleep', 'nowhere to sleep|stay|live'),
	e(MS, 'review', 'nowhere to go', 'nowhere to go', { anchored: true }),
	e(MS, 'review', 'kicked out', 'kick|kicks|kicked|chucked|threw me|us out'),
	e(MS, 'review', 'kicked out', 'got|get|been kicked|chucked|thrown out'),
	e(MS, 'review', 'stay out all night', 'stay|stays|stayed|staying out all night'),
	// ── Bullying ─────────────────────────────────────────────────────────────
	e(BU, 'review', 'I am bullied', 'i ~3 @PAST_BE bullied|picked|targeted'),
	e(BU, 'review', 'bullies me', 'bully|bullies|bullying|bullied me|us'),
	e(BU, 'review', 'makes my life hell', 'make|makes|made|making my life ~1 hell|misery'),
	e(
		BU,
		'review',
		'takes my money',
		'take|takes|took|taking|nick|nicks|nicked|steal|steals|stole my ?dinner|lunch money'
	),
	e(BU, 'review', 'told me to kill myself', 'told|tell|tells|telling|said me ?to kill yourself'),
	e(BU, 'review', 'cry every night', 'cry|crying|cried every|all night|day'),
	e(BU, 'review', 'nobody talks to me', 'noone|nobody talks|talk|speaks|plays|play to|with me', noNeg),
	// ── Forced marriage, FGM, radicalisation ─────────────────────────────────
	e(
		'forced-marriage',
		'urgent',
		'making me get married',
		'make|makes|making|made|force|forcing|forced|send|sending|sent|take|taking @ME|her|him ~6 get_married|marry|be_married'
	),
	e('forced-marriage', 'urgent', 'forced to marry', 'i ~3 forced|made|have to marry|married'),
	e('forced-marriage', 'review', 'forced marriage (personal)', 'i|my|@P3 ~4 forced marriage'),
	e('fgm', 'urgent', 'FGM (personal)', 'i|my|@P3 ~4 fgm|cut_down_there'),
	e('fgm', 'review', 'cut down there', 'cut ~2 down there'),
	e('radicalisation', 'review', 'wants me to join', 'want|wants|asked|asking|telling|told|trying @ME to join'),
	e(
		'radicalisation',
		'review',
		'extremist material',
		'send|sends|sent|show|shows|showed @ME ~4 extremist|terrorist|isis|nazi'
	),
	e('radicalisation', 'review', 'blow up', 'blow|bomb up ~2 school|mosque|church|people'),
	// ── Third-party concern (practitioners, parents) ────────────────────────
	e(TP, 'review', 'stab someone', 'going|gonna|want|wants to stab'),
	e(TP, 'review', 'carries a knife', 'i|@P3 ~3 carry|carries|carrying|brought|brings ~2 knife|knives|blade'),
	// ── Round 2 (generalisation) ─────────────────────────────────────────────
	// Self-harm without an explicit "I" ("been cutting again"), implements and body parts.
	e(
		SH,
		'urgent',
		'self-injury (no subject)',
		'been|keep|kept|started|start|still|back_to ~1 cutting|scratching|burning|harming|hurting|bleeding'
	),
	e(SH, 'urgent', 'self-injury (no subject)', 'cutting|scratching|burning|self_harming ~2 again'),
	e(
		SH,
		'urgent',
		'injures own body',
		'cut|cuts|cutting|scratch|scratches|scratching|burn|burning|slash|slashing|carve|carving|pick|picking|bite|biting|stab|stabbing my ?own @BODY'
	),
	e(SH, 'urgent', 'uses a blade on self', '@BLADE ~4 on|into|across my ?own @BODY'),
	e(SH, 'urgent', 'uses a blade on self', 'i ~3 use|used|using ~2 @BLADE ~3 on|to|until|till'),
	// Indirect suicidal talk.
	e(SH, 'urgent', 'sleep and not wake up', 'sleep|sleeping ~2 and ~1 not|never wake up|wake', noNeg),
	e(
		SH,
		'urgent',
		'thinking about ending it',
		'think|thinking|thought|thoughts|about|of ~2 ending|end it|everything|things|my_life',
		noNeg
	),
	e(
		SH,
		'urgent',
		'better off without me',
		'better|happier|easier ~1 off|without ~3 if|when i ~2 was|were|am|did|had ~1 @GONE|died|die|not|never',
		noNeg
	),
	e(SH, 'urgent', 'better off without me', 'better|happier|easier ~1 off ~1 without me', noNeg),
	e(
		SH,
		'review',
		'if I was gone',
		'if|when i ~2 was|were|am|died|die|disappeared|disappear ~1 @GONE|died|die|disappeared',
		noNeg
	),
	e(SH, 'review', 'if I was gone', 'when|if i|im am ~1 gone', noNeg),
	e(SH, 'review', 'nobody would notice', 'noone|nobody|not_even_my ~3 notice|care|miss|bother ~2 if|when', noNeg),
	e(
		SH,
		'review',
		'want to disappear',
		'want|wanna|wish|like ~3 to ~1 disappear|vanish|not_exist|stop_existing|be_gone',
		noNeg
	),
	e(
		SH,
		'review',
		'want to disappear',
		'should|could|might|just ~2 disappear|vanish ~2 forever|for_good|and|now|for_ever|from'
	),
	e(
		SH,
		'review',
		'nobody likes me',
		'noone|nobody|everyone|everybody likes|like|loves|love|wants|want|hates|hate me',
		noNeg
	),
	e(SH, 'review', 'want to disappear', 'wish ~2 i ~2 could ~1 disappear|vanish|die|not_exist'),
	e(
		SH,
		'review',
		'what is the point',
		'what|whats is ~1 the point ~3 anything|anymore|living|life|trying|me|of_me',
		noNeg
	),
	e(
		SH,
		'urgent',
		'stockpiling pills',
		'pills|tablets|paracetamol|painkillers ~3 saved|saving|stockpiled|hidden|hid|hiding|ready|collected|collecting'
	),
	e(
		SH,
		'urgent',
		'stockpiling pills',
		'saved|saving|stockpiled|hidden|hid|hiding|collected|collecting ~3 pills|tablets|paracetamol|painkillers'
	),
	e(
		SH,
		'urgent',
		'goodbye letters',
		'written|wrote|writing|write ~3 letters|letter|notes|note|goodbye *6 when ~2 gone|dead'
	),
	e(SH, 'urgent', 'goodbye letters', 'goodbye|suicide letter|letters|note|notes'),
	e(SH, 'urgent', "don't want to be alive", 'not want|wanna ~1 to ~1 be ~1 alive|here|living|around', noNeg),
	e(SH, 'review', 'hate myself', 'i ~2 hate|hates|hated myself|my_life'),
	e(SH, 'review', 'giving possessions away', 'giving|gave|give ~2 his|her|their|my ~1 stuff|things|belongings ~1 away'),
	e(
		SH,
		'review',
		'not eating / making self sick',
		'throw|throwing|threw|being|be sick|up ~3 after ~2 eat|eating|ate|meal|meals|food'
	),
	e(SH, 'review', 'not eating / making self sick', 'make|makes|making|made @SELF3|myself ~1 sick|vomit|throw_up'),
	// Physical abuse: rough handling, marks, weapons, threats, "goes for me".
	e(
		PA,
		'urgent',
		'rough handling',
		'@PERP ~4 @GRAB @ME|my ~4 down|against|into|so_hard|hard|stairs|wall|floor|hair|neck|throat|by_the'
	),
	e(PA, 'review', 'leaves marks', 'leave|leaves|left|leaving ~2 mark|marks|bruise|bruises|bruising|scratches|scars'),
	e(PA, 'review', 'injury marks', 'burn|burns|cigarette|belt|hand|finger|grab ~1 mark|marks|bruise|bruises|scar'),
	e(PA, 'review', 'said a parent did it', 'said|says|told|tell ~3 @FAM|he|she ~1 did|does|done it|this|that', noNeg),
	e(
		PA,
		'urgent',
		'bruises from being hit',
		'bruise|bruises|bruising|marks|mark|cuts ~6 from|where|because|after|cos ~4 @HIT|@GRAB'
	),
	e(
		PA,
		'urgent',
		'threatened with a weapon',
		'threaten|threatens|threatened|threatening|came_at|comes_at|went_for @ME ~3 knife|gun|weapon|belt|bat|hammer|scissors|bottle'
	),
	e(PA, 'review', 'threatens me', 'threaten|threatens|threatened|threatening @ME|us|my'),
	e(
		PA,
		'urgent',
		'threat if I tell',
		'if i|we ~1 tell|told|say|said|speak *4 he|she|they|he_will|she_will|they_will|will|would|going ~3 hurt|kill|hit|beat|harm|stab|hurt_my|kill_my',
		noNeg
	),
	e(
		PA,
		'review',
		'threat if I tell',
		'if i|we ~1 tell|told|say|said|speak *4 will|would|going|gonna ~3 put|send|take|get|leave|go|do|lose|be',
		noNeg
	),
	e(PA, 'review', 'goes for me', '@PERP ~3 go|goes|going|went|come|comes|came|coming for|after @ME|her|him|us'),
	e(PA, 'urgent', 'goes for me', '@PERP ~3 go|goes|going|went|come|comes|came|coming for|after @ME'),
	e(
		PA,
		'urgent',
		'scared of what they will do',
		'scared|afraid|frightened|terrified|scare ~4 will|would|going|might ~3 come_after|hurt|kill|hit|do ~1 @ME|us|my'
	),
	e(
		PA,
		'urgent',
		'locked in a cupboard',
		'locked|lock|locks|locking|shut|shuts ~1 @ME ~1 in ~2 cupboard|shed|garage|dark|cellar|attic|loft|car|boot|cage'
	),
	e(
		PA,
		'urgent',
		'locked in a cupboard',
		'i ~2 get|got|am|was|been|being ~1 locked|shut ~1 in ~2 cupboard|shed|garage|dark|cellar|attic|loft|car|boot|cage'
	),
	e(
		PA,
		'review',
		'locked in',
		'locked|lock|locks|locking|shut|shuts ~1 @ME ~1 in ~2 cupboard|room|bedroom|shed|garage|bathroom|toilet|dark|attic|loft|car'
	),
	e(PA, 'review', 'locked in', 'i ~2 get|got|am|was|been ~1 locked|shut ~1 in|out'),
	e(PA, 'review', 'scared of family member', 'scared|afraid|frightened|terrified|scare ~1 of ~1 @FAM|him|her'),
	e(
		PA,
		'review',
		'frightened for our safety',
		'scared|afraid|frightened|terrified|fear ~1 for ~3 me|us|my|our ~2 kids|children|life|lives|safety'
	),
	e(
		PA,
		'urgent',
		'not safe at home',
		'not|never feel|feels|feeling|felt ~1 safe ~2 at|in|when ~3 home|house|dad|mum|he|she|stepdad',
		noNeg
	),
	e(PA, 'review', 'does not feel safe', 'not|never feel|feels|feeling|felt ~1 safe', noNeg),
	// Sexual abuse indicators that do not name the act.
	e(SA, 'urgent', 'does things to me', 'do|does|did|doing ~1 things|stuff|something|it ~1 to @ME'),
	e(
		SA,
		'urgent',
		'makes me do things',
		'make|makes|made|force|forces|forced|get|gets @ME ~2 do ~1 stuff|things|something|it ~4 not ~1 want|like',
		noNeg
	),
	e(
		SA,
		'review',
		'makes me do things',
		'make|makes|made|force|forces|forced @ME ~2 sit|sat|lie|lay|sleep|undress|kiss|cuddle|shower|bath|bathe|watch ~3 his|her|their|on|with|in|naked|him|her'
	),
	e(SA, 'review', 'sits me on lap', 'sit|sat|sits|sitting ~1 on|in ~1 his|her ~1 lap|knee'),
	e(
		SA,
		'urgent',
		'comes into my room at night',
		'@FAM|man|he|uncle|stepdad ~3 come|comes|came|coming|get|gets|got|sneak|sneaks|creep|creeps ~1 into|in ?to my ~1 room|bed|bedroom'
	),
	e(
		SA,
		'review',
		'comes into my room at night',
		'come|comes|came|coming|walk|walks|walked|get|gets ~1 into|in ?to ~1 my|the ~1 room|bed|bedroom|bathroom|shower ~4 night|shower|showering|bath|changing|undressed|asleep|sleeping'
	),
	e(SA, 'review', 'pretend to be asleep', 'pretend|pretends|pretended ~2 asleep|sleep|sleeping'),
	e(SA, 'review', 'feels wrong', 'feel|feels|felt ~1 wrong|weird|horrible|uncomfortable|dirty ~2 when|it|and'),
	e(SA, 'review', 'feels wrong', 'it|this|that ~1 feel|feels|felt ~1 wrong|weird|uncomfortable|dirty'),
	e(SA, 'review', 'says not to tell', 'say|says|said|tell|tells|told|make|makes|made ?me|us ~1 not ~2 tell|say', noNeg),
	e(
		SA,
		'review',
		'pictures of me shared',
		'share|shared|sharing|post|posted|posting|send|sent|leak|leaked|spread|spreading ~3 @PICS ~1 of @ME'
	),
	e(SA, 'review', 'pictures of me shared', '@PICS ~1 of @ME'),
	// Grooming and exploitation.
	e(
		SE,
		'review',
		'adult gives gifts or money',
		'give|gives|gave|giving|buy|buys|bought|buying|send|sends|sent|sending @ME ~3 @MONEYGIFTS'
	),
	e(
		SE,
		'review',
		'met online wants to meet',
		'met|meet|talking|talk|chatting|chat ~3 online|snapchat|snap|instagram|insta|tiktok|discord|xbox|roblox|fortnite|whatsapp|app|game *10 meet|meeting|see ~2 him|her|them|up|me'
	),
	e(SE, 'review', 'older person age', 'he|she|they|guy|man|boyfriend|girlfriend ~2 is|im|am # ', noNeg),
	e(
		SE,
		'review',
		'picked up by men',
		'picked|pick|picks|picking|drop|drops|dropped|dropping ~3 by|off|up ~3 older|different|adult|random|strange|grown men|man|guys|adults|cars'
	),
	e(
		SE,
		'review',
		'picked up by men',
		'older|different|adult|random|strange|grown ~1 men|man|guys|adults ~3 pick|picks|picked|picking|drop|drops|dropped|dropping'
	),
	e(
		SE,
		'review',
		'unexplained money or gifts',
		'expensive|new|designer|money|cash|trainers|clothes|phone ~4 not|cannot|never|will_not ~1 explain|say|tell',
		noNeg
	),
	e(
		SE,
		'review',
		'secret chats',
		'keep|keeping ~3 chats|messages|it|this|things|talking|us ~1 secret|private|between_us'
	),
	// Criminal exploitation.
	e(
		CE,
		'urgent',
		'made to carry or deliver',
		'have|had|got ~1 to|make|makes|made|force|forces|forced|tell|tells|told @ME ~5 drop|dropping|deliver|delivering|carry|carrying|run|running|sell|selling|hold|holding|hide|hiding|move|moving ~3 packages|package|parcels|parcel|drugs|bags|bag|stuff|weed|things|phones'
	),
	e(
		CE,
		'review',
		'has to deliver',
		'have|has|had|got to ~5 drop|dropping|deliver|delivering|carry|carrying|run|running|sell|selling|hold|holding|hide|hiding ~3 packages|package|parcels|parcel|drugs|bags|bag|weed|phones'
	),
	e(
		CE,
		'review',
		'made to steal',
		'make|makes|made|force|forces|forced|get|gets|got|tell|tells|told @ME ~2 ?to nick|steal|shoplift|rob|take'
	),
	e(CE, 'review', 'debt to work off', 'work|working|pay|paying ~2 it|debt|money ~1 off|back ~4 by|or|else'),
	e(CE, 'review', 'debt to work off', 'owe|owes|owed ~4 money|debt ~10 work|deliver|drop|sell|carry|pay|or_else|hurt'),
	e(CE, 'review', 'they know where I live', 'know|knows|found_out where i|we|my|you ~1 live|lives|family'),
	// Neglect.
	e(NG, 'review', 'not allowed to eat', 'not|never allowed|let ~1 to ~1 eat|food|dinner|tea|breakfast|drink', noNeg),
	e(
		NG,
		'review',
		'no food in the house',
		'not|never ~1 have|got|had|get ~1 any|enough ~1 food|money_for_food|dinner|tea|breakfast|to_eat',
		noNeg
	),
	e(
		NG,
		'review',
		'not eaten for days',
		'not|no ~1 had|eaten|ate|eat|been_fed|food|dinner|tea|breakfast|meal ~3 for|since|in ~2 days|day|#',
		noNeg
	),
	e(
		NG,
		'review',
		'struggle to feed',
		'struggle|struggling|struggled|can_not|cannot|could_not ~2 feed|afford_food',
		noNeg
	),
	e(NG, 'review', 'go without', 'go|goes|going|went|gone without ~1 food|meals|dinner|tea|breakfast|eating'),
	e(NG, 'review', 'go without', 'they|kids|children|we ~1 go|goes|went without', noNeg),
	e(
		NG,
		'review',
		'sent to school without food',
		'school|nursery ~3 with ~1 no|out ~1 lunch|breakfast|food|coat|shoes',
		noNeg
	),
	e(
		NG,
		'review',
		'no lunch most days',
		'no|without lunch|breakfast|food|dinner|tea ~3 most|every|all ~1 days|day|week|time',
		noNeg
	),
	e(
		NG,
		'review',
		'same clothes for weeks',
		'same|dirty|smelly ~1 clothes|uniform|outfit|pants|socks ~3 for|all ~2 week|weeks|days|month'
	),
	e(
		NG,
		'review',
		'taking food from others',
		'take|takes|taking|took|steal|steals|stealing|stole ~1 food|sandwiches|snacks|lunches ~2 from|off'
	),
	e(NG, 'review', 'nobody at home', 'there|theres|is ~1 noone|nobody ~1 in|home|there|about|around', noNeg),
	e(NG, 'review', 'forgets to pick me up', 'forget|forgets|forgot|forgetting ~2 to ~1 pick|collect|feed|get @ME|us'),
	e(
		NG,
		'review',
		'parent out all night',
		'@FAM ~2 is|are|goes|go|went|stays|stay|stayed|out|away ~1 out|away ~1 all night|overnight|every_night|till_late'
	),
	e(
		NG,
		'review',
		'young carer overnight',
		'look|looking|looked ~1 after ~3 brother|sister|siblings|baby ~3 all night|on_my_own|by_myself|alone'
	),
	e(NG, 'review', 'alone all night', 'alone|on_my_own|by_myself ~2 all night|overnight|at night|every_night'),
	// Domestic abuse and coercive control.
	e(
		DA,
		'review',
		'controls money or movement',
		'@FAM|he|she ~2 control|controls|controlling|controlled ~3 money|everything|me|where|who|what|my'
	),
	e(
		DA,
		'review',
		'not allowed out',
		'not|never ~1 allowed|let|allow ~2 out|see_my_friends|see_friends|leave ~3 without|unless|on_my_own',
		noNeg
	),
	e(
		DA,
		'review',
		'ex turns up',
		'ex ~3 turn|turns|turned|turning|keep|keeps ~2 up|follow|follows|following|stalk|stalks|stalking|watching|at_the_house'
	),
	e(
		DA,
		'review',
		'smashes things',
		'@FAM|he|she ~3 throw|throws|threw|throwing|smash|smashes|smashed|smashing|break|breaks|broke|breaking|punch|punches|punched ~2 stuff|things|plates|furniture|walls|wall|doors|door|tv'
	),
	e(
		DA,
		'review',
		'hiding from them',
		'hide|hides|hid|hiding ~3 upstairs|under|in_my_room|in_the_bathroom|in_our_room|from_him|from_her|when'
	),
	e(
		DA,
		'review',
		'checks my phone',
		'check|checks|checking|track|tracks|tracking|read|reads|go_through|goes_through ~1 my ~1 phone|messages|location'
	),
	// Emotional abuse.
	e(
		EA,
		'review',
		'told I am worthless',
		'tell|tells|told|call|calls|called|say|says|said|think|thinks ~2 i|im|me ~1 am|was|is ~1 worthless|useless|stupid|fat|ugly|a_mistake|pathetic|nothing|disgusting|a_waste|a_burden|the_reason|evil|rubbish'
	),
	e(
		EA,
		'review',
		'shouted at at home',
		'get|gets|got|am|was|being|been ~1 screamed|shouted|yelled|sworn ~1 at ~4 home|every|all_the_time|always|every_day|every_night|when'
	),
	e(EA, 'review', 'wishes I was never born', 'wish|wishes|wished ~3 never|not ~1 had|have|adopted|born ~1 me', noNeg),
	e(EA, 'review', 'everyone hates me', 'everyone|everybody|they|all|whole ~2 hate|hates|hating me', noNeg),
	// Missing, locked out, cannot go home.
	e(MS, 'review', 'cannot go home', 'not|never|cannot|can_not ~1 go|going|get ~1 back ~1 home', noNeg),
	e(MS, 'review', 'cannot go home', 'can not|cannot ~1 go ~1 home', noNeg),
	e(MS, 'review', 'not let in the house', 'not|never let ~1 @ME ~2 in|into|back ~2 house|home|flat', noNeg),
	e(MS, 'review', 'locked out', 'lock|locks|locked|locking|shut|shuts @ME|us ~1 out'),
	e(
		MS,
		'review',
		'sleeping at other houses',
		'sleep|sleeping|slept|stay|staying|stayed|living ~4 mates|friends|different|other ~2 houses|house|sofas|sofa|places ~3 for|most|every ~2 weeks|week|nights|night|months'
	)
	// Third party (practitioner / parent).
];

/** Hand-made misspelling and slang map applied to single tokens before stemming. */
export const MISSPELLINGS: Record<string, string> = {
	kil: 'kill',
	kiled: 'killed',
	kms: 'kill myself',
	kys: 'kill yourself',
	unalive: 'kill myself',
	unaliving: 'killing',
	unalived: 'killed',
	unalives: 'kills',
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
	nt: 'not',
	hes: 'he is',
	shes: 'she is',
	theyre: 'they are',
	theyll: 'they will',
	youll: 'you will',
	youre: 'you are',
	pls: 'please',
	plz: 'please',
	evry: 'every',
	evryone: 'everyone',
	evrything: 'everything',
	nobdy: 'nobody',
	nobodys: 'nobody is',
	noones: 'noone is',
	everyones: 'everyone is',
	til: 'till',
	tho: 'though',
	bf: 'boyfriend',
	gf: 'girlfriend'
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
