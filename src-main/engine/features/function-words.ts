// The function-word view (issue 11): stylometry's classic signal (Mosteller and Wallace; Burrows's
// Delta reads the most frequent words, nearly all of them function words). A fixed list, so every
// library is compared by the same words: articles and determiners, pronouns, prepositions,
// conjunctions, auxiliary and modal verbs with their common contractions, and the adverbs and
// particles that carry grammar rather than topic. No "'s" forms ("that's", "let's"): the tokenizer
// cuts a possessive 's, so they count as "that" and "let".
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `a an the this that these those each every either neither some any no none all both half several
  many much more most few fewer less least little enough such what whatever which whichever whose
  i me my mine myself we us our ours ourselves you your yours yourself yourselves thou thee thy thine
  he him his himself she her hers herself it its itself they them their theirs themselves one oneself
  who whom whoever somebody someone something anybody anyone anything nobody nothing everybody
  everyone everything other another
  about above across after against along amid among around as at before behind below beneath beside
  besides between beyond but by despite down during except for from in inside into like near of off
  on onto out outside over past per since than through throughout till to toward towards under
  underneath unlike until unto up upon via with within without
  and or nor so yet because although though while whilst whereas if unless whether lest once
  when whenever where wherever why how then there here thus hence therefore however moreover
  nevertheless otherwise
  be am is are was were been being have has had having do does did done doing shall should will
  would may might must can could ought need dare
  don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't
  shouldn't mustn't shan't i'm i've i'll i'd you're you've you'll you'd he'd he'll she'd she'll we're
  we've we'll we'd they're they've they'll they'd it'll
  not never also very too quite rather almost only just even still already again ever always often
  perhaps indeed yes now soon else instead`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);
