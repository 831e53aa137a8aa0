"""The spoken prompts of the kiosk: each screen's question and each answer, by a stable key.

A recording is made for a (language, key): keys do not change when the French words are
rewritten, so a recording follows its question. The French text shown next to a key, in the
recording pages and under an oral language's screens, is the catalogue's msgid.
"""

from __future__ import annotations

from ..checkin.questions import OPTIONS, TITLES
from ..i18n import _l

SKIP_KEY = "a:skip"
# The screens whose title has a speaker button; their French words are in flow_part.html too.
SCREEN_PROMPTS = {
    "s:welcome": _l("Bienvenue. Choisissez votre langue."),
    "s:start": _l("Bonjour ! Avez-vous déjà une carte ?"),
    "s:start_express": _l("Enregistrez-vous en un geste"),
    "s:already": _l("Votre venue à ce stand est déjà comptée."),
    "s:offline": _l("Pas de réseau pour le moment."),
    "s:leave": _l("Voulez-vous tout recommencer ?"),
    "s:replace": _l("Une carte vient d'être lue."),
}


def question_key(step: str) -> str:
    return f"q:{step}"


def answer_key(step: str, value: str) -> str:
    return f"a:{step}:{value}"


def all_prompts() -> list[tuple[str, object]]:
    """(key, French lazy string) of every prompt one may record, in the order of the flow."""
    prompts: list[tuple[str, object]] = list(SCREEN_PROMPTS.items())
    for step, title in TITLES.items():
        prompts.append((question_key(step), title))
        for value, label, _icon in OPTIONS.get(step, []):
            if not str(value).isdigit():  # the numbers of children speak for themselves
                prompts.append((answer_key(step, value), label))
    prompts.append((SKIP_KEY, _l("Passer")))
    from ..voice.prompts import voice_prompts  # the residents' voice owns its screens and its topics

    prompts += voice_prompts()
    return prompts


def prompt_keys() -> set[str]:
    return {key for key, _text in all_prompts()}
