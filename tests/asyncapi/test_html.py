"""The docs page's text: descriptions as CommonMark, safely; constraints in words."""

from __future__ import annotations

from typing import Annotated

import msgspec

from sioschema import Emit, Event, EventRegistry, asyncapi
from tests.asyncapi import tricky


class Note(msgspec.Struct):
    """A note; `text` is *markdown* <b>as written</b>, ``a `tick` inside`` too.

    - see [the guide](https://example.com/guide?a=1&b=2 "Guide")
    - **never** [a script](javascript:alert(1)) or ![a pixel](https://example.com/p.png)

    # not a heading
    """

    text: Annotated[str, msgspec.Meta(description="Say `<script>` & `x`` y`, _softly_")]
    cells: Annotated[list[int], msgspec.Meta(min_length=3, max_length=3)]
    code: Annotated[str, msgspec.Meta(min_length=4, max_length=4)]
    level: Annotated[int, msgspec.Meta(ge=2, le=2)]
    tags: Annotated[list[str], msgspec.Meta(min_length=1, max_length=5)]


class Notes(EventRegistry, title="Notes"):
    """Everything `inline`; a lone ` backtick stays text. <img src=x onerror=alert(1)>"""

    note = Emit(Note)


PAGE = asyncapi.render_html(Notes)


def test_code_spans_become_code() -> None:
    assert "<p>Everything <code>inline</code>; a lone ` backtick stays text." in PAGE
    assert "<code>a `tick` inside</code> too." in PAGE
    assert "Say <code>&lt;script&gt;</code> &amp; <code>x`` y</code>" in PAGE  # CommonMark


def test_emphasis_links_and_lists_are_rendered() -> None:
    assert "<code>text</code> is <em>markdown</em>" in PAGE
    assert "<code>x`` y</code>, <em>softly</em></td>" in PAGE  # in a field's table cell
    assert '<li>see <a href="https://example.com/guide?a=1&amp;b=2" title="Guide">' in PAGE
    assert "<li><strong>never</strong>" in PAGE


def test_nothing_in_a_description_becomes_markup_of_its_own() -> None:
    assert "&lt;b&gt;as written&lt;/b&gt;" in PAGE and "<b>" not in PAGE
    assert "&lt;img src=x onerror=alert(1)&gt;" in PAGE
    assert "<script>" not in PAGE and "javascript:" not in PAGE.replace(
        "[a script](javascript:alert(1))", ""
    )
    assert "[a script](javascript:alert(1))" in PAGE  # left as text, not a link
    assert "<img" not in PAGE  # an image would load from elsewhere: it stays a link
    assert "<p># not a heading</p>" in PAGE and PAGE.count("<h1>") == 1  # the title


def test_equal_bounds_read_as_one() -> None:
    assert "<td data-label=Constraints>exactly 3 items</td>" in PAGE
    assert "<td data-label=Constraints>length 4</td>" in PAGE
    assert "<td data-label=Constraints>= 2</td>" in PAGE
    assert "<td data-label=Constraints>items ≥ 1, items ≤ 5</td>" in PAGE


class Seats(EventRegistry, title="Seats"):
    take = Event(
        request=(Annotated[str, msgspec.Meta(title="room")], int),
        ack=(int, Annotated[str, msgspec.Meta(title="token <b>")]),
    )


def test_multi_argument_events_name_the_arguments_given_a_title() -> None:
    page = asyncapi.render_html(Seats)
    assert "<li>Argument 1, <code>room</code>: <p class=desc>string</p></li>" in page
    assert "<li>Argument 2: <p class=desc>integer</p></li>" in page
    assert "<li>Argument 2, <code>token &lt;b&gt;</code>: <p class=desc>string</p></li>" in page


def test_generic_types_read_as_written() -> None:
    page = asyncapi.render_html([tricky.Game, tricky.Chat])
    assert '<li><a href="#schema-Page_Point_"><code>Page[Point]</code></a></li>' in page
    assert '<article id="schema-Page_Point_"><h4><code>Page[Point]</code></h4>' in page
    assert "<code>Page_Point_</code>" not in page
    # two classes named Point keep the keys that tell them apart
    assert "<h4><code>tests.asyncapi.tricky.Point</code></h4>" in page
