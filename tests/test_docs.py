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


# ---------------------------------------------------------------- every command shown runs (#15 item 9)

import os
import subprocess
import sys

import pytest

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Placeholders in inline commands, and what they stand for on the seeds.
PLACEHOLDERS = {"[PATHS]": "seeds/", "FILE": "seeds/000_507de9a4183cf6e5.txt", "NAME": "Blinken", "N": "2"}


def shown_commands():
    """Every `quotex ...` command in a fenced block or an inline code span of README.md and docs/*.md."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
        lines = [ln for b in blocks for ln in b.splitlines()]
        lines += re.findall(r"`(quotex [^`]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for ln in lines:
            cmd = ln.split(" # ")[0].split("&& ")[-1].strip()
            if re.match(r"quotex (entities|quotes|mentions|cache)\b", cmd) and "|" not in cmd.replace("\\|", ""):
                for k, v in PLACEHOLDERS.items():
                    cmd = re.sub(rf"(?<![\w-]){re.escape(k)}(?![\w-])", v, cmd)
                found.append((doc.name, cmd))
    return sorted(set(found))


def test_the_docs_show_commands():
    cmds = [c for _, c in shown_commands()]
    assert "quotex entities seeds/" in cmds and "quotex quotes --speaker Blinken" in cmds
    assert any("-o q.csv" in c for c in cmds)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder with ./seeds (a link to the repository's), ./pages and ./berita.jsonl, as the docs' commands expect."""
    d = tmp_path_factory.mktemp("docs-run")
    (d / "seeds").symlink_to(ROOT / "seeds")
    # the input examples (docs/input.md): saved pages and a clean scraper dump
    (d / "pages").symlink_to(ROOT / "tests" / "data" / "html")
    (d / "berita.jsonl").symlink_to(ROOT / "tests" / "data" / "inputs" / "clean" / "berita.jsonl")
    return d


def _sh(cmd, cwd, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(cmd, shell=True, cwd=cwd, capture_output=True, text=True, env=env, timeout=600, **kw)


@pytest.mark.stanza
@pytest.mark.parametrize("where, cmd", shown_commands())
def test_every_shown_command_runs_on_the_seeds(workdir, where, cmd):
    r = _sh(f"{sys.executable} -m " + cmd, workdir)
    assert r.returncode == 0, (where, cmd, r.stderr[-2000:])
    assert "Traceback" not in r.stderr


@pytest.mark.stanza
def test_readme_dask_example_and_fold_back_run(workdir):
    pytest.importorskip("dask.bag")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**Beyond one machine.**"):]
    shell = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    run_line = next(ln for ln in shell.splitlines() if ln.startswith("python -m quotex.distributed"))
    r = _sh(run_line.replace("python", sys.executable, 1), workdir)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stderr.strip().splitlines()[-1].startswith("quotex: wrote 2 files")
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    r = _sh(f"{sys.executable} -", workdir, input=code)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.count("Antony Blinken") == 14
    r = _sh(run_line.replace("python", sys.executable, 1), workdir)  # out/ is not empty now
    assert r.returncode == 1 and "is not empty" in r.stderr


@pytest.mark.stanza
def test_readme_python_api_example_runs(workdir):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Python API\n+```python\n(.*?)```", text, re.S).group(1)
    r = _sh(f"{sys.executable} -", workdir, input=code)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Antony Blinken" in r.stdout
