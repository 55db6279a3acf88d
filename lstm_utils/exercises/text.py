"""The exercises' words as data: each bank's TOML file and ``common.toml``, read, merged and validated.

Every word a learner reads lives in a TOML file beside the bank it belongs to, so that a translation is
another file, not a change to the code:

``bank_<notebook>.toml``
    The bank's ``title`` (its topics) and, under ``[exercises.<id>]``, each exercise's ``title``,
    ``question``, ``see`` (the ``[notebook, section heading]`` pairs its hint points to),
    ``explanation`` (said with a right answer) and ``traps`` (the message for each typical wrong answer,
    by the key its bank's ``traps`` function returns).
``labs.toml``
    The coding labs' words (:mod:`lstm_utils.exercises.labs`): the ``title``, the checker's sentences
    about a function (``[check]``, placeholders as :data:`LAB_CHECK` lists) and, under
    ``[labs.<id>]``, each lab's ``title``, ``question``, ``see``, ``hints`` (a list, each more detailed
    than the one before) and ``bugs`` (the message of each classic mistake its code recognises).
``common.toml``
    The checker's own sentences (``[check]``, ``[exercise]``, ``[catalogue]``), the difficulties, the
    messages several banks share (``[traps]``), the answer parsers' messages (``[answers]``) and the
    answer formats (``[formats]``).

A translation is the same name with the language before ``.toml`` (``bank_01_counting.zh_CN.toml``). It
holds any subset of the English keys and nothing else; every message it leaves out is the English one
(:func:`untranslated` lists them). Titles, questions, hints and explanations are shown as written (their
braces are LaTeX); a trap message or a common message may use ``{name}`` or ``{name:,}`` placeholders,
filled by :func:`render` from what its code passes. Everything is checked when a file is read, at
import: a missing or unknown key, a wrong type, or a common message using a placeholder its code does not give
is a ``ValueError`` naming the file and the key. (The placeholders of trap messages are checked by
``tests/test_exercise_text.py``, which calls every trap function.)

:class:`Feedback`, one check's message in its language, lives here too: the banks' checker and the
coding labs both return it, and neither imports the other's module for it.
"""

from __future__ import annotations

import html
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

HERE = Path(__file__).resolve().parent
#: The language of the course's own files (``bank_01_counting.toml``), and every translation's fallback.
ENGLISH = "en"
#: How hard an exercise is: the closed set of :attr:`Exercise.difficulty`, words in ``[difficulties]``.
DIFFICULTIES = ("easy", "medium", "hard")
#: The keys of one exercise's table: every exercise has the first four; ``traps`` is optional.
EXERCISE_KEYS = ("title", "question", "see", "explanation")
OPTIONAL_KEYS = ("traps",)
#: The common messages and the placeholders their code gives each. Two sections have free keys: [traps]
#: (the keys the banks' traps functions return; tests/test_exercise_text.py checks each) and [formats]
#: (each kind of answer's name and note, without placeholders; the test checks one pair per kind).
COMMON = {
    "check": {"status-correct": (), "status-wrong": (), "status-not-answered": (), "not-answered": (),
              "right": ("answer", "explanation"), "unreadable": ("reason", "hint"),
              "wrong": ("answer", "why", "hint"), "not-it-yet": (),
              "answer-hidden": ("id",), "missing": ("module", "command"),
              "broken": ("error",)},
    "exercise": {"markdown": ("number", "title", "difficulty", "minutes", "id", "question"),
                 "hint": ("places",), "place": ("notebook", "section"), "place-separator": ()},
    "catalogue": {"summary": ("count", "minutes")},
    "columns": dict.fromkeys(("number", "id", "notebook", "topic", "difficulty", "minutes", "title",
                              "answer", "write-it-like", "note"), ()),
    "difficulties": dict.fromkeys(DIFFICULTIES, ()),
    "answers": {"yes-no-not-number": ("answer",), "not-whole": ("answer",), "not-count": ("answer",),
                "not-shape": ("answer",), "not-number": ("answer",), "not-gates": ("answer",),
                "unknown-gate": ("token", "known"), "no-gates": ("answer",), "not-bool": ("answer",),
                "not-word": ("answer",)},
}
FREE = ("traps", "formats")
#: The coding labs' sentences (``labs.toml``'s ``[check]``) and the placeholders their code gives each.
LAB_CHECK = {
    "not-answered": (), "not-callable": ("signature", "got"), "returned-none": ("outputs",),
    "raised": ("case", "cases", "sizes", "error", "where"), "raised-where": ("function", "line", "code"),
    "raised-at": ("function", "line"),
    "returned-count": ("got", "count", "outputs"), "not-array": ("name", "got"), "not-int": ("got", "case"),
    "shape": ("name", "shape", "expected", "case", "cases", "sizes"), "mutated": ("name", "case", "cases"),
    "bug": ("case", "cases", "sizes", "bug"), "wrong": ("name", "case", "cases", "sizes", "error", "index"),
    "float32": ("name", "dtype"), "count-trap": ("case", "got", "why"), "count-wrong": ("case", "got"),
    "right": ("cases", "reference"), "next": ("see", "id"), "hint-levels": ("count",),
    "hint": ("level", "count", "text"), "got-sequence": ("kind", "count"), "got-array": ("shape",),
    "got-value": ("value", "kind"), "got-object": ("kind",),
}
#: The keys of one lab's table in ``labs.toml``: ``bugs`` is optional.
LAB_KEYS = ("title", "question", "see", "hints")
#: The Chinese edition's language, and the folder of its notebooks (generated by book/i18n.py).
CHINESE, CHINESE_NOTEBOOKS = "zh_CN", "notebooks_zh"


