"""O*NET task statements start with verbs in the imperative ("Direct or coordinate …"); résumé bullets
want the past tense ("Directed or coordinated …"). Rules plus the irregular verbs task statements use."""

from __future__ import annotations

import re

IRREGULAR = {
    "be": "was",
    "become": "became",
    "begin": "began",
    "bring": "brought",
    "build": "built",
    "buy": "bought",
    "choose": "chose",
    "cut": "cut",
    "deal": "dealt",
    "do": "did",
    "draw": "drew",
    "drive": "drove",
    "feed": "fed",
    "find": "found",
    "fit": "fit",
    "forecast": "forecast",
    "get": "got",
    "give": "gave",
    "go": "went",
    "grind": "ground",
    "hang": "hung",
    "have": "had",
    "hear": "heard",
    "hold": "held",
    "keep": "kept",
    "lay": "laid",
    "lead": "led",
    "lend": "lent",
    "let": "let",
    "lie": "lay",
    "light": "lit",
    "make": "made",
    "mean": "meant",
    "meet": "met",
    "pay": "paid",
    "put": "put",
    "read": "read",
    "ride": "rode",
    "ring": "rang",
    "rise": "rose",
    "run": "ran",
    "say": "said",
    "see": "saw",
    "seek": "sought",
    "sell": "sold",
    "send": "sent",
    "set": "set",
    "sew": "sewed",
    "shake": "shook",
    "shoot": "shot",
    "show": "showed",
    "shut": "shut",
    "sing": "sang",
    "sit": "sat",
    "sleep": "slept",
    "speak": "spoke",
    "spend": "spent",
    "spin": "spun",
    "split": "split",
    "spread": "spread",
    "stand": "stood",
    "steal": "stole",
    "stick": "stuck",
    "strike": "struck",
    "sweep": "swept",
    "swim": "swam",
    "take": "took",
    "teach": "taught",
    "tear": "tore",
    "tell": "told",
    "think": "thought",
    "throw": "threw",
    "understand": "understood",
    "undertake": "undertook",
    "upset": "upset",
    "wear": "wore",
    "weave": "wove",
    "win": "won",
    "wind": "wound",
    "write": "wrote",
    "withdraw": "withdrew",
    "oversee": "oversaw",
    "rebuild": "rebuilt",
    "reset": "reset",
    "rewrite": "rewrote",
    "undergo": "underwent",
    "broadcast": "broadcast",
    "input": "input",
    "output": "output",
    "proofread": "proofread",
}
# Verbs whose final consonant doubles (stress on the last syllable or one syllable).
DOUBLING = {
    "plan",
    "stop",
    "ship",
    "drop",
    "chop",
    "grip",
    "trim",
    "scrub",
    "strip",
    "wrap",
    "tap",
    "tip",
    "clip",
    "pin",
    "jog",
    "log",
    "plug",
    "rub",
    "scan",
    "skim",
    "slip",
    "snap",
    "spot",
    "step",
    "admit",
    "commit",
    "control",
    "equip",
    "omit",
    "permit",
    "refer",
    "submit",
    "transfer",
    "patrol",
    "compel",
    "dispel",
    "expel",
    "propel",
    "occur",
    "prefer",
    "confer",
    "infer",
    "deter",
    "regret",
    "format",
    "dip",
    "pat",
    "pot",
    "knit",
    "hem",
    "dab",
    "mop",
    "net",
    "bag",
    "tag",
    "jam",
    "cram",
    "dim",
    "blot",
    "plot",
    "rig",
}
# First words of task statements that are not verbs: the statement is kept as it is.
NOT_VERBS = {"may", "as", "in", "on", "for", "at", "with", "to", "the", "a", "an", "when", "if", "under"}


def past(verb: str) -> str:
    lower = verb.lower()
    if lower in IRREGULAR:
        word = IRREGULAR[lower]
    elif lower in DOUBLING:
        word = lower + lower[-1] + "ed"
    elif lower.endswith("e"):
        word = lower + "d"
    elif re.search(r"[^aeiou]y$", lower):
        word = lower[:-1] + "ied"
    elif lower.endswith("c"):
        word = lower + "ked"
    else:
        word = lower + "ed"
    return word.capitalize() if verb[:1].isupper() else word


def _past_keeping_comma(word: str) -> str:
    core = word.rstrip(",")
    return past(core) + word[len(core) :]


def to_past_tense(statement: str) -> str:
    """'Plan, direct, or coordinate activities.' → 'Planned, directed, or coordinated activities.'"""
    words = statement.strip().split(" ")
    if not words[0] or words[0].lower().rstrip(",") in NOT_VERBS or not words[0].rstrip(",").isalpha():
        return statement.strip()
    words[0] = _past_keeping_comma(words[0])
    in_list = words[0].endswith(",")  # "Verb, verb, or verb …": every verb of the opening list
    i = 1
    while i < len(words):
        word = words[i]
        if word in ("or", "and", "and/or") and i + 1 < len(words) and words[i + 1].rstrip(",").isalpha():
            words[i + 1] = _past_keeping_comma(words[i + 1])
            break
        if in_list and word.rstrip(",").isalpha() and word.islower():
            words[i] = _past_keeping_comma(word)
            in_list = word.endswith(",")
            i += 1
            continue
        break
    return " ".join(words)
