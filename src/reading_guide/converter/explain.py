"""``--explain``: what the converter saw in one source, one row per passage."""

from __future__ import annotations

from reading_guide.converter.corpus import SourceReading


def explain(reading: SourceReading) -> str:
    record = reading.record
    rows = [f"{reading.source}  slug={record.slug}  style={reading.style.name}  title={reading.title!r}", ""]
    rows.append(f"{'¶':>4}  {'line':>4}  {'kind':<11} {'thread':<8} {'marker':<6} text")
    for p in reading.passages:
        override = " (override)" if p.number in reading.overridden else ""
        first_line = p.text.split("\n")[0]
        text = first_line[:60] + ("…" if len(first_line) > 60 or "\n" in p.text else "")
        rows.append(f"{p.number:>4}  {p.line:>4}  {p.kind:<11} {p.thread or '':<8} {p.marker:<6} {text}{override}")
    return "\n".join(rows)
