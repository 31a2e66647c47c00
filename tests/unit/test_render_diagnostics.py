"""render.diagnostics: a validation report as text for people, JSON for machines and
GitHub workflow commands, each ending with the same one-line summary; and the registry
that picks a renderer by name."""

from __future__ import annotations

import json

import pytest

from reconciler.common.diagnostics import Diagnostic, Position, Severity
from reconciler.render import Registry
from reconciler.render.diagnostics import DIAGNOSTICS, ValidationReport, as_json, github, text

ERROR = Diagnostic(
    file="cards/A.yaml",
    position=Position(3, 9),
    path="$.status",
    message="'approved' is not allowed",
    code="schema",
)
WARNING = Diagnostic(
    file="shares/s.yaml",
    position=Position(4, 1),
    path="$.cards",
    message="selects no card",
    code="empty-share",
    severity=Severity.WARNING,
)
FILES = ("reconciler.yaml", "cards/A.yaml", "shares/s.yaml")


def report(*diagnostics: Diagnostic, files: tuple[str, ...] = FILES) -> ValidationReport:
    return ValidationReport(diagnostics=diagnostics, files=files)


SUMMARIES = [
    pytest.param(report(), True, "valid: 3 files checked", id="clean"),
    pytest.param(report(files=("reconciler.yaml",)), True, "valid: 1 file checked", id="one-file"),
    pytest.param(report(WARNING), True, "valid: 3 files checked, 1 warning", id="warnings-only"),
    pytest.param(
        report(ERROR, WARNING),
        False,
        "invalid: 1 error in 1 file, 1 warning (3 files checked)",
        id="both",
    ),
    pytest.param(
        report(ERROR, ERROR, WARNING, WARNING),
        False,
        "invalid: 2 errors in 1 file, 2 warnings (3 files checked)",
        id="files-with-errors-count-once",
    ),
]


@pytest.mark.parametrize(("found", "valid", "summary"), SUMMARIES)
def test_every_format_but_json_ends_with_the_summary(
    found: ValidationReport, valid: bool, summary: str
) -> None:
    assert found.valid is valid
    assert text(found).splitlines()[-1] == summary
    assert github(found).splitlines()[-1] == summary
    assert json.loads(as_json(found))["valid"] is valid


def test_text_gives_one_line_per_problem_where_an_editor_finds_it() -> None:
    assert text(report(ERROR, WARNING)).splitlines()[:2] == [
        "cards/A.yaml:3:9: error: $.status: 'approved' is not allowed [schema]",
        "shares/s.yaml:4:1: warning: $.cards: selects no card [empty-share]",
    ]


def test_json_holds_every_problem_with_its_place_and_severity() -> None:
    body = json.loads(as_json(report(ERROR, WARNING)))
    assert body["format_version"] == "1"
    assert body["files"] == list(FILES)
    assert body["problems"][1] == {
        "file": "shares/s.yaml",
        "line": 4,
        "column": 1,
        "path": "$.cards",
        "code": "empty-share",
        "message": "selects no card",
        "severity": "warning",
    }


def test_json_keeps_text_as_written() -> None:
    accented = Diagnostic(
        file="cards/é.yaml", position=Position(1, 1), path="$", message="“x”", code="c"
    )
    assert "cards/é.yaml" in as_json(report(accented))


ANNOTATIONS = [
    pytest.param(
        ERROR,
        "::error file=cards/A.yaml,line=3,col=9,title=schema::$.status: 'approved' is not allowed",
        id="an-error",
    ),
    pytest.param(
        WARNING,
        "::warning file=shares/s.yaml,line=4,col=1,title=empty-share::$.cards: selects no card",
        id="a-warning",
    ),
    pytest.param(
        Diagnostic(
            file="cards/a,b:c.yaml",
            position=Position(1, 2),
            path="$",
            message="100% wrong\nsecond line\r",
            code="x:y",
        ),
        "::error file=cards/a%2Cb%3Ac.yaml,line=1,col=2,title=x%3Ay"
        "::$: 100%25 wrong%0Asecond line%0D",
        id="escaped-so-nothing-ends-the-command-early",
    ),
]


@pytest.mark.parametrize(("diagnostic", "line"), ANNOTATIONS)
def test_github_annotations(diagnostic: Diagnostic, line: str) -> None:
    assert github(report(diagnostic)).splitlines()[0] == line


def test_the_registry_names_its_formats_and_refuses_others() -> None:
    assert DIAGNOSTICS.names() == ["github", "json", "text"]
    assert DIAGNOSTICS.get("text") is text
    with pytest.raises(ValueError) as unknown:
        DIAGNOSTICS.get("yaml")
    assert str(unknown.value) == (
        "unknown format 'yaml' for validation reports: use one of github, json, text"
    )


def test_a_registry_keeps_the_renderer_it_registers() -> None:
    registry: Registry[int] = Registry("numbers")

    @registry.register("plain")
    def plain(value: int) -> str:
        return str(value)

    assert registry.get("plain")(3) == "3"
    assert plain(4) == "4", "the decorated function is returned unchanged"
