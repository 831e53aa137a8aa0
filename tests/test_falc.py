"""Resident-facing French follows the measurable rules of plain French (notes/design-15.md)."""

import re

import pytest

from .resident_strings import resident_msgids

MAX_WORDS = 12
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# A sentence ends at . ! ? or … followed by a space and more text. A line holds one sentence;
# a message may pair two short ones (what happened, then what to do).
MAX_SENTENCES = 2
MAX_STRING_WORDS = 16
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
# Staff words and abbreviations a resident may not know.
JARGON = re.compile(
    r"\b(QPV|dispositif|structures?|actions?|kiosque|facultatifs?|facultatives?|anonymes?|dissoci\w*|"
    r"etc|max|min|env|tél|n°|\d+re|1er|s)\b", re.IGNORECASE)
NUMBER_WORDS = re.compile(
    r"\b(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|cent|mille)\b",
    re.IGNORECASE)
# Future and conditional endings (the rule: present tense); passé composé is allowed.
FUTURE_OR_CONDITIONAL = re.compile(
    r"\b\w*(erai|eras|erons|erez|eront|irai|iras|irons|irez|iront|rait|raient|rions|riez)\b"
    r"|\b(vont|sera|aura|pourra|fera)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(ne|n')\b.*\b(pas|plus|jamais|rien|personne)\b|\bn'\w", re.IGNORECASE)
INFORMAL = re.compile(r"\b(tu|toi|ton|ta|tes|te|t')\b", re.IGNORECASE)
CAPITALS = re.compile(r"\b[A-ZÀ-Ý]{3,}\b")
ALLOWED_CAPITALS = {"PIN"}


def words(sentence: str) -> list[str]:
    return [w for w in re.split(r"[\s’'-]+", PLACEHOLDER.sub("X", sentence)) if re.search(r"\w", w)]


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


IDS = sorted(resident_msgids())


def test_the_resident_strings_are_found():
    assert len(IDS) > 150
    assert "Passer" in IDS


def broken_rules(text: str) -> list[str]:
    """Return the rules ``text`` breaks, by name; the test of each rule is below."""
    broken = []
    parts = sentences(text)
    if len(parts) > MAX_SENTENCES or (len(parts) > 1 and len(words(text)) > MAX_STRING_WORDS):
        broken.append("one sentence a line")
    if any(len(words(s)) > MAX_WORDS for s in parts):
        broken.append(f"at most {MAX_WORDS} words a sentence")
    if "·" in text or re.search(r"[();/]", PLACEHOLDER.sub("", text)):
        broken.append("no inclusive dot, parentheses, semicolon or slash")
    if JARGON.search(PLACEHOLDER.sub("X", text)):
        broken.append("no jargon or abbreviation")
    if NUMBER_WORDS.search(text):
        broken.append("numbers in digits")
    if FUTURE_OR_CONDITIONAL.search(text):
        broken.append("present tense")
    if any(s.rstrip().endswith("?") and NEGATION.search(s) for s in parts):
        broken.append("no negative question")
    if INFORMAL.search(text):
        broken.append("the resident is 'vous'")
    if set(CAPITALS.findall(PLACEHOLDER.sub("", text))) - ALLOWED_CAPITALS:
        broken.append("no capitals for words")
    return broken


@pytest.mark.parametrize("text, rule", [
    ("Touchez une image. Puis touchez Valider. Ou passez.", "one sentence a line"),
    ("Voici votre carte pour la prochaine fois. Prenez-la en photo avec votre téléphone ou notez son code.",
     "one sentence a line"),
    ("Vous pouvez toucher une image ou deux images sur cet écran pour répondre vite.",
     f"at most {MAX_WORDS} words a sentence"),
    ("Merci, vous êtes enregistré·e !", "no inclusive dot, parentheses, semicolon or slash"),
    ("Un accès adapté (fauteuil)", "no inclusive dot, parentheses, semicolon or slash"),
    ("Cette action est terminée.", "no jargon or abbreviation"),
    ("Retour dans %(n)s s", "no jargon or abbreviation"),
    ("Vous avez trois enfants.", "numbers in digits"),
    ("Vos réponses seront effacées.", "present tense"),
    ("Vos réponses vont être effacées.", "present tense"),
    ("N'avez-vous pas de carte ?", "no negative question"),
    ("As-tu une carte ?", "the resident is 'vous'"),
    ("BIENVENUE AU STAND", "no capitals for words"),
])
def test_each_rule_catches_what_it_forbids(text, rule):
    assert rule in broken_rules(text)


@pytest.mark.parametrize("text", ["Avez-vous une carte ?", "Retour à l'accueil dans %(n)s secondes",
                                  "Non, j'ai déjà participé", "Tapez le code PIN."])
def test_plain_lines_pass(text):
    assert broken_rules(text) == []


def test_every_resident_string_is_plain_french():
    broken = {text: rules for text in IDS if (rules := broken_rules(text))}
    assert broken == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_resident_string_has_its_english_and_arabic(lang):
    from babel.messages.pofile import read_po

    from .resident_strings import ROOT
    with open(ROOT / f"kiosk/translations/{lang}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in read_po(f, locale=lang)}
    plural_seconds = {m.id[1] for m in catalog.values() if isinstance(m.id, tuple)}
    missing = []
    for msgid in IDS:
        message = catalog.get(msgid)
        if message is None and msgid in plural_seconds:
            continue
        strings = message.string if message and isinstance(message.string, tuple) else [
            message.string if message else ""]
        if not message or "fuzzy" in message.flags or not all(strings):
            missing.append(msgid)
    assert missing == []
