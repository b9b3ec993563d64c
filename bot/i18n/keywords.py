"""Global words understood in every state: menu, help, back, cancel, language, human,
stop, start; in the four languages, in Darija, and in Darija typed in Latin letters."""

from __future__ import annotations

from enum import StrEnum

from bot.i18n.text import normalize, strip_controls


class Word(StrEnum):
    MENU = "menu"
    HELP = "help"
    BACK = "back"
    CANCEL = "cancel"
    LANGUAGE = "language"
    HUMAN = "human"
    STOP = "stop"
    START = "start"


_FORMS: dict[Word, tuple[str, ...]] = {
    Word.MENU: ("menu", "main menu", "accueil", "القائمة", "القائمة الرئيسية", "منيو", "المنيو",
                "lmenu", "ⵜⴰⵍⴳⴰⵎⵜ", "ⴰⵙⵏⵓⴱⴳ", "menu principal", "ⵜⴰⵍⴳⴰⵎⵜ ⵜⴰⴳⵊⴷⴰⵏⵜ"),
    Word.HELP: ("help", "aide", "aidez moi", "au secours", "مساعدة", "ساعدني", "عاوني", "عاونوني",
                "3awni", "3awnouni", "awni", "mosa3ada", "ⵜⵉⵡⵉⵙⵉ", "?"),
    Word.BACK: ("back", "go back", "retour", "precedent", "رجوع", "رجع", "الرجوع", "رجعني",
                "rje3", "rj3", "rjou3", "ⴰⵖⵓⵍ", "ⵓⵖⵓⵍ"),
    Word.CANCEL: ("cancel", "annuler", "annule", "إلغاء", "الغاء", "إلغ", "بلاش", "ماشي دابا",
                  "blach", "bla7", "lghi", "ⵙⵔⵙ", "ⴰⵙⵔⵙ"),
    Word.LANGUAGE: ("language", "languages", "langue", "langues", "لغة", "اللغة", "اللغات",
                    "lougha", "logha", "lugha", "ⵜⵓⵜⵍⴰⵢⵜ", "ⵜⵓⵜⵍⴰⵢⵉⵏ"),
    Word.HUMAN: ("human", "agent", "person", "a person", "humain", "conseiller", "personne",
                 "إنسان", "انسان", "شخص", "موظف", "بنادم", "واحد بنادم", "bnadem", "insan",
                 "ⴰⴼⴳⴰⵏ", "ⵎⵏⵉⴷ ⵢⴰⵏ", "conseillère"),
    Word.STOP: ("stop", "arret", "arreter", "stopper", "desabonner", "unsubscribe", "توقف",
                "وقف", "حبس", "باركا", "بركا", "صافي حبس", "7bes", "hbes", "baraka", "safi 7bes",
                "ⴱⴷⴷ", "ⵃⴱⵙ"),
    Word.START: ("start", "/start", "demarrer", "commencer", "reprendre", "resume",
                 "unstop", "ابدأ", "ابدا", "بدا", "نبداو", "bda", "nbdaw", "ⴱⴷⵓ", "ⵙⵙⴽⵔ"),
}

#: Words that answer yes or no to any yes/no question, in every language and in Darija.
YES = ("yes", "ok", "oui", "d accord", "accepte", "نعم", "موافق", "واخا", "ايه", "wakha", "wah",
       "iyeh", "ah", "ⵢⵢⵀ", "ⵉⵀ", "ⴰⵀ")
NO = ("no", "non", "لا", "ماشي", "la", "machi", "ⵓⵀⵓ")

_LOOKUP: dict[str, Word] = {normalize(form): word for word, forms in _FORMS.items()
                            for form in forms if normalize(form)}


def global_word(text: str | None) -> Word | None:
    """Returns the global word a whole message is, if it is one."""
    if not text or len(text) > 100:  # a global word is a short message on its own
        return None
    if strip_controls(text).strip() in ("?", "؟"):
        return Word.HELP
    return _LOOKUP.get(normalize(text))
