import type { EventType } from './types.ts';

/**
 * Words that report each event type (TAXONOMY.md), as patterns over one sentence. A pattern
 * stays inside a clause (`W` never crosses . ; : ! ?). `unless` vetoes a match in sentences
 * that say the opposite (polarity traps: "ambassador returns to post" is not a recall).
 */
export interface Trigger {
  type: EventType;
  pattern: RegExp;
  unless?: RegExp;
  /** the sentence must also say this (e.g. who crossed: forces, not traders) */
  requires?: RegExp;
  /**
   * Killings and kidnappings at the border are the two states' business only when the sentence
   * ties them across the line (attackers from or fled to the other side, the other's forces,
   * blame): "guards killed by militants near the border" alone is not an incident between them.
   */
  attributed?: boolean;
}

const W = '[^.;:!?]';
const ENVOY = '(?:ambassadors?|envoys?|high commissioners?|diplomats?|consul(?:s|ar officials?| generals?)?|charg[eé]s? d.affaires|heads? of mission|(?:its|his|their) man)';
const GO_HOME = '(?:return(?:ing)? home|to (?:go|come|head) (?:back )?home|to leave|not (?:to )?return|not be allowed (?:back|to return)|not be (?:welcome|permitted)|stay away|kept away|keep away|remain (?:away|in \\w+))';

