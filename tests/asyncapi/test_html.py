"""The docs page's text: descriptions with code spans, constraints in words."""

from __future__ import annotations

from typing import Annotated

import msgspec

from sioschema import Emit, EventRegistry, asyncapi


class Note(msgspec.Struct):
    """A note; `text` is *markdown* <b>as written</b>, ``a `tick` inside`` too."""

    text: Annotated[str, msgspec.Meta(description="Say `<script>` & `x`` y`")]
    cells: Annotated[list[int], msgspec.Meta(min_length=3, max_length=3)]
    code: Annotated[str, msgspec.Meta(min_length=4, max_length=4)]
    level: Annotated[int, msgspec.Meta(ge=2, le=2)]
    tags: Annotated[list[str], msgspec.Meta(min_length=1, max_length=5)]


class Notes(EventRegistry, title="Notes"):
    """Everything `inline`; a lone ` backtick stays text."""

    note = Emit(Note)


PAGE = asyncapi.render_html(Notes)


def test_code_spans_become_code_and_everything_else_is_escaped() -> None:
    assert "<p class=desc>Everything <code>inline</code>; a lone ` backtick stays text.</p>" in PAGE
    assert (
        "A note; <code>text</code> is *markdown* &lt;b&gt;as written&lt;/b&gt;, "
        "<code>a `tick` inside</code> too." in PAGE
    )
    assert "Say <code>&lt;script&gt;</code> &amp; <code>x`` y</code>" in PAGE  # CommonMark
    assert "<script>" not in PAGE and "<b>" not in PAGE


def test_equal_bounds_read_as_one() -> None:
    assert "<td data-label=Constraints>exactly 3 items</td>" in PAGE
    assert "<td data-label=Constraints>length 4</td>" in PAGE
    assert "<td data-label=Constraints>= 2</td>" in PAGE
    assert "<td data-label=Constraints>items ≥ 1, items ≤ 5</td>" in PAGE
