"""The one rule for text sioschema renders from docstrings and descriptions.

msgspec's JSON Schema turns a class docstring into ``description``, and how it trims the
indentation has changed between msgspec releases (and Python 3.13 trims docstrings when
it compiles them). sioschema renders the text itself instead of relying on either: every
description in a document and on the docs page goes through :func:`clean_text`.
"""

from __future__ import annotations

import inspect

__all__ = ["clean_text"]


def clean_text(text: str | None) -> str | None:
    """``text`` as sioschema renders it; ``None`` when nothing is left.

    Tabs expanded to 8 columns, the first line's leading whitespace removed, the common
    indentation of the other lines removed (:func:`inspect.cleandoc`), trailing
    whitespace removed from every line, blank lines at either end dropped. Idempotent,
    so text that msgspec (any release) or Python 3.13 already trimmed comes out the same.
    """
    if not text:
        return None
    lines = [line.rstrip() for line in inspect.cleandoc(text).split("\n")]
    return "\n".join(lines).strip("\n") or None