export const EVENT_LEXICON: Trigger[] = [
  // --- envoy_recall: recall, expel, bar, downgrade, suspend visits ---
  { type: 'envoy_recall', pattern: new RegExp(`\\b(?:recall(?:s|ed|ing)?|calls? back|called back|pull(?:s|ed)? (?:out|back)|withdr[ae]w(?:s|n)?)\\b${W}{0,50}\\b${ENVOY}|\\b${ENVOY}\\b${W}{0,40}\\b(?:recalled|called back|withdrawn|pulled out)\\b`, 'i') },
  { type: 'envoy_recall', pattern: new RegExp(`\\b(?:pull(?:s|ed|ing)?|withdr[ae]w(?:s|n)?|call(?:s|ed)?)\\s+(?:[\\w'’-]+\\s+){0,3}?${ENVOY}\\s+(?:out|back|home)\\b`, 'i') },
  { type: 'envoy_recall', pattern: new RegExp(`\\b(?:expel(?:s|led|ling)?|declares?|declared)\\b${W}{0,40}\\b(?:${ENVOY}|persona non grata)|\\b${ENVOY}${W}{0,30}\\bexpelled\\b`, 'i') },
  { type: 'envoy_recall', pattern: new RegExp(`\\b(?:ask(?:s|ed)?|tell(?:s)?|told|order(?:s|ed)?|direct(?:s|ed)?|instruct(?:s|ed)?)\\b${W}{0,50}\\b${GO_HOME}`, 'i') },
  { type: 'envoy_recall', pattern: new RegExp(`\\b${ENVOY}${W}{0,60}\\b(?:will|would|should|must|to)\\s+(?:not\\s+)?${GO_HOME}`, 'i') },
  { type: 'envoy_recall', pattern: new RegExp(`\\b(?:bar(?:s|red|ring)?|block(?:s|ed)?|stop(?:s|ped)?|prevent(?:s|ed)?|den(?:y|ies|ied))\\b${W}{0,40}\\b${ENVOY}`, 'i') },
  { type: 'envoy_recall', pattern: /\b(?:downgrad(?:e|es|ed|ing)|sever(?:s|ed|ing)?|suspend(?:s|ed|ing)?|freez(?:e|es|ing)|froze|cut(?:s|ting)?|put(?:s|ting)?\b[^.;:!?]{0,40}\bon hold)\b[^.;:!?]{0,40}\b(?:diplomatic )?(?:ties|relations|(?:high-level |bilateral |official |ministerial )?(?:visits|exchanges|engagements|contacts))\b|\b(?:visits|exchanges|engagements)\b[^.;:!?]{0,30}\b(?:suspended|on hold|frozen)\b/i, unless: /\b(?:lift(?:s|ed)?|end(?:s|ed)?|resum(?:e|es|ed)|restor(?:e|es|ed)|was over|reopen)\b/i },
  // --- envoy_return: ambassadors back in post, relations restored ---
  { type: 'envoy_return', pattern: new RegExp(`\\b${ENVOY}\\b${W}{0,60}\\b(?:return(?:s|ed|ing)?|go(?:es)? back|went back|head(?:s|ed)? back|(?:is|are|was|were|be) back|back)\\s+(?:to|in|at)\\s+(?:their|his|her|the|respective|\\s)*(?:posts?|duties|missions?|embass(?:y|ies)|capitals?|Tehran|Islamabad|work)\\b`, 'i') },
  { type: 'envoy_return', pattern: new RegExp(`\\b${ENVOY}\\b${W}{0,60}\\bresum(?:e|es|ed|ing)\\s+(?:their|his|her)?\\s*(?:diplomatic\\s+|official\\s+)?(?:duties|work|functions|charge)\\b`, 'i') },
  { type: 'envoy_return', pattern: new RegExp(`\\b(?:return|reinstate(?:ment)?|restor(?:e|es|ed|ation|ing)|send(?:s|ing)? back|sent back)\\s+(?:of\\s+)?(?:their|the|both|respective|\\s)*${ENVOY}|\\bsen(?:d|ds|ding|t)\\s+(?:their\\s+|the\\s+|its\\s+)?${ENVOY}\\s+back\\b|\\b${ENVOY}${W}{0,30}\\b(?:to|will|would|may|can)\\s+(?:return|resume|go back)\\b(?!\\s+home)`, 'i'), unless: new RegExp(GO_HOME, 'i') },
  { type: 'envoy_return', pattern: /\b(?:restor(?:e|es|ed|ing)|normali[sz](?:e|es|ed|ing)|resum(?:e|es|ed|ing)|mend(?:s|ed)?|repair(?:s|ed)?)\b[^.;:!?]{0,25}\b(?:full\s+)?(?:diplomatic\s+)?(?:ties|relations)\b|\b(?:ties|relations)\b[^.;:!?]{0,15}\b(?:normali[sz]e[sd]?|restored|back to normal)\b/i },
  { type: 'envoy_return', pattern: new RegExp(`\\b${ENVOY}\\b${W}{0,30}\\b(?:will|would|to|may|can|should)\\s+be\\s+back\\b`, 'i') },
  { type: 'envoy_return', pattern: new RegExp(`\\b${ENVOY}\\b${W}{0,30}\\b(?:lands?|landed|arriv(?:es|ed)|is back|returns?|returned)\\s+(?:in|to)\\s+(?:Tehran|Islamabad)\\b`, 'i'), unless: /\bnew (?:ambassador|envoy)\b/i },
  { type: 'envoy_return', pattern: /\b(?:lift(?:s|ed|ing)?|end(?:s|ed)?)\b[^.;:!?]{0,30}\b(?:suspension|freeze|ban)\b[^.;:!?]{0,30}\b(?:visits|exchanges|contacts|engagements)\b/i },
  // --- visit ---
  { type: 'visit', pattern: /\b(?:visit(?:s|ed|ing)?|state visit|official visit|trip(?:s)? to|tour(?:s|ed)? of|arriv(?:e|es|ed|ing) in|arrival in|land(?:s|ed)? in|fl(?:y|ies|ew) (?:in)?to|arriv(?:e|es|ed|ing) (?:for|on) (?:talks|a |an |two|three|four|\w+-day)|pa(?:ys?|id) (?:a |an )?(?:\w+ )?visit|reach(?:es|ed)? (?:Tehran|Islamabad)|to host|host(?:s|ed|ing)? |welcom(?:e|es|ed|ing) |received by|receives? |calls? on (?:President|PM|Prime Minister|Supreme Leader|the supreme leader|Ayatollah|[A-Z][a-z]+\b(?! to))|invit(?:e|es|ed|ation)\b)/, unless: /\b(?:ambassador|envoy) (?:lands|arrives|is back)\b|\bvisit\w*\s+(?:the\s+)?(?:[\w-]+\s+)?(?:embassy|consulate|high commission|mausoleum|shrine)\b|\b(?:warships?|frigates?|flotilla|naval|navy|vessels?|port (?:call|visit))\b|\bwelcom\w*\s+(?:the\s+|this\s+|a\s+)?(?:[\w-]+\s+){0,3}?(?:agreement|deal|decision|move|step|signing|announcement|statement|initiative|resumption|restoration|accord|ceasefire|truce|news|efforts?|progress|easing|reduction|de-escalation|talks|dialogue|peace)\b|\b(?:suspend\w*|freez\w*|froze|halt\w*|cancel\w*|on hold)\b[^.;:!?]{0,40}\bvisits\b|\bvisits\b[^.;:!?]{0,30}\b(?:suspended|frozen|on hold|halted)\b/i },
  // Journeys are visits when an office holder makes them ("PM leaves for Tehran"), not students or pilgrims.
  { type: 'visit', pattern: /\b(?:travel(?:s|led|ling)? to|head(?:s|ed|ing)? (?:to|for)|lea(?:ves?|ving) for|left for|depart(?:s|ed|ing)? for|en route to|is arriving|arriving (?:here|today|tomorrow))\b/i, requires: /\b(?:minister|president|premier|PM|FM|DPM|prime minister|delegation|speaker|chief|envoy|leader|officials?|general|commander|secretary|ambassador|senator|governor|chairman)s?\b/i },
  // Warships calling at a port are a gesture between navies, not a leaders' visit.
  { type: 'other', pattern: /\bport (?:call|visit)\b|\b(?:warships?|frigates?|flotilla|(?:naval|navy) (?:ships?|vessels?|fleet|flotilla|training squadron))\b[^.;:!?]{0,40}\b(?:arriv\w+|dock\w*|call\w* (?:at|on)|visit\w*)\b/i },
  // --- talks ---
  { type: 'talks', pattern: /\b(?:talks|talk by phone|phone (?:call|conversation)|(?:tele)?phon(?:e|es|ed|ic)|video (?:call|link|conference)|(?:bilateral|trilateral|tripartite|two-nation|three-nation|three-way) summit|summit (?:talks|meeting) with|talk(?:s|ed|ing)? (?:to|with)|(?:by|over the) phone|spoke|speaks?|call(?:s|ed)? with|calls? (?:his|her|Iranian|Pakistani|Iran's|Pakistan's)|meet(?:s|ing|ings)?|met|discuss(?:es|ed|ion|ions)?|consultations?|dialogue|confer(?:s|red)?|held (?:a )?(?:meeting|talks)|bilateral (?:meeting|talks)|review(?:s|ed)? (?:ties|relations|cooperation)|exchange(?:d)? views|raise[sd]?\b[^.;:!?]{0,40}\bwith)\b/i, unless: /\b(?:meet(?:s)? (?:in|at) (?:the )?(?:final|semi))/i },
  // "Rouhani calls Imran Khan": a call to a named person (capitalised, so not "calls for", "calls on").
  { type: 'talks', pattern: /\b(?:[Cc]all(?:s|ed)|[Pp]hon(?:es|ed)|[Rr]ang)\s+(?!On\b|For\b|Off\b|Back\b|In\b)(?:(?:PM|FM|DPM|President|Premier|Prime Minister|Foreign Minister|counterpart)\b|[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)/ },
  // --- agreement ---
  { type: 'agreement', pattern: /\b(?:sign(?:s|ed|ing)?(?!\s+(?:a\s+|the\s+)?(?:condolence|book))|ink(?:s|ed)?|MoUs?|memorand(?:um|a)|deal|pact|accord|agreements?|joint (?:communiqu[eé]|declaration|statement)|road ?map|mechanism|framework)\b/i, unless: /\b(?:sanctions?|waiver)\b/i },
  { type: 'agreement', pattern: /\bagree(?:s|d)?\b(?!\s+(?:that|with)\b)(?!\s+(?:on|to)\s+(?:de-?escalat|(?:ease|defuse|lower|reduce|calm|cool)\s+(?:the\s+)?(?:tensions?|row|crisis|situation|temperatures?)|put|move on|work together to (?:lower|ease|reduce)))/i },
  // "Pakistan and Iran decide to form a joint security commission": measures the two settle on.
  { type: 'agreement', pattern: /\b(?:decide[sd]?|decision|resolve[sd]?)\s+to\s+(?:form|set up|establish|open|build|boost|expand|enhance|increase|resume|keep|launch|create|hold|jointly|work together|cooperate|step up)\b|\b(?:form|set up|establish|create)\s+(?:a\s+)?joint\s+(?:\w+\s+)?(?:commission|committee|mechanism|working group|task force|force|patrols?)\b/i },
  // --- de_escalation: the two agree to lower tensions ---
  { type: 'de_escalation', pattern: /\bde-?escalat(?:e|es|ed|ing|ion)\b|\bdisengag\w+|\b(?:pull(?:s|ed|ing)? back|withdraw(?:s|n|ing)?|withdrew|redeploy\w*)\s+(?:their\s+|its\s+)?(?:troops|forces|soldiers)\b|\b(?:ease|eased|eases|easing|defuse|defused|defusing|lower|lowered|reduce|reduced|calm|calmed|cool|cooled|cooling)\b[^.;:!?]{0,25}\b(?:tensions?|row|crisis|situation|temperatures?)\b|\b(?:tensions?)\b[^.;:!?]{0,20}\b(?:should be reduced|eased|de-?escalate)|\bstep(?:s|ped)? back from\b|\b(?:crisis|row|dispute|misunderstanding)\b[^.;:!?]{0,20}\b(?:resolved|over|behind them)\b|\bput\b[^.;:!?]{0,30}\bbehind them\b|\bend\b[^.;:!?]{0,10}\bmisunderstanding\b|\bmove on\b/i },
  // --- protest ---
  { type: 'protest', pattern: /\b(?:summon(?:s|ed|ing)?|condemn(?:s|ed|ing)?|protest(?:s|ed)?|d[ée]marche|accus(?:e|es|ed|ing)|lodg(?:e|es|ed) (?:a )?(?:strong )?protest|warn(?:s|ed|ing)?|threat(?:en|ens|ened)?|slam(?:s|med)?|denounc(?:e|es|ed)|rebuk(?:e|es|ed)|blam(?:e|es|ed)|reject(?:s|ed)|(?<!\b(?:Iranian|Pakistani|domestic|strong|weak|rising|growing|falling|consumer|market|energy|gas|fuel|oil|power|export|import|public|local|global)\s)demand(?:s|ed)?|strong concern|conveyed (?:its )?(?:strong )?concern|serious concern|regrets?|unacceptable|violation of (?:its |our |their )?(?:airspace|sovereignty|territor(?:y|ial)|border))\b/i, unless: /\b(?:condolences?|sympath(?:y|ies|ise|ize)|solidarity)\b/i },
  // "urges Iran to bring the killers to justice", "seeks justice", "asks Pakistan to act against the
  // attackers": a demand for action is a protest (TAXONOMY.md), even in a polite verb.
  { type: 'protest', pattern: /\b(?:seek(?:s|ing)?|sought|demand(?:s|ed|ing)?|call(?:s|ed|ing)? (?:on|for|upon)|urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|press(?:es|ed|ing)?|want(?:s|ed)?)\b[^.;:!?]{0,80}\b(?:justice|probe|investigat\w*|punish\w*|prosecut\w*|action against|act against|take (?:strict |stern |immediate |effective )?action|arrest\w*|hand over (?:the )?(?:attackers|culprits|perpetrators|terrorists|militants)|dismantl\w*|crack ?down)\b/i },
  // --- strike: air, missile, drone or artillery strike by one state on the other's territory ---
  { type: 'strike', pattern: /\b(?:air|missile|drone|aerial|retaliatory|precision|artillery|rocket|military|cross-border)[ -]?(?:strikes?|attacks?|raids?|operations?)\b/i, unless: /\b(?:Israel\w*|US|American|India\w*) (?:air|missile|drone|military|retaliatory)/i },
  { type: 'strike', pattern: /\b(?:launch(?:es|ed)?|carr(?:y|ies|ied) out|conduct(?:s|ed)?)\b[^.;:!?]{0,30}\b(?:strikes?|attacks?|raids?|operations?)\b|\bstrikes?\s+(?:on|in|inside|against|into|targeting)\b|\b(?:missiles?|drones?|munitions|warplanes|jets)\b[^.;:!?]{0,40}\b(?:hit|struck|land(?:ed)?|used against|fired (?:at|into))\b|\bfires? (?:missiles?|drones?)\b/i },
  // An airspace violation is the strike told from the side that suffered it.
  { type: 'strike', pattern: /\b(?:violat\w+ (?:of )?(?:its |our |their |\w+(?:'s|’s) )?airspace|airspace violations?)\b/i },
  // --- border_incident ---
  { type: 'border_incident', pattern: /\bborder\s+(?:clash(?:es)?|firing|fire|skirmish(?:es)?|incident|attack|shoot-?out|closure|closed|crossings?\s+(?:closed|shut)|(?:gates?|points?)\s+(?:closed|shut))/i },
  { type: 'border_incident', pattern: /\bborder\s+guards?\b[^.;:!?]{0,40}\b(?:killed|martyred|dead|wounded|injured|abducted|kidnapped|freed)/i, attributed: true },
  { type: 'border_incident', pattern: /\b(?:clos(?:e|es|ed|ing)|shut(?:s|ting)?|seal(?:s|ed|ing)?)\b[^.;:!?]{0,40}\b(?:borders?|frontiers?|crossings?|gates?)\b|\b(?:borders?|frontiers?|crossings?|gates?)\b[^.;:!?]{0,30}\b(?:closed|shut|sealed)\b/i, unless: /\b(?:reopen(?:s|ed)?|opens? for trade)\b/i },
  { type: 'border_incident', pattern: /\bcross-border\s+(?:firing|fire|shelling|attack|raid|incursion|terror\w*)|\b(?:shelling|mortars?|firing|shells?|rockets?|projectiles)\b[^.;:!?]{0,30}\b(?:across|land(?:ed|s)? in|hit|from|into)\b|\bfrom (?:Iranian|Pakistani|Afghan|the Iranian|the Pakistani) (?:soil|territory|side)\b|\b(?:shoot(?:s|ing)?|shot) down\b|\bdowned\b/i },
  { type: 'border_incident', pattern: /\b(?:crossed|chase[sd]?|pursu\w+)\b[^.;:!?]{0,40}\binto\b/i, requires: /\b(?:forces|troops|guards|soldiers|personnel|IRGC|army|military|jets|aircraft|drones?)\b/i },
  { type: 'border_incident', pattern: /\b(?:guards?|soldiers?|troops|personnel|border police|FC|traders|carriers|labou?rers|workers|fishermen|smugglers)\b[^.;:!?]{0,60}\b(?:killed|martyred|dead|shot|abducted|kidnapped)\b[^.;:!?]{0,60}\b(?:by|from|near|across|into|at)\b/i, attributed: true },
  { type: 'border_incident', pattern: /\b(?:killed|shot dead|shot|fired on|opened fire on)\b[^.;:!?]{0,30}\bby\b[^.;:!?]{0,20}\b(?:border (?:forces|guards|police)|guards|security forces|forces)\b/i, attributed: true },
  // --- trade_energy ---
  { type: 'trade_energy', pattern: /\b(?:gas pipeline|pipeline|barter|trade|border markets?|sustenance markets?|markets? (?:at|on|along) the border|electricity|power (?:supply|exports?|line|imports?)|megawatts?|LPG|LNG|oil|fuel|energy|exports?|imports?|commerce|economic cooperation|free trade|customs|tariffs?|freight|rail link|train|crossing point|joint economic commission|banking)\b/i, unless: /\bsmuggl\w+|\bcontraband\b/i },
  // --- other: consular, pilgrims, condolences, prisoners ---
  { type: 'other', pattern: /\b(?:help(?:s|ed|ing)?\s+(?:[\w-]+\s+){0,2}(?:nab|arrest|capture|catch|track down|apprehend)|thank(?:s(?! to\b)|ed|ing)?|gratitude|grateful|memorial|tribute|hail(?:s|ed)?\b[^.;:!?]{0,40}\b(?:appointment|election|elected|victory)|(?:pledg\w+|vow\w*|promis\w+|assur\w+|offer(?:s|ed)?|committed to|commitment to)\b[^.;:!?]{0,30}\b(?:cooperat\w+|help|support|assistance)|condolences?|condoles?|mourn\w*|greetings|felicitat\w+|congratulat\w+|good wishes|flags? (?:lowered|at half-mast)|sympath(?:y|ies|ise|ize)|solidarity|pilgrims?|zaireen|prisoners?|extradit(?:e|es|ed|ion)|consular|visas?|fishermen|repatriat(?:e|es|ed|ion)|hand(?:s|ed)? over|bodies|remains|funeral|relief|aid|evacuat\w+|credentials|frees?|freed|releases?d?|brotherly)\b/i },
];
