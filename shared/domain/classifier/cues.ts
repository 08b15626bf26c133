import type { EventType } from '../types.ts';

/**
 * The classifier's shared vocabulary of cues: which types are conflict, which need a state
 * actor, how clauses are marked as background or context, and the topic filters.
 */

/** Relevance is judged on the headline and this many sentences after it (TAXONOMY.md). */
export const STANDFIRST_SENTENCES = 3;

/** Acts of one state against the other: never background-born types, and they keep a direction. */
export const CONFLICT: EventType[] = ['strike', 'border_incident', 'envoy_recall', 'protest'];
/** Types an item about people rather than states ("Pakistani traders") must not get on its own. */
export const NEEDS_STATE_ACTOR: EventType[] = ['other', 'trade_energy', 'talks', 'visit'];

/** Tie-break among triggers at the same place. */
export const PRIORITY: EventType[] = ['strike', 'envoy_recall', 'border_incident', 'envoy_return', 'de_escalation', 'protest', 'agreement', 'visit', 'trade_energy', 'talks', 'other'];

/** Everything after one of these, up to the next clause break, is background. */
export const BACKGROUND_CUE =
  /\b(?:after|following|amid|amidst|since|over|under|in the wake of|in wake of|in response to|respond to|responds to|responded to|in retaliation for|in retaliation to|in retaliation against|in protest at|in protest against|days after|weeks after|a day after|hours after|retaliating for|despite|because of|due to|blamed for|behind|for the|against the backdrop of|who had|which had|that had|before the)\b/gi;
/** Words just before an event word that make it background: an earlier act, or a habit ("has often accused"), not today's news. */
export const BACKGROUND_WORDS = /\b(?:last (?:week|month|year)'s|earlier|recent|previous|past|former|tit-for-tat|often|frequently|repeatedly|routinely|usually|long|historically|on one occasion)\b/i;
/** "during the Raisi visit", "on the sidelines of": context of the news, not the news. */
export const CONTEXT_CUE = /\b(?:during|on the sidelines of|on the margins of|on the margin of|at the end of|ahead of|at a|at an|at the|in a|for a|to discuss|for talks|for the)\s+(?:\S+\s+){0,3}$/i;
export const CLAUSE_BREAK = /[,;:—–]|\s-\s|\s--\s/;

/** "China urges restraint" is not the two agreeing to de-escalate. */
export const APPEAL_BEFORE = /\b(?:urg(?:e|es|ed|ing)|call(?:s|ed)? (?:for|on)|appeal(?:s|ed)?|ask(?:s|ed)|press(?:es|ed)|hope(?:s|d)?|want(?:s|ed)?|wish(?:es)?|seek(?:s)?|offer(?:s|ed)? to help|mediat\w*)\b[^.;:!?]{0,60}$/i;

export const BILATERAL =
  /\b(?:bilateral|counterparts?|between the two|both (?:countries|sides|nations|neighbou?rs|governments|states)|the two (?:countries|sides|neighbou?rs|nations|governments|states|ministers|foreign ministers|leaders|presidents|prime ministers|armies|militaries|capitals)|two neighbou?rs|each other|one another|mutual(?:ly)?|trilateral|sidelines|margins|joint)\b/i;
export const BOTH_SIDES = /\b(?:the two (?:countries|sides|neighbou?rs|nations|governments|states|capitals)|both (?:countries|sides|nations|neighbou?rs|governments|states)|two neighbou?rs)\b/i;
/** Explainers, opinion and round-ups are not events (TAXONOMY.md). */
export const EXPLAINER = /^(?:analysis|explainer|explained|opinion|podcast|video|watch|listen|comment|editorial|column|q&a|timeline|profile|factbox|fact ?check|in pictures|in depth|long read|view|viewpoint|blog)\s*[:|-]/i;
export const MARKETS = /\b(?:rupee|rial|stocks?|shares|bourse|KSE|PSX|Brent|crude (?:prices|futures)|oil prices|gold (?:prices|hits|rises|falls)|markets? (?:rise|fall|slip|jump|rally|tumble)|investors|equities|bond yields?)\b|^(?:oil|gold|rupee)\b/i;
export const SPORT =
  /\b(?:cricket|football|futsal|hockey|volleyball|basketball|wrestl\w+|kabaddi|squash|snooker|tournament|championships?|semi-?finals?|quarter-?finals?|(?:in|into|the|cup) final|friendly match|world cup|asian games|olympic\w*|medals?|squad|league|T20|ODI|innings|wickets?|goalkeeper|athletes?)\b/i;
export const DEATHS = /\b(?:kill(?:s|ed|ing)?|dead|deadly|deaths?|martyr(?:ed|s|dom)?|lives|casualt(?:y|ies)|died|bodies|fatal\w*|slain|shot dead|massacre)\b/i;
export const HEAD_OF_STATE = /\b(?:presidents?|prime ministers?|premiers?|PMs?|foreign ministers?|FMs?|supreme leader|caretaker premier)\b/i;
export const STATE_FIRE = /\b(?:forces?|guards?|troops|soldiers|army|military|jets?|missiles?|drones?|mortars?|artillery|shell(?:s|ed|ing)?|rockets?|fired|opened fire|IRGC|FC|Frontier Corps|Revolutionary Guards?)\b/i;
/** An intruding drone or aircraft brought down: "shot down", "shoots down", "shooting down", "downed". */
export const SHOT_DOWN = /\b(?:shoot(?:s|ing)? down|shot down|downed)\b/i;
export const OFFICIAL_LEVEL = /\b(?:officials?|secretar(?:y|ies)|deputy|director|commission|committee|working group|consultations|technical|border officials|experts|delegations?)\b/i;

/** A demonym followed by one of these is a state actor ("Iranian guards"), not civilians. */
export const STATE_NOUN =
  /^(?:\s+(?:and|[\w-]+(?:'s|’s)?)){0,4}?\s+(?:FMs?|minister|ministers|ministry|presidents?|PMs?|premiers?|prime ministers?|ambassadors?|envoys?|embass(?:y|ies)|consulate|consul|diplomats?|officials?|government|authorities|forces|guards?|army|troops|soldiers|navy|military|delegation|leaders?|leadership|spokes\w*|parliament|lawmakers|speaker|chief|commander|counterpart|side|jets?|missiles?|drones?|projectiles|rockets?|mortars?|shells|munitions|aircraft|warplanes|boats|vessels|strikes?|attacks?|raids?|shelling|fire|firing|operations?|incursions?|advisers?|secretar(?:y|ies)|negotiators|delegates|police|officers?|red crescent|judiciary|court|state|nation|people|capital|territory|soil|airspace|waters|leg|section|part)\b/i;
