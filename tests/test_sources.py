"""The source texts are the ground truth: byte for byte as they were delivered."""

import hashlib

import pytest

from harness import ROOT

PINNED = {
    "000_a9cd94bf6c069ee6.txt": "05dce5f1f1b1f7943668ec5697e0653ab531ba369fa5416ba6fe927f97281add",
    "001_65107fb359e1f428.txt": "92a6440631d329e57c16624876f541c37dbee59c7f1e585a13d8415e9238523a",
    "002_8ef88bd3e111b80e.txt": "02d601f773b94adb32c20e65d24a840861897ce2a32342ba295ec0112a22e6f6",
    "003_5c3cbf367a68948b.txt": "38c60338f77f65774d5293dc77875ec0fb54e71845af48ba07f665bed393b1eb",
    "004_fd4cb0e37ec218b9.txt": "170f6acf5478023da1afe019947738a4492f29a0b4512ed302073d92717d5b2d",
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_source_is_unchanged(name: str) -> None:
    """Each delivered source still has its original sha256."""
    assert hashlib.sha256((ROOT / "sources" / name).read_bytes()).hexdigest() == PINNED[name]


def test_no_unpinned_sources() -> None:
    """A new source is added on purpose, with its checksum pinned here."""
    assert sorted(p.name for p in (ROOT / "sources").glob("*.txt")) == sorted(PINNED)
