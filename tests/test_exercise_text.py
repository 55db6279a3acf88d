"""The exercises' words as data: every file read and checked, translations falling back message by message."""

import shutil

import pytest

from lstm_utils import exercises as ex
from lstm_utils._validate import FRAMEWORK_ALIASES
from lstm_utils.exercises import checker, text
from lstm_utils.exercises.exercise import Exercise, framework_words

ALL = ex.catalogue()
FILES = ["common", *(f"bank_{notebook}" for notebook in ex.NOTEBOOKS)]


@pytest.fixture
def words(tmp_path):
    """A folder holding a copy of every English file, to break or translate without touching the package."""
    for name in FILES:
        shutil.copy(text.path_of(name), tmp_path)
    return tmp_path


def _write(folder, name, body):
    (folder / name).write_text(body, encoding="utf-8")


# --- the closed sets: kind and difficulty --------------------------------------------------------------

def test_an_unknown_kind_names_the_exercise_the_value_and_the_kinds():
    with pytest.raises(ValueError, match=r"Exercise 'my-exercise': unknown value for kind: 'wrod'\. "
                                         r"Possible values are: \('count', 'number', 'shape', 'gates', "
                                         r"'bool', 'word'\)\. Did you mean 'word'\?"):
        Exercise(id="my-exercise", topic="counting", difficulty="easy", minutes=1, kind="wrod",
                 compute=lambda: "x")
    assert ex.KINDS == ("count", "number", "shape", "gates", "bool", "word")
    assert {e.kind for e in ALL} <= set(ex.KINDS)          # no kind is left unknown (no bank asks a yes/no:
    #                                                       tests/test_exercises.py checks it)


def test_an_unknown_difficulty_names_the_exercise():
    with pytest.raises(ValueError, match=r"Exercise 'my-exercise': unknown value for difficulty: 'easyish'\. "
                                         r"Possible values are: \('easy', 'medium', 'hard'\)"):
        Exercise(id="my-exercise", topic="counting", difficulty="easyish", minutes=1, kind="count",
                 compute=lambda: 1)


# --- a bank file: required keys, unknown keys, types ---------------------------------------------------

def test_every_english_file_is_read_and_checked():
    assert text.languages()[0] == "en"
    for name in FILES:
        assert text.load(name)                              # raises on any fault
    bank = text.load("bank_04_how_the_lstm_learns")
    assert list(bank["exercises"]) == [e.id for e in ex.catalogue("04_how_the_lstm_learns")]
    assert bank["title"] == ex.NOTEBOOKS["04_how_the_lstm_learns"]


def test_the_formats_name_and_note_each_kind_of_answer():
    from lstm_utils.exercises.answers import FORMATS

    formats = text.load("common")["formats"]
    assert list(formats) == [key for f in FORMATS for key in (f.kind, f"{f.kind}-note")] + ["after"]


def test_a_missing_key_is_named(words):
    path = words / "bank_01_counting.toml"
    body = path.read_text(encoding="utf-8")
    start = body.index("question = '''", body.index("[exercises.count-one-gate]"))
    _write(words, path.name, body[:start] + body[body.index("'''\n", start + 14) + 4:])
    said = (r"bank_01_counting\.toml: exercise 'count-one-gate': missing key\(s\) \['question'\]; every one "
            r"of \('title', 'question', 'see', 'explanation'\) is required\.")
    with pytest.raises(ValueError, match=said):
        text.load("bank_01_counting", root=words)


def test_an_unknown_key_is_named(words):
    path = words / "bank_01_counting.toml"
    body = path.read_text(encoding="utf-8").replace(
        "[exercises.count-one-gate]\n", '[exercises.count-one-gate]\nhint = "see notebook 02"\n')
    _write(words, path.name, body)
    said = (r"bank_01_counting\.toml: exercise 'count-one-gate': unknown key\(s\) \['hint'\]; accepted keys "
            r"are \('title', 'question', 'see', 'explanation', 'traps'\)\.")
    with pytest.raises(ValueError, match=said):
        text.load("bank_01_counting", root=words)


@pytest.mark.parametrize("see, found", [('"02_example_13x5_to_10"', "'02_example_13x5_to_10'"),
                                        ("[]", r"\[\]"), ('[["02_example_13x5_to_10"]]', r"\[\[")])
def test_see_must_be_notebook_section_pairs(words, see, found):
    path = words / "bank_01_counting.toml"
    body = path.read_text(encoding="utf-8").replace(
        'see = [["02_example_13x5_to_10", "One gate, by hand"]]', f"see = {see}")
    _write(words, path.name, body)
    with pytest.raises(ValueError, match=r"exercise 'count-one-gate': see: must be a non-empty list of "
                                         rf"\[notebook, section heading\] pairs, got {found}"):
        text.load("bank_01_counting", root=words)


def test_a_file_that_is_not_toml_is_named(words):
    _write(words, "bank_01_counting.toml", 'title = "unclosed\n')
    with pytest.raises(ValueError, match=r"bank_01_counting\.toml: not valid TOML"):
        text.load("bank_01_counting", root=words)


# --- placeholders ---------------------------------------------------------------------------------------

def test_a_common_message_using_a_placeholder_its_code_does_not_give_is_named(words):
    path = words / "common.toml"
    body = path.read_text(encoding="utf-8").replace(
        'wrong = "you answered {answer}: {why} Hint: {hint}."',
        'wrong = "you answered {answer} ({expected}): {why} Hint: {hint}."')
    _write(words, path.name, body)
    said = (r"common\.toml: check\.wrong: the placeholder\(s\) \['expected'\] are not given by its code; "
            r"it gives \['answer', 'hint', 'why'\]\.")
    with pytest.raises(ValueError, match=said):
        text.load("common", root=words)


