"""Writing the shipped model's ``manifest.json`` (file checksums), shared by training and evaluation."""

from __future__ import annotations

import json
from pathlib import Path


def sha256_file(path: Path) -> str:
    """sha256 of a file, the same way the loader checks it."""
    from quotex.ner import _sha256

    return _sha256(path)


def file_entries(out: Path) -> dict:
    """name -> sha256 and size of every model file in ``out`` (not the manifest, not hidden files)."""
    entries = {}
    for p in sorted(out.iterdir()):
        if p.is_file() and p.name != "manifest.json" and not p.name.startswith("."):
            entries[p.name] = {"sha256": sha256_file(p), "bytes": p.stat().st_size}
    return entries


def write_manifest(out: Path, manifest: dict) -> None:
    """Write ``manifest`` with the current file list to ``out/manifest.json``."""
    manifest["files"] = file_entries(out)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
