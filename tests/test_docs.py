"""The README's promises: its first commands, CI running exactly its test command, documented commands."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    return [ln for ln in block.splitlines() if ln.strip()]


def test_readme_opens_with_install_and_test_commands():
    first, second = _readme_commands()[:2]
    assert first.endswith("quotex entities seeds/")
    assert "pip install" in first and "pip install" in second
    assert second.endswith("python -m pytest")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _readme_commands()[1] in ci


def test_every_command_is_documented():
    from quotex.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in app.registered_commands:
        name = cmd.name or cmd.callback.__name__
        assert f"quotex {name}" in readme, name
