"""The README's module map ("Project layout") and src/quotex/ agree: every module is on it, once, and
everything it names exists (#10 item 5)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "quotex"


def layout_rows(readme: str) -> dict[str, str]:
    """``path -> description`` for each row of the table under "## Project layout"."""
    section = readme[readme.index("## Project layout") :]
    section = section[: section.index("\n## ", 1)] if "\n## " in section[1:] else section
    rows: dict[str, str] = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*`(src/quotex/[^`]*)`\s*\|(.*)\|\s*$", line)
        if m:
            assert m.group(1) not in rows, f"{m.group(1)} is on the map twice"
            rows[m.group(1)] = m.group(2)
    return rows


def package_entries(pkg: Path = PKG) -> dict[str, set[str]]:
    """Each module (``.py`` file) and folder of ``pkg`` as the map names it, with the modules of a
    subpackage (empty for a module or a data folder)."""
    out: dict[str, set[str]] = {}
    for p in sorted(pkg.iterdir()):
        name = f"src/quotex/{p.name}"
        if p.is_file() and p.suffix == ".py":
            out[name] = set()
        elif p.is_dir() and not p.name.startswith((".", "__")) and not p.name.endswith(".egg-info"):
            out[name + "/"] = {f.name for f in p.glob("*.py") if f.name != "__init__.py"}
    return out


def mismatches(readme: str, pkg: Path = PKG) -> list[str]:
    rows = layout_rows(readme)
    have = package_entries(pkg)
    errs = [f"{m} is missing from the README's Project layout" for m in have if m not in rows]
    errs += [f"the README's Project layout names {m}, which does not exist" for m in rows if m not in have]
    for m, subs in have.items():
        if m in rows and subs:
            named = set(re.findall(r"`([\w]+\.py)`", rows[m]))
            errs += [f"{m}{s} is missing from its line in the README's Project layout" for s in sorted(subs - named)]
            errs += [f"the README's Project layout names {m}{s}, which does not exist" for s in sorted(named - subs)]
    return errs


def test_readme_module_map_matches_the_package():
    assert mismatches((ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_readme_links_the_architecture_doc():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme and (ROOT / "docs" / "architecture.md").is_file()


def test_the_check_catches_a_missing_and_a_stale_module(tmp_path):
    pkg = tmp_path / "quotex"
    (pkg / "sub").mkdir(parents=True)
    for f in ("__init__.py", "a.py", "b.py", "sub/__init__.py", "sub/x.py", "sub/y.py"):
        (pkg / f).write_text("", encoding="utf-8")
    readme = (
        "## Project layout\n\n| path | what |\n|---|---|\n"
        "| `src/quotex/__init__.py` | init |\n| `src/quotex/a.py` | a |\n| `src/quotex/gone.py` | stale |\n"
        "| `src/quotex/sub/` | `x.py`, `z.py` |\n\n## Next\n| `src/quotex/b.py` | not in the section |\n"
    )
    assert sorted(mismatches(readme, pkg)) == sorted([
        "src/quotex/b.py is missing from the README's Project layout",
        "the README's Project layout names src/quotex/gone.py, which does not exist",
        "src/quotex/sub/y.py is missing from its line in the README's Project layout",
        "the README's Project layout names src/quotex/sub/z.py, which does not exist",
    ])


def test_architecture_doc_names_only_existing_modules_and_stages():
    """docs/architecture.md names modules and pipeline stages that exist (a rename shows up here)."""
    import quotex.pipeline as pipeline
    from quotex.quotes.attribution import RULES
    from quotex.resources import DATA_FILES

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for st in pipeline.STAGES:
        assert f"`{st.__name__}`" in text, st.__name__
    rules = [r.__name__ for r in RULES]
    said = re.search(r"in this order, the first that answers wins\*\*: (.*?)\. A last pass", text, re.S).group(1)
    assert re.findall(r"`(\w+)`", said) == rules
    for name in DATA_FILES:
        assert f"| `{name}` |" in text, name
    mods = {p.stem for p in PKG.glob("*.py")} | {p.name for p in PKG.iterdir() if p.is_dir()}
    for ref in re.findall(r"`([a-z_]+)\.(\w+)", text):
        if ref[1] not in ("yaml", "txt", "json", "md", "py", "sqlite3"):
            assert ref[0] in mods | {"quotex"}, f"docs/architecture.md names {ref[0]}.{ref[1]}: no module {ref[0]}"
    quotes = {p.stem for p in (PKG / "quotes").glob("*.py")}
    for sub in re.findall(r"`quotes\.([a-z_]+)\.", text):
        assert sub in quotes, sub