def default_language() -> str:
    """The language the exercises speak at import: ``LSTM_COURSE_LANGUAGE`` when set, else Chinese in a
    kernel started in the Chinese notebooks (``notebooks_zh/``), else English.

    Examples
    --------
    >>> default_language() in ("en", "zh_CN")
    True
    """
    chosen = os.environ.get("LSTM_COURSE_LANGUAGE", "").strip()
    if chosen:
        return chosen
    try:
        where = Path.cwd().parts
    except OSError:  # the working folder was deleted
        return ENGLISH
    return CHINESE if CHINESE_NOTEBOOKS in where else ENGLISH


#: The language the checker speaks, ``LANGUAGE[0]``: ``checker.set_language`` changes it.
LANGUAGE = [default_language()]
#: The three outcomes of a check, in English (:attr:`Feedback.status`).
NOT_ANSWERED, CORRECT, WRONG = "not answered yet", "correct", "not quite"
#: A placeholder: a Python name, and a format spec after a colon. LaTeX's ``h_{t-1}`` is not one.
PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)(?::([^{}]*))?\}")


# --- reading one file ---------------------------------------------------------------------------------

def path_of(name: str, language: str = ENGLISH, root: Path | None = None) -> Path:
    """The file of ``name`` ("bank_01_counting", "common") in ``language`` in ``root`` (None: this
    package's folder); English has no language suffix."""
    return (root or HERE) / (f"{name}.toml" if language == ENGLISH else f"{name}.{language}.toml")


def _flat(table: Mapping, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    """A TOML document as {key path: leaf}; a leaf is a string or a list (``see``), one message each."""
    flat: dict[tuple[str, ...], object] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flat(value, (*prefix, key)))
        else:
            flat[(*prefix, key)] = value
    return flat


def _nested(flat: Mapping[tuple[str, ...], object]) -> dict:
    """The inverse of :func:`_flat`, keeping the order of the keys."""
    nested: dict = {}
    for path, value in flat.items():
        table = nested
        for key in path[:-1]:
            table = table.setdefault(key, {})
        table[path[-1]] = value
    return nested


def _read(path: Path) -> dict:
    with path.open("rb") as file:
        try:
            return tomllib.load(file)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path.name}: not valid TOML: {exc}") from None


def placeholders(message: str) -> set[str]:
    """The placeholder names a message uses.

    Examples
    --------
    >>> sorted(placeholders("you answered {answer}: {why} Hint: {hint}. h_{t-1} and {count:,}"))
    ['answer', 'count', 'hint', 'why']
    """
    return {match.group(1) for match in PLACEHOLDER.finditer(message)}


def render(message: str, params: Mapping[str, object]) -> str:
    """``message`` with each ``{name}`` or ``{name:spec}`` replaced by ``format(params[name], spec)``.

    Other braces (LaTeX's ``h_{t-1}``) are left as written, so messages need no escaping.

    Examples
    --------
    >>> render("that is {rows:,} rows of h_{t-1}", {"rows": 10000})
    'that is 10,000 rows of h_{t-1}'
    """
    return PLACEHOLDER.sub(lambda match: format(params[match.group(1)], match.group(2) or ""), message)


def check_placeholders(where: str, message: str, given: object) -> None:
    """Raise ``ValueError`` if ``message`` uses a placeholder that is not in ``given`` (its code's)."""
    missing = placeholders(message) - set(given)
    if missing:
        raise ValueError(f"{where}: the placeholder(s) {sorted(missing)} are not given by its code; "
                         f"it gives {sorted(given)}.")


def _table(where: str, table: object) -> dict:
    """``table`` as a dict if it is a TOML table."""
    if not isinstance(table, Mapping):
        raise ValueError(f"{where}: must be a table, got {table!r}.")
    return dict(table)


