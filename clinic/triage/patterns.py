"""The warning signs, written as token patterns over keys (see :mod:`clinic.triage.lexicon`).

The patterns run on a Doc whose words are the keys (so the Matcher's native ``LOWER``
attribute is the key: much faster than a custom attribute).

A pattern is a string of space-separated steps: ``a|b|c`` matches one token whose key
is one of the words, ``?a|b`` makes that token optional and ``*N`` skips up to N
words (no punctuation). Each rule has a label ``category.sign``; the categories are
those of :data:`CATEGORIES`, and :data:`EMERGENCY_LABELS` send the patient to 998.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

CATEGORIES = (
    "infection", "allergic", "vascular", "tissue_damage", "lump", "pain", "systemic",
    "weakness", "numbness", "swelling", "worsening",
)

COLOURS = "white|grey|blue|purple|black|mottled"
SITES = "lip|eye|throat|tongue|mouth|face"
LUMPS = "lump|bump"
HURT = "pain|painful|hurt|ache|sore"
STRONG = ("bad|badly|severe|terrible|horrible|awful|worst|unbearable|killer|sharp|throbbing|excruciating|crazy"
          "|insane|mad|pounding|splitting|blinding"
          "|horrendous|horrific|dreadful|immense|searing|agony")
MORE = "worse|worsen|increase|grow|big|bigger|large|larger|spread|more|expand|double|triple"
CANT = "can|could|able|unable"
# parts of the body away from the treated face, and words for an inflamed lump
BODY = "chest|back|arm|arms|leg|legs|neck|body|stomach|tummy|belly|hand|hands"
INFLAMED = "red|tender|sore|angry|inflamed|hot|painful"
FALLEN = "drop|droop|fall|sag|frozen|freeze|paralyse"
# what follows "able to see" / "no longer see" when it is about the eyes
SEEING = "properly|clearly|straight|out|from|anything|well|unless"


@dataclass(frozen=True)
class Rule:
    label: str
    patterns: Tuple[str, ...]
    # the meaning includes a negation ("can't breathe", "won't go away"): a negation
    # word inside the match does not cancel it
    negation_inside: bool = False
    # may span "but"/"though" within a sentence ("the pain was fine but now it's really bad")
    cross_clause: bool = False


RULES: List[Rule] = [
    # infection
    Rule("infection.pus", ("pus", "weep", "ooze", "discharge", "drain", "leak",
                            "yellow|green|cloudy|smelly ?and *1 fluid|liquid|stuff|water|crust|scab|discharge|gunk|goo"
                            "|gunge|muck", "scab and smell|stink",
                            "bad|foul|strange smell|odour|odor", "smell|stink *2 bad|foul|horrible",
                            "smell|stink|odour|odor *4 from *3 spot|point|site|wound|skin|face|area|injection|cheek|lip|hole|scab|mark",
                            "smelly|stinky spot|point|wound|skin|scab|crust|discharge",
                            "fluid|liquid|water|stuff|blood|gunk|goo|gunge *3 come|coming|leak|drip out", "burst")),
    Rule("infection.infected", ("infect", "pimple|pimples|spot|spots *2 full of *1 pus", "pustule",
                                 "white|yellow head|heads|dot|dots|spot|spots|top|tops *4 every|each"
                                 "|all *2 point|points|needle|hole|holes|injection|injections|spot|spots|mark|marks",
                                 "whitehead *4 every|each|all *2 point|points|needle|hole|holes|injection"
                                 "|injections|spot|spots|mark|marks",
                                 "yellow on top|tops", "yellow top|tops|head|heads",
                                 "bump|bumps|spot|spots|pimple|pimples|lump *3 white|yellow head|heads|top|tops",
                                 "angry *2 bump|bumps|spot|spots|red|redness|swell|look|looking", "red and angry")),
    Rule("infection.redness", ("red|redness|rash|swell *4 " + MORE, "red streak|streaks|line|lines", "streak|streaks|line|lines of red|redness",
                                "more|increase|increasing|worsen red|redness",
                                # "swelling is there since 2 days and increasing"
                                "red|redness|rash|swell *8 and ?still|slowly|gradually|further increase|increasing|grow"
                                "|growing|spread|spreading")),
    Rule("infection.heat", ("hot|warm to ?the touch", "feel|be|get|become|turn|go|look *3 hot|warm",
                             "heat *2 come|radiate|from", "burn|burning hot", "hot and cold",
                             "very|really|so|too|super|extremely|quite hot|warm", "on fire", "like fire",
                             "feel|feeling like *6 hot|stove|oven|furnace|fire|iron")),
    Rule("infection.inflamed", ("hot", "heat")),  # with redness, swelling or pain in the message (see engine)
    Rule("infection.fever", ("fever", "chill", "shiver", "night sweat|sweats",
                              "high temperature", "have|get|run|got|with ?a temperature",
                              "temperature *3 37.5|37.8|38|38.5|39|39.5|40|101|102|103")),
    # allergic reaction
    Rule("allergic.rash", ("hive", "rash", "itchy|raised|red bump|spot *3 all over|everywhere",
                            "itch|itching|itchy *3 all over|everywhere|whole body",
                            "itch|itching|itchy *3 all over", "itch|itching|itchy *3 everywhere",
                            "itch|itching|itchy *4 whole|entire body",
                            # a reaction beyond the treated face: "raised blotches on my chest and back"
                            "raised|itchy|red|itch blotch|patch|welt|hive|bump|spot *2 on|across|over *2 " + BODY,
                            "blotch|welt *2 on|across|over *2 " + BODY,
                            "whole|entire|full body *3 itch|itchy|rash|hive|red",
                            "itch|itchy *2 like anything|hell|crazy|mad|badly|terribly",
                            # "by morning they were all over my chest, shoulders, neck and forehead"
                            "they|it|them|hive|rash|itch|itchy|welt|bump|blotch|red|redness *4 all over ?my|the|her|his "
                            + BODY + "|shoulders|torso")),
    Rule("allergic.swelling", ("swell|puffy *3 " + SITES, SITES + " *3 swell|puffy|puff|balloon|huge|double|big|bigger|enlarge|enlarged", SITES + " *2 blow|blew up",
                                "swell *2 up", "neck *3 swell|puffy", "swell|puffy *3 neck")),
    Rule("allergic.reaction", ("allergic reaction|reacting|react|response|attack", "anaphylaxis",
                                "bad|severe|strong|serious|weird|big reaction", "react|reacting badly")),
    Rule("allergic.airway", ("swell|puffy *3 throat|tongue",
                              "throat|tongue *3 swell|puffy|big|huge|enlarge|enlarged|fat|thick|tight|close|closing|closed",
                              "difficulty|trouble|hard|problem|struggle|difficult|issue|pain|painful|unable"
                              "|hurt *3 breathe|swallow",
                              "breathe|swallow *3 hard|difficult|tough|problem|trouble|struggle|heavy|painful"
                              "|difficulty|hurt|pain|block|blocked|stuck",
                              # breathing told by how it feels: "fast and shallow", "laboured", "noisy", "weird"
                              "breathe *3 fast|shallow|rapid|laboured|labored|noisy|raspy|rasping|weird|strange"
                              "|funny|odd|irregular",
                              # a worry about it is a report: "nurses were worried about my breathing"
                              "worry|worried|concern|concerned|scared|afraid about|for *1 breathe",
                              "short|shortness of breathe", "breathless", "wheeze", "out of breathe",
                              "choke", "whistle *4 breathe", "breathe *4 whistle|wheeze|noise|noisy",
                              "tongue *3 thick|heavy|fat|numb and swell", "tongue *4 thick|heavy|fat",
                              "chest *2 tight|tightness|pain|heavy",
                              # "tightness in my chest", "pressure on my chest", "like someone sitting on my chest"
                              "tight|tightness|pressure|heaviness|weight *3 chest",
                              "sit|sitting|sat|stand|standing *3 on my chest",
                              # "a lump in my throat feeling", "throat feels blocked"
                              "lump|ball in my|the throat", "throat *3 block|blocked|narrow|narrowing",
                              "catch my breathe", "gasp *3 for|air|breathe", "suffocate",
                              "something|lump|thing *2 stuck|stick *3 throat",
                              "mucus|saliva|spit|fluid *4 stuck|stick|block *3 throat|lung|chest|airway",
                              # Hinglish: "saans lene mein taklif" (breathing trouble), "saans nahi aa rahi"
                              "breathe *3 nahi|nhi|nai|na")),
    Rule("allergic.airway_cant", (CANT + " not|never|barely|hardly *2 breathe|swallow", "cnt|cnot|cannt *2 breathe|swallow", "not|never " + CANT + " *2 breathe|swallow",
                                   CANT + " not|never *3 tongue *3 move|moving", CANT + " not|never *2 move *2 tongue",
                                   # "couldn't get any air", "fighting not to suffocate"
                                   CANT + " not|never|barely|hardly *3 air",
                                   # "I'm not getting enough air"
                                   "not|never *1 get|getting *2 enough air|oxygen|breathe",
                                   # "food won't go down", "water is not going down"
                                   "food|water|drink|pill|saliva|spit *3 not|never *1 go down",
                                   "fight|struggle *3 suffocate|air|breathe"),
         negation_inside=True),
    # a breath that would not come, told with a comma: "trouble catching a good, deep breath"
    Rule("allergic.airway_catch", ("difficulty|trouble|hard|struggle|problem|unable *2 catch|get|take|draw *2 ?, *2 breathe",),
         cross_clause=True),
    # a throat that feels odd, itchy or scratchy: the first words of anaphylaxis after a shot
    # ("a funny feeling in her throat", "itching in my throat, like pineapple", "my throat felt scratchy")
    Rule("allergic.airway_throat", ("throat *3 funny|weird|strange|odd|itchy|itch|scratchy|tickle|tickly|tingle|prickly",
                                    "funny|weird|strange|odd feeling|sensation *3 throat",
                                    "itch|tickle|tingle *3 throat")),
    # a voice changed by a swelling throat: "my voice sounds muffled and hoarse" (with a swelling or an
    # allergy in the message, see engine)
    Rule("allergic.voice", ("voice *4 hoarse|muffled|croaky|raspy|husky|strange|weird|funny|different|change|gone",
                            "hoarse|hoarseness")),
    # "my throat felt like it was closing up"
    Rule("allergic.airway_closing", ("throat|airway *5 close|closing|closed|tighten|tightening|tighter",
                                     "airway *3 tight|narrow|block|blocked|swell|puffy"),),
    # anaphylaxis named by the patient: "I went into anaphylactic shock", "I think I'm having anaphylaxis"
    Rule("allergic.anaphylaxis", ("anaphylaxis", "allergic shock", "anaphylaxis shock")),
    # the throat named first, its closing told after: "my throat is paining and i feel it is closing"
    Rule("allergic.airway_closing_later", ("throat|airway *8 it|its *2 close|closing|closed|tighten|tightening",),
         cross_clause=True),
    # blue or grey lips (or face): oxygen, an emergency
    Rule("systemic.cyanosis", ("lip|face|finger|fingers|nail|nails|mouth *3 blue|grey", "blue|grey lip|lips",
                                # "my skin is turning blue around my mouth"
                                "blue|grey *2 around|round ?my|the|her|his mouth|lip|lips",
                                "lip|face *3 turn|go|become *2 blue|grey")),
    # vascular compromise
    Rule("vascular.colour", ("turn|go|become|change|look|be *3 " + COLOURS,
                              COLOURS + " *2 skin|area|patch|spot|colour|color|discolouration|discoloration"
                                        "|mark|patches",
                              "skin|area|spot|patch|site|lip|nose|finger *3 " + COLOURS,
                              "mottled", "like ?a net|web|lace|netting", "lip|nose|tip *4 dark|darker|black", "net -|- like", "cold to ?the touch", "skin|area|spot|patch|site|finger|lip *6 cold|cool|icy",
                              COLOURS + " *2 cold|cool|icy")),
    # a blocked vessel in the patient's words: "the filler was blocking the artery", "reduced blood flow"
    Rule("vascular.blocked", ("block|occlude|clog|clot *4 artery|vessel|vein|blood",
                               "artery|vessel|vein *3 block|occlude|clog",
                               "reduce|poor|restrict|lack|lose|lost|low blood flow|supply|circulation",
                               "no|not|n't *2 blood flow|supply|circulation",
                               "blood flow|supply|circulation *3 cut|block|stop|reduce|restrict",
                               "vascular occlusion", "occlusion"), negation_inside=True),
    # tissue damage
    Rule("tissue_damage.blister", ("blister", "open wound|sore|cut|skin", "skin *2 break|broke|broken|crack|cracked|open|raw",
                                    "raw skin|flesh|wound", "ulcer|ulcers", "necrosis", "sore|wound *2 open|opened",
                                    "skin|area|scar|wound|spot|point|mark *3 open|split|burst", "skin|area|scar|spot|peel *5 bleed",
                                    "skin|area|tissue *5 die|dying|dead", "scab *4 " + MORE,
                                    "raw underneath|beneath|under|below",
                                    "bleed *3 lot|heavily|badly", "lot of blood", "keep ?on bleed")),
    # burns from a peel or device: "I looked like a burn victim", "my face was bubbling"
    Rule("tissue_damage.burn", ("burn victim|victims", "chemical burn|burnt",
                                 "burnt my|the *1 face|skin|lip|lips", "skin|face|lip *3 burnt|bubble|bubbling",
                                 "second|third degree burn|burnt",
                                 "scorching|intense|severe|terrible|horrible|unbearable burn|burning|sting|stinging",
                                 # "extreme eye irritation and burning for days" after a lash lift
                                 "extreme|severe|intense *3 burn|burning|irritation *2 for *1 day|week")),
    Rule("tissue_damage.not_healing", ("not|never *2 heal|healing|healed",
                                        "wound|cut|hole|sore|skin *4 not|never *2 close|closing|closed"
                                        "|seal", "bleed|bleeding|blood *3 not|never *1 stop"),
         negation_inside=True),
    # lumps
    Rule("lump.hard_painful", (LUMPS + " *4 hard|firm|painful|pain|hurt|drain|pus|ooze|leak|" + MORE + "|hot",
                                "hard|firm|painful|hot|growing|big|large|huge|bigger|draining " + LUMPS,
                                "hard|firm *2 under the skin", "area|skin|spot|scar|cheek|site *3 hard|firm|harden",
                                "swell *2 and hard|hardness|firm|firmness",
                                # an inflamed lump: "a red, tender lump", "it's hard and sore to touch"
                                "red|tender|sore|angry|inflamed " + LUMPS,
                                INFLAMED + " ,|and " + INFLAMED + " " + LUMPS,
                                "hard|firm ,|and sore|painful|tender|hot|red", "sore|painful|tender|hot|red ,|and hard|firm")),
    # "I see something hard around my cheeks", "felt a firm thing under the skin"
    Rule("lump.hard_thing", ("something|thing|things|ball|knot hard|firm *2 around|under|in|on|near|along|below *3 "
                              "cheek|lip|jaw|chin|face|forehead|skin|eye|nose|temple",
                              # "two hard little balls under the skin on my chin"
                              "hard|firm *2 ball|knot|thing|pea|marble *2 around|under|in|on|near|along|below *3 "
                              "cheek|lip|jaw|chin|face|forehead|skin|eye|nose|temple",
                              "feel|felt|see|saw|notice|noticed|find|found *2 something|thing|things hard|firm")),
    Rule("lump.persistent", (LUMPS + " *3 not|never *2 go|gone|disappear|settle|flatten",), negation_inside=True),
    # growth and late onset: "a pea sized thing under my scar and its growing", "3 weeks later still have lumps"
    Rule("lump.growing", ("lump|bump|thing|pea|marble|ball|swell|knot|cyst *8 grow|growing|bigger|larger",
                           "grow|grew *4 lump|bump|pea|cyst|marble", "size of a pea|marble|grape|golf"),
         cross_clause=True),
    Rule("lump.late", ("week|weeks|month|months *3 later|after *6 still *3 " + LUMPS,
                        "still *3 " + LUMPS + " *6 week|weeks|month|months",
                        "week|weeks|month|months *4 still *3 " + LUMPS,
                        LUMPS + " *10 red|redder|sore|hot|tender|painful|hurt|pain",
                        LUMPS + " *4 appear|appeared|came|come|develop|developed|form|formed *4 week|weeks"
                                "|month|months"),
         cross_clause=True),
    # pain
    Rule("pain.severe", (STRONG + " *2 " + HURT, HURT + " *5 " + STRONG,
                          HURT + " *3 too|so|very much", HURT + " *3 lot", "lot of " + HURT,
                          "very|too|so much " + HURT,
                          "very|really|so|extremely|too|super painful|sore",
                          HURT + " like anything|hell|crazy|mad|fire", HURT + " *2 badly|terribly", HURT + " *3 " + MORE,
                          "more " + HURT, HURT + " *2 kill|killing", "kill|killing me|i",
                          HURT + " *3 7|8|9|10 out|over of|/ 10", HURT + " *3 7/10|8/10|9/10|10/10",
                          "burn|burning|pressure|sting|stinging *5 unbelievable|unreal|insane|crazy|severe|horrendous"
                          "|horrific|agony|excruciating",
                          "in agony", "agony", HURT + " *6 explode|exploding|burst|bursting", "going to explode")),
    # "pain is not bearable", "can't bear the pain"
    Rule("pain.unbearable", (HURT + " *3 not|never bearable", "not|never bearable",
                              CANT + " not|never *1 bear|stand|take *3 " + HURT), negation_inside=True),
    Rule("pain.no_sleep", (CANT + " not|never sleep *3 " + HURT, HURT + " *4 " + CANT + " not|never sleep",
                            HURT + " *3 wake|woke|keep|keeps *2 up|awake",
                            "painkiller|painkillers|panadol|paracetamol|ibuprofen *3 not|n't help|helping|work"
                            "|working",
                            "painkiller|painkillers|panadol|paracetamol|ibuprofen|tablet|tablets *2 do|did|does nothing",
                            # "the pain hasn't stopped since the session"
                            HURT + " *2 not|never *2 stop *1 since"),
         negation_inside=True),
    # systemic
    Rule("systemic.dizzy", ("dizzy", "light -|- head|headed", "room *2 spin|spinning",
                            # "my ears were ringing" (the first sign of a faint)
                            "ear|ears *2 ring|ringing|buzz|buzzing")),
    Rule("systemic.faint", ("dizzy|headed|lightheaded *5 fall|collapse", "faint_v", "feel|felt|go|going|about|almost|nearly *2 faint", "start|begin|began *2 faint", "pass *2 out", "black out",
                             "out cold", "keel over", "i|she|he|me *3 hit|fall *2 floor|ground",
                             # "I went down on the floor", "my husband found me on the floor", "woke up on the floor"
                             "go down on|to the floor|ground", "find|wake *4 on the floor|ground",
                             # "the next thing I knew they were putting my legs up"
                             "next thing i know|knew *8 floor|ground|wake|woke|leg|legs|lie|lying|around|over|above",
                             "put|putting|raise|raising|lift|lifting|hold|holding my|her|his leg|legs up",
                             # the signs just before a faint: "eyes rolled back", "clammy", "a cold sweat",
                             # "my hearing fades out", "I vomit and then faint"
                             "eye *2 roll *4 back", "clammy", "cold sweat|sweats|sweating",
                             "hearing *3 fade|go|muffle|muffled|distant", "then|i faint",
                             "lose|lost consciousness", "seizure|seizures|convulsion|convulsions",
                             # "i had a fit", "she's having fits" (not "does sunscreen fit in", "a good fit")
                             "have|having|had|a|another fit|fits")),
    Rule("systemic.vision", ("everything *3 dim|foggy|blur", "dim *4 eye",
                              # "the room went dark around me", "everything went black for a second"
                              "everything|world *2 go|turn dark|black|grey", "room *2 go|turn dark|black|grey around|on",
                              # "the room went dark and i fell" (not "the room went dark for the LED part")
                              "room *2 go|turn dark|black|grey and|then ?i *1 fall|collapse|faint_v|pass|go",
                              "dark|black|grey patch|spot|shadow|curtain *3 vision|sight|eyesight",
                              "vision|sight|eyesight *3 blur|change|double|loss|lose|lost|problem|dark|dim"
                              "|strange|funny|weird|go|gone|deteriorate|worsen|worse|fade|fail|failing|impair"
                              "|impaired|tunnel|tunnelling|tunneling|narrow",
                              "blur|double|lose|lost|losing|loss ?of vision|sight", "lose|lost|losing|loss *3 vision|sight",
                              "everything|eye *3 blur",
                              "blur *4 eye", "tunnel vision|sight", "see|seeing *1 double|spot|spots|flash|flashes|flashing|star|stars|light|lights",
                              "flash|flashing light|lights")),
    Rule("systemic.cant_see", (CANT + " not|never *1 see properly|clearly|straight|out|from|with|in|anything|well|where"
                                "|unless",
                                # "can't see very well", "can't see it properly" (not "can't see myself in the
                                # mirror with these scars", "can't see any difference with the sessions")
                                CANT + " not|never *1 see *2 properly|clearly|straight|well",
                                "eye *3 go|went|gone|turn|turned|be dark|black|blank|blind", "blind",
                                "foggy|cloudy vision|sight|eye|eyesight", "vision|sight|eye|eyesight *3 foggy|cloudy|misty",
                                "vision|sight|eyesight *3 not|n't *1 clear|right|normal|good|ok|okay",
                                # "no longer able to see clearly", "unable to see out of it"
                                # (not "unable to see any improvement", "no longer see the scars much")
                                "unable to *1 see " + SEEING, "not|never able to *1 see " + SEEING,
                                "no long|longer *2 see " + SEEING,
                                "see|seeing *2 shadow|shadows|haze|blur|fog|foggy"),
         negation_inside=True),
    # muscle weakness after a toxin: "my right eye was drooping", "I couldn't open my eye"
    Rule("weakness.droop", ("eye|brow|eyebrow|lid|mouth|smile|face|side *4 droop",
                             # "my eyelid dropped after botox" (not "my eye drops")
                             "eye|lid *2 drop",
                             "brow|eyebrow *3 drop|fall|fell|lower", "ptosis",
                             "droopy|droop eye|brow|eyebrow|lid|mouth|smile|face",
                             "eye|brow|eyebrow|lid|mouth|smile|face *3 droopy",
                             "eye|lid *2 heavy|hang|hanging", "eye *3 completely|fully|totally|almost|nearly|half|partly|partially close|closed|shut")),
    # one side of the face falling or frozen: "my face dropped on one side", "half my face is paralysed"
    Rule("weakness.face_side", ("face|mouth|smile|lip|cheek *3 drop|fall|sag|slump *4 one|side",
                                "side of ?my face|mouth|smile *3 " + FALLEN,
                                "half ?of my face|mouth *3 " + FALLEN,
                                "face|mouth|lip|eye|eyelid|side|cheek *3 paralyse",
                                "paralyse *3 face|mouth|lip|eye|eyelid|side|cheek")),
    # "half of my smile is not moving", "one side of my mouth wont move since botox"
    Rule("weakness.not_moving", ("half|side ?of my face|mouth|smile|lip|lips *3 not|never|cannot|can|will|wo *1 move"
                                 "|moving",),
         negation_inside=True),
    Rule("weakness.cant_open", (CANT + " not|never|barely|hardly *2 open *2 eye|mouth|jaw",
                                 "eye|eyes|eyelid|eyelids|mouth *2 not|never|n't open|opening|close|closing ?fully|properly"
                                 "|completely",
                                 "not|never " + CANT + " *2 open *2 eye|mouth|jaw", "unable to open *2 eye|mouth|jaw",
                                 "struggle|hard|difficult|difficulty|trouble|problem *3 open *2 mouth|jaw",
                                 CANT + " not|never|barely|hardly *1 talk|speak|pronounce",
                                 CANT + " not|never|barely|hardly *2 close|shut|squeeze|blink *2 eye|mouth|lip|shut"),
         negation_inside=True),
    # weakness beyond the face after a toxin: "I couldn't hold my neck up", "losing muscle strength"
    Rule("weakness.muscle", (CANT + " not|never|barely|hardly *2 hold *3 neck|head *1 up",
                              "no longer hold *3 up", "neck *4 weak|weaker|weakness",
                              "hard|trouble|difficulty|difficult|struggle *3 hold *3 head|neck *1 up",
                              "lose|losing|lost *2 muscle|strength", "muscle weakness",
                              "problem|trouble|difficulty|struggle|struggling *2 talk|speak|talking|speaking"),
         negation_inside=True),
    # weakness in the arms or legs after an injection: "weakness and trembling in my arms and hands" (not from the
    # gym or a long walk, see engine)
    Rule("weakness.limb", ("weak|weakness|weaker *4 arm|leg|hand|body",
                            "arm|leg|hand *3 weak|weakness|weaker")),
    # weakness of the whole body after a toxin (with a treatment in the message, see engine): "ten days after the
    # treatment she became very weak", "generalised weakness", "even standing up is a great effort"
    Rule("weakness.general", ("become|feel|get|go|be very|really|so|extremely|profoundly|incredibly weak",
                              "generalised|generalized|general|profound weakness",
                              "stand|standing|walk|walking *3 great|huge|real|such an effort|struggle")),
    # stroke-like signs: "my speech was slurred", "slurring my words"
    Rule("systemic.stroke", ("slur", "speech *3 garbled|jumbled|weird|strange|funny",
                              # a face falling with a weak arm or leg: "my face dropped on one side and my arm feels weak"
                              "drop|droop|fall|sag|droopy *10 arm|leg|hand *3 weak|weakness|numb|heavy|dead"),
         cross_clause=True),
    # an emergency service already involved: "they sent an ambulance", "rushed me through to resus"
    Rule("systemic.hospital", ("ambulance", "resus", "a&e", "emergency room|department",
                                # "I had to use my EpiPen", "they gave me adrenaline", "a shot of epinephrine"
                                "use|give|administer|need|jab|stab|inject me|i|my|her|him|his|an|a|the *1 epipen|epinephrine|adrenaline"
                                "|adrenalin",
                                "use|give|administer|need|jab|stab me|i|my|her|him|his|an|a|the *1 epi ?- pen",
                                "shot|dose|injection|jab of adrenaline|adrenalin|epinephrine",
                                "hospitalize|hospitalise|hospitalized|hospitalised",
                                "admit|admitted to ?the hospital|icu", "icu", "intensive care", "high dependency")),
    Rule("systemic.other", ("vomit", "throw|throwing up", "palpitation", "heart *2 race|racing|pounding|pound",
                             "very|really|so|seriously|extremely|terribly|violently unwell|sick|ill")),
    # "I couldn't walk or get out of bed"
    Rule("systemic.cant_walk", (CANT + " not|never|barely|hardly *1 walk|stand", CANT + " not|never *2 get out of bed",
                                 # "by the morning it was getting hard to walk"
                                 "hard|difficult|difficulty|trouble|struggle *2 walk",
                                 "hard|difficult|difficulty|trouble|struggle *2 stand up"),
         negation_inside=True),
    # numbness that does not go away (checked against a time cue, see engine)
    Rule("numbness.persistent", ("numb", "tingle", "pin and needles", "no|not|n't *2 feeling in",
                                  CANT + " not|n't feel *2 my"), negation_inside=True),
    Rule("numbness.lasting", ("numb|tingle|feeling *4 not|never *2 go|wear|fade|improve|pass|stop|come|back",
                              "still *3 numb|tingle"), negation_inside=True),
    # swelling that is more than mild, anywhere
    Rule("swelling.severe", ("very|really|so|extremely|too|super|badly|massively|hugely|severely|noticeably|visibly"
                             "|significantly|considerably|seriously swell|puffy", "very much swell",
                             "swell *2 badly|a lot|lot|severe|massive|huge|bad", "severe|massive|huge|big|bad swell")),
    # swelling as a multiple of the usual size: "my lips quadrupled in size", "three times the size", "touched my nose"
    Rule("swelling.massive", ("double|triple|quadruple *2 size", "double|triple|quadruple *2 overnight",
                              "twice|thrice|two|three|four|five|several *1 time *3 size|big|bigger|normal|usual",
                              "lip|lips *5 touch|reach *3 nose",
                              "swell|puffy *3 like|as *2 golf|tennis|balloon|egg|orange|pumpkin|melon|grapefruit|ball",
                              "size of ?a|an|my golf|tennis|egg|orange|ball|balloon|fist|palm|hand|saucer|plate")),
    # a swelling growing as one looks: "I could almost see them swelling as I was looking at them"
    Rule("swelling.fast", ("swell|grow|balloon *6 as|while i *2 look|watch|stare|stand",
                           "swell|grow|balloon *3 before my|your|our eye",
                           "swell|grow|balloon *4 by the minute|second",
                           "see|watch it|them|my|her|his *2 swell|grow|balloon *1 up|bigger|larger|more")),
    # swelling that comes back or starts weeks later: "swelling that comes and goes", "months later they swelled up"
    Rule("swelling.late", ("swell|puffy *4 come and go|goes", "swell|puffy *7 come|comes|keep|keeps *2 back|again",
                            "swell|puffy *3 on and off", "swell|puffy *4 return|recur|reappear",
                            "week|weeks|month|months|year|years later|after ?, *6 swell|puffy"), cross_clause=True),
    # swelling back again weeks later (a time cue in the message, see engine): "now out of nowhere my lip has swollen up again"
    Rule("swelling.returned", ("swell|puffy|puff *5 again|back", "again|back *3 swell|puffy")),
    Rule("pain.throbbing", ("throbbing", "be|keep|start pulse|pulsate", "pulsate", "own pulse|heartbeat")),
    Rule("pain.later", (HURT + " *8 really|very|so|too|extremely|super bad|worse|severe",), cross_clause=True),
    # anything getting worse or spreading
    # "the swelling extends from beneath my eye down to my jaw"
    Rule("worsening.spread", ("spread", "swell|puffy|red|redness|rash *4 extend *3 to|down|up|into|across|from")),
    Rule("worsening.worse", ("get|getting|go|going|become|keep|be|feel|look *3 worse|worst",
                              "get|keep *1 bigger|larger",
                              "worsen", "worse and worse", "bad to worse",
                              "red|redness|swell|rash|bite|patch|area *4 keep grow",
                              "worse than *2 yesterday|before|earlier|ever|morning|day|night|week|first|it|last",
                              # "if anything it's a bit bigger than yesterday" (see engine: a symptom in the message)
                              "bigger|larger|redder|hotter|harder|puffy|swell *2 than *2 yesterday|earlier|morning"
                              "|last")),
]

EMERGENCY_LABELS = frozenset({"allergic.airway", "allergic.airway_cant", "allergic.airway_closing", "allergic.airway_catch",
                              "allergic.airway_closing_later", "allergic.voice", "allergic.anaphylaxis",
                              "allergic.airway_throat", "systemic.faint", "systemic.stroke", "systemic.vision",
                              "systemic.cant_see", "systemic.cyanosis", "systemic.hospital"})
# Labels whose sign only counts when the patient says it lasts (still, days, won't go).
NEEDS_PERSISTENCE = frozenset({"numbness.persistent"})
# A droopy eyelid or brow counts as a new sign only with a treatment or a change in the
# message ("I've always had droopy eyelids, can Botox help?" is a question).
NEEDS_CHANGE = frozenset({"weakness.droop"})
CHANGE_KEYS = frozenset({
    "since", "after", "now", "suddenly", "start", "begin", "today", "yesterday", "wake", "notice",
    "find", "still", "later", "ago", "again", "develop", "happen",
})
# "months later the swelling went down" is not late swelling
SETTLING_KEYS = frozenset({"down", "gone", "settle", "less", "better", "reduce", "improve", "normal", "subside"})
PERSISTENCE_KEYS = frozenset({
    "still", "day", "days", "week", "weeks", "since", "yesterday", "persist", "persistent",
    "constant", "permanent", "anymore", "month", "months", "overnight",
})


def compile_pattern(pattern: str) -> List[Dict]:
    """Turn the pattern mini-language into a spaCy Matcher token pattern."""
    tokens: List[Dict] = []
    for step in pattern.split():
        if step.startswith("*"):
            tokens.append({"IS_PUNCT": False, "OP": "{0,%d}" % int(step[1:])})
            continue
        optional = step.startswith("?")
        words = step.lstrip("?").split("|")
        spec: Dict = {"LOWER": {"IN": words}}
        if optional:
            spec["OP"] = "?"
        tokens.append(spec)
    return tokens
