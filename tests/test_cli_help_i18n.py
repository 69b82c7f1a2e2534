"""`qulaq … --help` in the reader's language: every command's description and every
option's help has a Kazakh and a Russian text (a new option without them fails here),
each keeping the option names, placeholders and formats of the English, and the help
printed with QULAQ_LANG=kk or ru has no English sentence left in it."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from qulaq import cli
from qulaq.cli.help_messages import HELP
from tests.test_cli_i18n import english_run


def parsers(
    parser: argparse.ArgumentParser | None = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command tree with its command path, the root first."""
    parser = parser or cli.build_parser()
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*path, name))


def written_texts() -> dict[str, str]:
    """Each English help or description text of the tree, with where it is used."""
    found: dict[str, str] = {}
    for path, parser in parsers():
        where = " ".join(("qulaq", *path))
        if parser.description:
            found.setdefault(parser.description, where)
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS and action.dest != "help":
                found.setdefault(action.help, f"{where} {action.dest}")
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        found.setdefault(choice.help, f"{where} {choice.dest}")
    return found


def test_every_help_text_has_kazakh_and_russian() -> None:
    missing = {text: where for text, where in written_texts().items() if text not in HELP}
    assert not missing, f"help texts with no kk/ru entry in help_messages.py: {missing}"


def test_no_entry_is_left_over() -> None:
    stale = set(HELP) - set(written_texts())
    assert not stale, f"entries no command uses: {sorted(stale)}"


def names_typed() -> set[str]:
    """The words a user types, which stay as they are in any language: command names,
    the choices of options, CSV column names, and the names of platform APIs."""
    found = {"timestamp", "value", "Bots", "Long", "Poll", "Callback", "Graph"}
    for _, parser in parsers():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found |= set(action.choices)
            elif action.choices:
                found |= {str(c) for c in action.choices}
    return found


def prose(text: str) -> str | None:
    """A run of English words left in `text` once the words a user types are out."""
    typed = names_typed()
    return english_run(re.sub(r"[A-Za-z][\w-]*", lambda m: " " if m[0] in typed else m[0], text))


OPTION = re.compile(r"--[a-z][a-z-]*|%\(\w+\)s|%%|\bQULAQ_[A-Z_]+\b")
FORMATS = ("JSON", "JSONL", "CSV", "PDF", "ISO 8601", "Markdown", "YAML")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_each_text_keeps_options_placeholders_and_formats(lang: str) -> None:
    for english, by_lang in HELP.items():
        said = by_lang[lang]
        assert said.strip() and said != english, (lang, english)
        assert sorted(OPTION.findall(said)) == sorted(OPTION.findall(english)), (lang, said)
        for fmt in FORMATS:
            if re.search(rf"\b{fmt}\b", english):
                assert re.search(rf"\b{fmt}\b", said), (lang, fmt, said)
        assert prose(said) is None, (lang, prose(said), said)


def help_of(
    path: tuple[str, ...],
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    monkeypatch.setenv("QULAQ_LANG", lang)
    with pytest.raises(SystemExit) as done:
        cli.build_parser().parse_args([*path, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_printed_help_has_no_english_sentence(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, _ in parsers():
        out = help_of(path, lang, monkeypatch, capsys)
        # the usage lines are option names and metavars; the rest is sentences
        body = out.split("\n\n", 1)[1] if "\n\n" in out else ""
        for line in body.splitlines():
            assert prose(line) is None, (path, prose(line), line)


def test_english_help_is_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = help_of(("playbooks", "runs"), "en", monkeypatch, capsys)
    assert "print a JSON array" in out
    ru = help_of(("playbooks", "runs"), "ru", monkeypatch, capsys)
    assert "print a JSON array" not in ru
    assert HELP["print a JSON array"]["ru"] in ru


def test_every_option_and_argument_says_what_it_is() -> None:
    """81 had no help at all (`playbooks start --agency`, `users add --role`, …)."""
    bare = [
        f"{' '.join(('qulaq', *path))} {'/'.join(a.option_strings) or a.dest}"
        for path, parser in parsers()
        for a in parser._actions
        if not isinstance(a, argparse._SubParsersAction) and not a.help
    ]
    assert not bare, bare
