"""The YAML loader: positions, safety limits, and never crashing on any input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.common.diagnostics import Position
from reconciler.load.yamlsource import (
    _UNUSUAL,
    MAX_DEPTH,
    LoadResult,
    _careful_load,
    _fast_data,
    load_file,
    load_text,
)
from reconciler.load.yamlsource import _Loader as TextTimestampLoader


def test_positions_of_values_and_keys_are_recorded() -> None:
    doc = load_text("a: 1\nb:\n  c: [x, y]\n", "f.yaml").document
    assert doc is not None
    assert doc.locate(("b", "c", 1)) == Position(3, 10)
    assert doc.locate(("b", "c"), key=True) == Position(3, 3)
    assert doc.locate(("b", "missing", 4)) == Position(3, 3)  # nearest ancestor


def test_timestamps_stay_strings_and_other_scalars_keep_their_types() -> None:
    doc = load_text("d: 2024-01-02\nt: 2024-01-02T03:04:05Z\nn: 1.5\nb: true\nz: ~\n", "f.yaml")
    assert doc.document is not None
    assert doc.document.data == {
        "d": "2024-01-02",
        "t": "2024-01-02T03:04:05Z",
        "n": 1.5,
        "b": True,
        "z": None,
    }


def test_billion_laughs_is_refused_at_the_first_alias() -> None:
    text = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    result = load_text(text, "f.yaml")
    assert result.document is None
    assert [(d.code, d.position) for d in result.diagnostics] == [("yaml-alias", Position(2, 8))]


def test_nesting_limit_is_enforced_below_the_parser_recursion_limit() -> None:
    shallow = load_text("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH, "f.yaml")
    deep = load_text("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "f.yaml")
    assert shallow.document is not None
    assert [d.code for d in deep.diagnostics] == ["too-deep"]


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    result = load_file(path, "x.yaml")
    assert [d.code for d in result.diagnostics] == ["encoding"]


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    result = load_file(tmp_path, "folder.yaml")
    assert [d.code for d in result.diagnostics] == ["io"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_gives_data_or_diagnostics_never_an_exception(text: str) -> None:
    result = load_text(text, "fuzz.yaml")
    assert (result.document is None) == bool(result.diagnostics)
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.message


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_loader_builds_the_same_data_as_pyyaml_itself(value: object) -> None:
    """The position-keeping builder agrees with PyYAML's constructor (timestamps as text)."""
    text = yaml.safe_dump({"root": value}, allow_unicode=True)
    result = load_text(text, "round.yaml")
    assert result.document is not None
    assert result.document.data == yaml.load(text, Loader=TextTimestampLoader)


structured_yaml = st.lists(
    st.sampled_from(
        [
            "a:",
            " b:",
            "  - c",
            "- ",
            "{",
            "}",
            "[",
            "]",
            ": ",
            "&x ",
            "*x",
            "!!str ",
            "!!python/name:os.system",
            "\n",
            "  ",
            "'q'",
            '"\\u0000"',
            "? ",
            "---\n",
            "%YAML 1.1\n",
            "|\n  text",
            "<<: ",
            "~",
            "0x1F",
            "2024-01-01",
            "1e3",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(structured_yaml)
def test_yaml_shaped_noise_never_crashes_the_loader(text: str) -> None:
    result = load_text(text, "noise.yaml")
    assert (result.document is None) == bool(result.diagnostics)


def careful(text: str) -> LoadResult:
    return _careful_load(text, "f.yaml")


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(structured_yaml, st.text(max_size=200)))
def test_the_fast_path_gives_the_careful_paths_data_or_steps_aside(text: str) -> None:
    """Where both paths read a document, they read the same data."""
    fast = _fast_data(text)
    result = careful(text)
    if fast is _UNUSUAL or result.document is None:
        return  # steps aside, or an exotic form only libyaml reads (the module says which)
    assert fast == result.document.data
    load_text(text, "f.yaml").document.locate(("a", 0))  # positions never raise


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # alias
        "a: 1\na: 2\n",  # duplicate key
        "1: one\n",  # non-string key
        "a: !!binary aGk=\n",  # tag
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [" * 200 + "]" * 200 + "\n",  # deep flow nesting
        "a:\n\tb: 1\n",  # tab
        "when: 2026-11-30\n",  # timestamp stays text: not unusual, same data
    ],
)
def test_the_fast_path_steps_aside_for_what_needs_explaining(text: str) -> None:
    fast = _fast_data(text)
    result = careful(text)
    if result.diagnostics:
        assert fast is _UNUSUAL
    else:
        assert result.document is not None and fast == result.document.data


def test_positions_are_found_from_the_text_when_asked() -> None:
    doc = load_text("a:\n  b: [1, 2]\n", "f.yaml").document
    assert doc is not None and "_positions" not in doc.__dict__  # the fast path kept none
    assert doc.locate(("a", "b", 1)) == Position(2, 10)


def test_an_integer_python_will_not_convert_is_a_clear_error() -> None:
    result = load_text("a: " + "9" * 5000 + "\n", "f.yaml")
    assert result.document is None
    (problem,) = result.diagnostics
    assert (problem.line, problem.column, problem.path) == (1, 4, "$.a")
    assert problem.message == "a number of 5,000 characters is too long: quote it if it is text"


def test_a_file_s_positions_are_read_again_from_it_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text("name: a\ncontent:\n  model_overview:\n    model_name: m\n")
    doc = load_file(path, "cards/card.yaml").document
    assert doc is not None and not isinstance(doc.text, str)  # the text is not held
    assert doc.locate(("content", "model_overview", "model_name")) == Position(4, 17)


def test_a_file_changed_since_it_was_parsed_gives_no_positions_from_its_new_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "card.yaml"
    path.write_text("name: a\ncontent: {}\n")
    doc = load_file(path, "cards/card.yaml").document
    path.write_text("# moved down\n\n\nname: a\ncontent: {}\n")
    assert doc is not None and doc.locate(("content",)) == Position(1, 1)


def test_short_values_repeated_across_files_are_held_once_and_long_ones_are_not() -> None:
    short, long = "xgboost-" + "binary", "a description " * 10
    first = load_text(f"a: {short}\nb: {long}\n", "one.yaml").document
    second = load_text(f"a: {short}\nb: {long}\n", "two.yaml").document
    assert first is not None and second is not None
    assert first.data["a"] is second.data["a"]
    assert first.data["b"] == second.data["b"] and first.data["b"] is not second.data["b"]