def _keys(where: str, table: object, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """``table`` if it is a table with every required key and no key outside required + optional."""
    _table(where, table)
    missing = [key for key in required if key not in table]
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}; every one of {required} is required.")
    unknown = [key for key in table if key not in (*required, *optional)]
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; accepted keys are {(*required, *optional)}.")
    return dict(table)


def _text(where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be a non-empty string, got {value!r}.")
    return value


def _see(where: str, value: object) -> tuple[tuple[str, str], ...]:
    """``see``: a non-empty list of [notebook, section heading] pairs of strings."""
    if (not isinstance(value, list) or not value
            or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
                       for p in value)):
        raise ValueError(f"{where}: must be a non-empty list of [notebook, section heading] pairs, "
                         f"got {value!r}.")
    return tuple((notebook, section) for notebook, section in value)


# --- the two kinds of file ----------------------------------------------------------------------------

def _validate_bank(name: str, data: dict) -> dict:
    """A bank's document, checked, with questions stripped and ``see`` as tuples of pairs."""
    _keys(name, data, ("title", "exercises"))
    bank = {"title": _text(f"{name}: title", data["title"]), "exercises": {}}
    for exercise_id, table in _table(f"{name}: exercises", data["exercises"]).items():
        where = f"{name}: exercise {exercise_id!r}"
        table = _keys(where, table, EXERCISE_KEYS, OPTIONAL_KEYS)
        entry = {key: _text(f"{where}: {key}", table[key]) for key in ("title", "question", "explanation")}
        entry["question"] = entry["question"].strip()
        entry["see"] = _see(f"{where}: see", table["see"])
        entry["traps"] = {key: _text(f"{where}: traps.{key}", message)
                          for key, message in _table(f"{where}: traps", table.get("traps", {})).items()}
        bank["exercises"][exercise_id] = entry
    return bank


def _validate_common(name: str, data: dict) -> dict:
    """``common.toml``: exactly the messages of :data:`COMMON`, each using only its code's placeholders,
    and the shared ``[traps]``."""
    _keys(name, data, (*COMMON, *FREE))
    common = {}
    for section, given in COMMON.items():
        common[section] = _keys(f"{name}: [{section}]", data[section], tuple(given))
        for key, message in common[section].items():
            where = f"{name}: {section}.{key}"
            if not isinstance(message, str):
                raise ValueError(f"{where}: must be a string, got {message!r}.")
            check_placeholders(where, message, given[key])
    common["traps"] = {key: _text(f"{name}: traps.{key}", message)
                       for key, message in _table(f"{name}: [traps]", data["traps"]).items()}
    common["formats"] = _table(f"{name}: [formats]", data["formats"])
    for key, message in common["formats"].items():
        if not isinstance(message, str):
            raise ValueError(f"{name}: formats.{key}: must be a string, got {message!r}.")
        check_placeholders(f"{name}: formats.{key}", message, ())
    return common


