"""Before anything is timed, every contender shows that it does what its row says.

Each validating contender gets the payload with one constraint broken
(``Payload.invalid``) and must reject it; each unvalidated one must pass it through
untouched. A contender that does otherwise stops the run: its figures would time
something other than what its row names (a validator that validates nothing, say).
"""

from __future__ import annotations

from typing import Any

from benchmarks.contenders import Codec
from benchmarks.payloads import EVENT, Payload


class ProofFailed(SystemExit):
    """A contender did not do what its row says; the run stops."""

    def __init__(self, message: str) -> None:
        super().__init__(f"benchmark aborted: {message}")
        self.message = message


def codecs(kind: str, p: Payload, found: dict[str, Codec]) -> None:
    """``micro`` / ``packet`` rows: decode the invalid wire form with each codec."""
    wire = p.invalid_json if kind == "micro" else p.invalid_packet
    for label, codec in found.items():
        try:
            codec.decode(wire)
        except codec.rejects:
            continue
        except Exception as exc:
            msg = f"{label!r} ({p.size}) failed on the invalid payload with {exc!r:.300}"
            raise ProofFailed(msg) from exc
        if codec.rejects:
            msg = f"{label!r} ({p.size}) accepted an invalid payload: it validates nothing"
            raise ProofFailed(msg)


def answer(name: str, validates: bool, p: Payload, got: Any) -> None:
    """A server's ack to the invalid payload: an error object from a validating
    contender (every contender here answers ``{"error": ...}``), the payload itself
    from an unvalidated one (whose handler echoes what it gets)."""
    if isinstance(got, str):  # sio-asyncapi acks a JSON string when it succeeds
        got = _loads(got)
    if validates and not (isinstance(got, dict) and "error" in got and got != p.invalid):
        msg = f"{name} ({p.size}) accepted an invalid payload: it answered {got!r:.200}"
        raise ProofFailed(msg)
    if not validates and got != p.invalid:
        msg = f"{name} ({p.size}) should pass the payload through, answered {got!r:.200}"
        raise ProofFailed(msg)


def _loads(s: str) -> Any:
    import json

    try:
        return json.loads(s)
    except ValueError:
        return s


def flask_test_client(name: str, mod: Any, p: Payload) -> Any:
    """A Flask-SocketIO test client of the contender's server (threading, handlers run
    inline), after the server answered the invalid payload as its row says; ``None`` for a
    contender with no Flask server."""
    made = getattr(mod, "server", lambda *a, **k: None)(
        "flask", p, async_mode="threading", async_handlers=False
    )
    if made is None:
        return None
    app, sio = made
    client = sio.test_client(app)
    answer(name, mod.VALIDATES, p, client.emit(EVENT, p.invalid, callback=True))
    return client
