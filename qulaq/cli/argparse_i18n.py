"""argparse's own words (usage, section titles, its error messages) in Kazakh and Russian,
and the help texts written beside each command and option (`help_messages.HELP`).

argparse looks every message up through `gettext` when it builds a parser, formats
help and reports an error, and Python ships no translations for it. Inside
`argparse_language(lang)` argparse's `_` and `ngettext` read the table below;
outside it, or for English, argparse is left as it is. `MESSAGES` holds the msgids
of Python 3.11's argparse that a user can meet; a msgid not in it stays English.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from qulaq.i18n import current_lang

MESSAGES: dict[str, dict[str, str]] = {
    "usage: ": {"ru": "использование: ", "kk": "қолданылуы: "},
    "positional arguments": {"ru": "позиционные аргументы", "kk": "позициялық аргументтер"},
    "options": {"ru": "параметры", "kk": "параметрлер"},
    "subcommands": {"ru": "подкоманды", "kk": "ішкі командалар"},
    "show this help message and exit": {
        "ru": "показать эту справку и выйти",
        "kk": "осы анықтаманы көрсету және шығу",
    },
    "%(prog)s: error: %(message)s\n": {
        "ru": "%(prog)s: ошибка: %(message)s\n",
        "kk": "%(prog)s: қате: %(message)s\n",
    },
    "argument %(argument_name)s: %(message)s": {
        "ru": "аргумент %(argument_name)s: %(message)s",
        "kk": "%(argument_name)s аргументі: %(message)s",
    },
    "the following arguments are required: %s": {
        "ru": "не указаны обязательные аргументы: %s",
        "kk": "міндетті аргументтер көрсетілмеген: %s",
    },
    "one of the arguments %s is required": {
        "ru": "нужно указать один из аргументов %s",
        "kk": "%s аргументтерінің бірін көрсету керек",
    },
    "unrecognized arguments: %s": {
        "ru": "нераспознанные аргументы: %s",
        "kk": "танылмаған аргументтер: %s",
    },
    "invalid choice: %(value)r (choose from %(choices)s)": {
        "ru": "недопустимый вариант: %(value)r (выберите из: %(choices)s)",
        "kk": "жарамсыз нұсқа: %(value)r (мыналардан таңдаңыз: %(choices)s)",
    },
    "invalid %(type)s value: %(value)r": {
        "ru": "недопустимое значение %(type)s: %(value)r",
        "kk": "жарамсыз %(type)s мәні: %(value)r",
    },
    "expected one argument": {"ru": "ожидается одно значение", "kk": "бір мән күтіледі"},
    "expected at most one argument": {
        "ru": "ожидается не больше одного значения",
        "kk": "ең көбі бір мән күтіледі",
    },
    "expected at least one argument": {
        "ru": "ожидается хотя бы одно значение",
        "kk": "кемінде бір мән күтіледі",
    },
    "not allowed with argument %s": {
        "ru": "нельзя указывать вместе с аргументом %s",
        "kk": "%s аргументімен бірге көрсетуге болмайды",
    },
    "ambiguous option: %(option)s could match %(matches)s": {
        "ru": "неоднозначный параметр: %(option)s может означать %(matches)s",
        "kk": "екіұшты параметр: %(option)s мыналардың бірі болуы мүмкін: %(matches)s",
    },
    "ignored explicit argument %r": {
        "ru": "явно заданное значение %r пропущено",
        "kk": "анық берілген %r мәні ескерілмеді",
    },
    "unexpected option string: %s": {
        "ru": "неожиданный параметр: %s",
        "kk": "күтілмеген параметр: %s",
    },
    "unknown parser %(parser_name)r (choices: %(choices)s)": {
        "ru": "неизвестная команда %(parser_name)r (варианты: %(choices)s)",
        "kk": "белгісіз команда %(parser_name)r (нұсқалар: %(choices)s)",
    },
    "can't open '%(filename)s': %(error)s": {
        "ru": "не удаётся открыть '%(filename)s': %(error)s",
        "kk": "'%(filename)s' ашу мүмкін емес: %(error)s",
    },
}

# ngettext('expected %s argument', 'expected %s arguments', n): one form per plural
# category (Russian: one, few, many; Kazakh nouns after a number stay singular)
PLURALS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("expected %s argument", "expected %s arguments"): {
        "ru": ("ожидается %s значение", "ожидается %s значения", "ожидается %s значений"),
        "kk": ("%s мән күтіледі",),
    },
}


def _russian_form(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def _translators(lang: str) -> tuple[Callable[[Any], Any], Callable[[str, str, int], str]]:
    def gettext(msgid: Any) -> Any:  # argparse also passes None (a missing description)
        entry = MESSAGES.get(msgid) if isinstance(msgid, str) else None
        return entry.get(lang, msgid) if entry else msgid

    def ngettext(singular: str, plural: str, n: int) -> str:
        forms = PLURALS.get((singular, plural), {}).get(lang)
        if not forms:
            return singular if n == 1 else plural
        return forms[_russian_form(n)] if len(forms) == 3 else forms[0]

    return gettext, ngettext


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse speaks `lang` (kk, ru) inside the block; English is argparse's own.
    Nested blocks are fine: each puts back what it found."""
    if lang not in ("kk", "ru"):
        yield
        return
    saved = vars(argparse)["_"], vars(argparse)["ngettext"]
    gettext, ngettext = _translators(lang)
    setattr(argparse, "_", gettext)  # noqa: B010  (argparse looks `_` up at each call)
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


def help_text(text: str, lang: str) -> str:
    """The help text written as `text` (English) in `lang`; as written when it has no
    entry in `help_messages.HELP`."""
    if lang not in ("kk", "ru"):
        return text
    from qulaq.cli.help_messages import HELP

    entry = HELP.get(text)
    return entry.get(lang, text) if entry else text


class LocalizedHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with each command's description and each option's help
    said in the user's language at the moment help is printed."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        found = super()._get_help_string(action)
        return help_text(found, current_lang()) if found else found

    def add_text(self, text: str | None) -> None:
        super().add_text(help_text(text, current_lang()) if text else text)
