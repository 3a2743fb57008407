"""The register of published anchors: every anchor the guide has published, with its text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reading_guide.converter.corpus import SourceReading
from reading_guide.converter.pages import write_atomically


def published_anchors(readings: list[SourceReading]) -> dict[str, str]:
    """Every anchor the guide publishes, with the text it names (a comment: its first passage)."""
    anchors: dict[str, str] = {}
    for reading in readings:
        anchors |= reading.anchors()
    return anchors


def record_anchors(readings: list[SourceReading], registry: Path) -> int:
    """Add new anchors to the registry; refuse if a recorded anchor vanished or changed text."""
    recorded = json.loads(registry.read_text(encoding="utf-8")) if registry.exists() else {}
    current = published_anchors(readings)
    broken = [a for a, text in recorded.items() if current.get(a) != text]
    for anchor in broken:
        print(f"{registry}: published anchor {anchor!r} would now name other text or nothing", file=sys.stderr)
    if broken:
        return 1
    added = {a: t for a, t in current.items() if a not in recorded}
    if added:
        write_atomically(registry, json.dumps(recorded | added, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"{registry}: {len(added)} new anchors recorded, {len(recorded)} kept")
    return 0
