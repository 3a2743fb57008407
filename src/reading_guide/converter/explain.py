"""``--explain``: what the converter saw in one source, one row per passage."""

from __future__ import annotations

from reading_guide.converter.corpus import SourceReading


def explain(reading: SourceReading) -> str:
    record = reading.record
    rows = [f"{reading.source}  slug={record.slug}  style={reading.style.name}  title={reading.title!r}", ""]
    rows.append(f"{'¶':>4}  {'line':>4}  {'kind':<15} {'thread':<8} {'marker':<6} {'text':<48} rule / byline")
    for p, rule in zip(reading.passages, reading.rules, strict=True):
        first_line = p.text.split("\n")[0]
        text = first_line[:46] + ("…" if len(first_line) > 46 or "\n" in p.text else "")
        said = f"{p.author} · {p.date}" if p.kind == "byline" else rule
        rows.append(f"{p.number:>4}  {p.line:>4}  {p.kind:<15} {p.thread or '':<8} {p.marker:<6} {text:<48} {said}")
    return "\n".join(rows)
