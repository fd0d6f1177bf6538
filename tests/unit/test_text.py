"""Descriptions are rendered by sioschema's rule, whatever msgspec or Python did to them."""

from __future__ import annotations

import textwrap

import msgspec
import pytest

from sioschema import Event, EventRegistry, asyncapi
from sioschema._text import clean_text

DOCSTRING = "A move.\n\n    The board is:\n\n        x | o\n    \t\n    Ends here.   \n    "
RENDERED = "A move.\n\nThe board is:\n\n    x | o\n\nEnds here."


@pytest.mark.parametrize(
    "given",
    [
        DOCSTRING,  # as written (Python < 3.13)
        textwrap.dedent(DOCSTRING).strip("\r\n"),  # trimmed as msgspec < 0.23 does
        RENDERED,  # trimmed as msgspec 0.23 / Python 3.13 do
    ],
)
def test_one_rendering_whoever_trimmed_first(given: str) -> None:
    assert clean_text(given) == RENDERED


@pytest.mark.parametrize("given", [None, "", "  \n \t\n"])
def test_nothing_left_is_none(given: str | None) -> None:
    assert clean_text(given) is None


class Move(msgspec.Struct):
    """A move.

    The board is:

        x | o

    Ends here.
    """

    x: int


class Api(EventRegistry, title="T", version="1"):
    """The API.

        Indented more.
    Not indented.
    """

    move = Event(request=Move, description="  Make a move.\n    Second line.  ")


@pytest.mark.parametrize("version", asyncapi.VERSIONS)
def test_documents_use_the_rule(version: str) -> None:
    doc = asyncapi.render([Api], asyncapi_version=version)
    assert doc["info"]["description"] == "The API.\n\n    Indented more.\nNot indented."
    schemas = doc["components"]["schemas"]
    assert schemas["Move"]["description"] == "A move.\n\nThe board is:\n\n    x | o\n\nEnds here."
    assert Api.move.description == "Make a move.\nSecond line."
