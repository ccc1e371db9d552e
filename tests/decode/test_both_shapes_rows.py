"""Both wire shapes of the same conversation give identical query results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from wa_archive import Archive
from wa_archive.decode import decode_baileys_message, decode_history_message
from wa_archive.records import Batch

from ..snapshot import snapshot
from .shapes import to_wmi

FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "baileys"
    / ("baileys_store_v6_example.reloaded.json")
)


def _without_source(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_source(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_without_source(v) for v in value]
    return value


def test_json_and_protobuf_shapes_store_the_same_archive(archive: Archive) -> None:
    store = orjson.loads(FIXTURE.read_bytes())
    messages = [m for chat in store["messages"].values() for m in chat]
    as_json, as_pb = Batch(), Batch()
    for m in messages:
        decode_baileys_message(m, as_json)
        decode_history_message(to_wmi(m), as_pb)
    assert as_json.quarantined == [] and as_pb.quarantined == []
    a, b = archive.ensure_account("json"), archive.ensure_account("protobuf")
    archive.write(a, as_json)
    archive.write(b, as_pb)
    left, right = _without_source(snapshot(archive, a)), _without_source(snapshot(archive, b))
    assert len(left) > 10
    assert left == right