def _hints(where: str, value: object) -> tuple[str, ...]:
    """``hints``: a non-empty list of non-empty strings, the first the least detailed."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: must be a non-empty list of strings, got {value!r}.")
    return tuple(_text(f"{where}[{k}]", hint) for k, hint in enumerate(value))


def _validate_labs(name: str, data: dict) -> dict:
    """``labs.toml``: its title, exactly the sentences of :data:`LAB_CHECK` (each using only its code's
    placeholders) and each lab's words (the placeholders of its ``bugs`` are checked by
    ``tests/test_labs.py``, which triggers every one)."""
    _keys(name, data, ("title", "check", "labs"))
    labs = {"title": _text(f"{name}: title", data["title"]),
            "check": _keys(f"{name}: [check]", data["check"], tuple(LAB_CHECK)), "labs": {}}
    for key, message in labs["check"].items():
        where = f"{name}: check.{key}"
        _text(where, message)
        check_placeholders(where, message, LAB_CHECK[key])
    for lab_id, table in _table(f"{name}: labs", data["labs"]).items():
        where = f"{name}: lab {lab_id!r}"
        table = _keys(where, table, LAB_KEYS, ("bugs",))
        entry = {key: _text(f"{where}: {key}", table[key]) for key in ("title", "question")}
        entry["question"] = entry["question"].strip()
        entry["see"] = _see(f"{where}: see", table["see"])
        entry["hints"] = _hints(f"{where}: hints", table["hints"])
        entry["bugs"] = {key: _text(f"{where}: bugs.{key}", message)
                         for key, message in _table(f"{where}: bugs", table.get("bugs", {})).items()}
        labs["labs"][lab_id] = entry
    return labs


_VALIDATE = {"common": _validate_common, "labs": _validate_labs}


@cache
def load(name: str, language: str = ENGLISH, root: Path | None = None) -> dict:
    """The text of ``name`` ("bank_01_counting", "common" or "labs") in ``language``, validated.

    The English file holds every key; a translation file overrides any of them, message by message,
    and may hold no key the English file lacks (a misspelt key would otherwise be ignored silently).

    Raises
    ------
    ValueError
        A file that is not valid TOML, a missing or unknown key, a value of the wrong type, or a common
        message that uses a placeholder its code does not give; the message names the file and the key.

    Examples
    --------
    >>> load("bank_01_counting")["exercises"]["count-one-gate"]["title"]
    'One gate of LSTM(10) on 5 features'
    """
    validate = _VALIDATE.get(name, _validate_bank)
    source = path_of(name, ENGLISH, root)
    english = _read(source)
    checked = validate(source.name, english)
    if language == ENGLISH:
        return checked
    path = path_of(name, language, root)
    flat, translated = _flat(english), _flat(_read(path)) if path.exists() else {}
    unknown = [".".join(key) for key in translated if key not in flat]
    if unknown:
        raise ValueError(f"{path.name}: unknown key(s) {unknown}: a translation holds only keys of "
                         f"{source.name}.")
    return validate(path.name, _nested({**flat, **translated}))


def untranslated(name: str, language: str, root: Path | None = None) -> list[str]:
    """The keys of ``name`` that the ``language`` file leaves out (shown in English), dotted.

    Examples
    --------
    >>> untranslated("bank_01_counting", "xx")[:2]
    ['title', 'exercises.count-one-gate.title']
    """
    path = path_of(name, language, root)
    translated = _flat(_read(path)) if path.exists() else {}
    return [".".join(key) for key in _flat(_read(path_of(name, ENGLISH, root))) if key not in translated]


def languages(root: Path | None = None) -> tuple[str, ...]:
    """English and every language with a translation file (of any bank or of ``common``).

    Examples
    --------
    >>> languages()[0]
    'en'
    """
    found = {path.suffixes[-2].lstrip(".") for path in (root or HERE).glob("*.*.toml")}
    return (ENGLISH, *sorted(found))


# --- what a check says ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Feedback:
    """What :func:`check` says: ``ok`` is True (correct), False (not quite) or None (not answered yet).

    ``status`` names the outcome in English (:data:`CORRECT`, :data:`WRONG`, :data:`NOT_ANSWERED`);
    the printed and HTML forms say it in the feedback's ``language``.
    """

    exercise_id: str
    ok: bool | None
    message: str
    language: str = ENGLISH

    @property
    def status(self) -> str:
        return {True: CORRECT, False: WRONG, None: NOT_ANSWERED}[self.ok]

    @property
    def _said(self) -> str:
        key = {True: "status-correct", False: "status-wrong", None: "status-not-answered"}[self.ok]
        return load("common", self.language)["check"][key]

    def __str__(self) -> str:
        return f"[{self._said}] {self.exercise_id}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {True: "#1b7f3b", False: "#b00020", None: "#555555"}[self.ok]
        return (f"<div style='border-left:4px solid {colour};padding:2px 8px'>"
                f"<b style='color:{colour}'>{html.escape(self._said)}</b> · "
                f"<code>{html.escape(self.exercise_id)}</code>"
                f"<br>{html.escape(self.message)}</div>")


def hint(see: object, language: str = ENGLISH) -> str:
    """Where to read again, for an exercise's or a lab's ``see`` pairs: "see 02_example_13x5_to_10,
    section 'One gate, by hand'", with each section's heading as the ``language`` edition writes it.

    Examples
    --------
    >>> hint([["02_example_13x5_to_10", "One gate, by hand"]])
    "see 02_example_13x5_to_10, section 'One gate, by hand'"
    """
    says = load("common", language)["exercise"]
    places = [render(says["place"], {"notebook": notebook,
                                     "section": section_name(notebook, section, language)})
              for notebook, section in see]
    return render(says["hint"], {"places": says["place-separator"].join(places)})


#: The section headings of each translated edition, by "notebook#English heading" (written from the
#: edition's translations by book/i18n.py, which the tests keep current).
SECTIONS = HERE.parent / "data" / "sections.{language}.json"


def section_name(notebook: str, section: str, language: str = ENGLISH) -> str:
    """The heading of ``notebook``'s section ``section`` (its English heading) in ``language``."""
    if language == ENGLISH:
        return section
    return _section_names(language).get(f"{notebook}#{section}", section)


@cache
def _section_names(language: str) -> dict[str, str]:
    import json

    path = Path(str(SECTIONS).format(language=language))
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def exercise_markdown(item: object) -> str:
    """The markdown cell of an exercise or a coding lab in its notebook (``common.toml``'s
    ``[exercise] markdown``): ``item``'s number, title, difficulty, minutes, id and question."""
    common = load("common", item.language)
    return render(common["exercise"]["markdown"], {
        "number": item.number, "title": item.title, "difficulty": common["difficulties"][item.difficulty],
        "minutes": item.minutes, "id": item.id, "question": item.question})
