"""Step 1: a source file's bytes become text, or a clear error that names the file."""

from __future__ import annotations

from pathlib import Path

from reading_guide.converter.errors import InputError


def decode(path: Path) -> str:
    """Return the source as text with a BOM dropped and line endings normalised."""
    data = path.read_bytes()
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path}: binary file (NUL byte at offset {nul}); a source must be plain UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"{path}: byte 0x{data[err.start]:02X} at offset {err.start} (line {line}) is not UTF-8; "
            "re-save the file as UTF-8"
        ) from None
    # Every Unicode line boundary (CRLF, CR, NEL, U+2028 ...) becomes "\n", as the parsers downstream split there.
    text = "\n".join(text.removeprefix("\ufeff").splitlines())
    if not text.strip():
        raise InputError(f"{path}: the file is empty or holds only whitespace; add the captured text")
    return text