def test_latex_braces_are_not_placeholders_and_need_no_escaping():
    assert text.placeholders(r"h_{t-1}, dz_{k,t}, \sigma_{\max}, R_{ii} and {rows:,}") == {"ii", "rows"}
    assert text.render("{n:,} rows of h_{t-1}", {"n": 10_000}) == "10,000 rows of h_{t-1}"
    with pytest.raises(ValueError, match=r"x: the placeholder\(s\) \['rows'\] are not given by its code; "
                                         r"it gives \['n'\]\."):
        text.check_placeholders("x", "{rows} rows", ("n",))


def _trap_keys(exercise):
    """(key, parameters) of every typical wrong answer the exercise's traps function gives."""
    traps = exercise.traps() if exercise.traps else {}
    return [(said, {}) if isinstance(said, str) else said for said in traps.values()]


@pytest.mark.parametrize("exercise", ALL, ids=[e.id for e in ALL])
def test_every_trap_key_has_a_message_given_its_placeholders(exercise):
    """The trap functions run here (they may import NumPy): each key names a message of the bank's file
    or of common.toml, and the message uses only the parameters the function passes."""
    for key, params in _trap_keys(exercise):
        assert key in exercise.messages, (exercise.id, key)
        text.check_placeholders(f"{exercise.id}: traps.{key}", exercise.messages[key], params)
        assert exercise.said((key, params))


def test_no_trap_message_is_left_unused():
    used = {(e.notebook, key) for e in ALL for key, _ in _trap_keys(e)}
    for e in ALL:
        for key in text.load(f"bank_{e.notebook}")["exercises"][e.id]["traps"]:
            assert (e.notebook, key) in used, (e.id, key)
    shared = {key for _, key in used}
    assert set(text.load("common")["traps"]) <= shared


# --- translations ---------------------------------------------------------------------------------------

TRANSLATION = '''
title = "de comptage"

[exercises.count-one-gate]
title = "Une porte de LSTM(10) sur 5 variables"

[exercises.count-one-gate.traps]
four-gates = "ce sont les quatre portes."
'''


def test_a_translation_overrides_message_by_message_and_falls_back_to_english(words):
    _write(words, "bank_01_counting.fr.toml", TRANSLATION)
    english = text.load("bank_01_counting", root=words)
    french = text.load("bank_01_counting", "fr", root=words)
    assert french["title"] == "de comptage"
    one_gate, english_one_gate = french["exercises"]["count-one-gate"], english["exercises"]["count-one-gate"]
    assert one_gate["title"] == "Une porte de LSTM(10) sur 5 variables"
    assert one_gate["traps"] == {"four-gates": "ce sont les quatre portes."}
    assert one_gate["question"] == english_one_gate["question"]         # left out: English
    assert french["exercises"]["count-2-to-3"] == english["exercises"]["count-2-to-3"]
    missing = text.untranslated("bank_01_counting", "fr", root=words)
    assert "exercises.count-one-gate.question" in missing and "title" not in missing
    assert "exercises.count-one-gate.traps.four-gates" not in missing
    assert len(missing) == len(text.untranslated("bank_01_counting", "xx", root=words)) - 3
    assert text.languages(words) == ("en", "fr")


def test_a_translation_key_the_english_file_lacks_is_named(words):
    _write(words, "bank_01_counting.fr.toml", '[exercises.count-one-gate]\ntitel = "Une porte"\n')
    said = (r"bank_01_counting\.fr\.toml: unknown key\(s\) \['exercises\.count-one-gate\.titel'\]: a "
            r"translation holds only keys of bank_01_counting\.toml\.")
    with pytest.raises(ValueError, match=said):
        text.load("bank_01_counting", "fr", root=words)


def test_check_speaks_the_chosen_language(words, monkeypatch):
    _write(words, "bank_01_counting.fr.toml", TRANSLATION)
    _write(words, "common.fr.toml", '[check]\nstatus-wrong = "pas encore"\n'
                                    'wrong = "vous avez répondu {answer} : {why} Indice : {hint}."')
    monkeypatch.setattr(text, "HERE", words)
    try:
        checker.set_language("fr")
        wrong = ex.check("count-one-gate", 640)
        assert wrong.message == ("vous avez répondu 640 : ce sont les quatre portes. Indice : see "
                                 "02_example_13x5_to_10, section 'One gate, by hand'.")
        assert wrong.status == "not quite" and str(wrong).startswith("[pas encore] count-one-gate: vous")
        assert ex.get("count-one-gate").markdown.startswith("### 1.1 · Une porte de LSTM(10)")
        assert ex.check("count-one-gate", 160).message == "160 is right: m*(n+m) + m with n = 5, m = 10."
    finally:
        checker.set_language("en")
        monkeypatch.undo()                                  # then read the package's own files again
        text.load.cache_clear()
        checker._registry.cache_clear()
    assert ex.check("count-one-gate", 640).message.startswith("you answered 640: that is all four gates.")


def test_an_unknown_language_is_named():
    with pytest.raises(ValueError, match=r"Unknown value for language: 'fr'\. Possible values are: \('en',"):
        ex.set_language("fr")


# --- framework words come from the registry -------------------------------------------------------------

def test_framework_answers_accept_every_alias_check_framework_accepts():
    exercise = ex.get("learn-forget-bias-framework", reveal=True)
    assert framework_words().items() <= dict(exercise.words).items()
    for alias, name in FRAMEWORK_ALIASES.items():
        assert ex.check(exercise.id, alias).ok is (name == exercise.expected), alias
    assert ex.check(exercise.id, "tf.keras").message.startswith("you answered 'tf.keras': Keras starts")
