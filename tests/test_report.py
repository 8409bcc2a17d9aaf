"""The HTML report: strict parse, every quote and entity present and linked, hostile text
escaped, and the seeds' page in a real headless Chromium (skipped, with the reason, where
Chromium or chromedriver is not installed)."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import html5lib
import pytest
from typer.testing import CliRunner

from quotex import analyze
from quotex.cli import app
from quotex.errors import EXIT_PARTIAL, EXIT_USAGE
from quotex.report import _e, _hid, render_report

HOSTILE_ARTICLE = (
    "Judul <script>window.__pwned = 1; alert(1)</script> berita\n\n"
    "Warga menulis \"><img src=x onerror=\"window.__pwned = 2\"> di dinding & <b>tebal</b>.\n\n"
    "“</script><script>window.__pwned = 3</script> harus berhenti,” kata Antony Blinken di Seoul.\n\n"
    "Ada juga kode nakal \x0b\x1f\x7f\x85\ufdd0\U0001fffe di sini.\n\n"
    "Baca Juga: <svg onload=\"window.__pwned = 4\"></svg> Korea Utara\n"
)


def parse(page: str):
    """Strict HTML5 parse (html5lib raises on any parse error), plain element names."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def els(tree, name: str) -> list:
    """Elements named ``name`` in HTML or in the SVG namespace."""
    return [el for el in tree.iter() if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == name]


def cls(el) -> set[str]:
    return set((el.get("class") or "").split())


def text_of(el, skip=("who", "bp-tag")) -> str:
    """textContent, leaving out the speaker badges and 'left out' tags the report adds."""
    out = [el.text or ""]
    for child in el:
        if not (cls(child) & set(skip)):
            out.append(text_of(child, skip))
        out.append(child.tail or "")
    return "".join(out)


def by_id(tree) -> dict:
    ids = Counter(el.get("id") for el in tree.iter() if el.get("id") is not None)
    dup = [i for i, n in ids.items() if n > 1]
    assert not dup, f"duplicate ids: {dup[:5]}"
    return {el.get("id"): el for el in tree.iter() if el.get("id") is not None}


def parents(tree) -> dict:
    return {child: parent for parent in tree.iter() for child in parent}


def ancestor(el, parent_of, pred):
    while el is not None:
        if pred(el):
            return el
        el = parent_of.get(el)
    return None


# ---------------------------------------------------------------- structure (no model)


@pytest.fixture(scope="module")
def page_no_ner(seed_corpus_no_ner):
    return render_report(seed_corpus_no_ner, sources=["seeds"])


def check_complete(corpus, page):
    """Every quote, entity and mention of ``corpus`` is in ``page``, linked both ways, and each
    article's text (badges and tags aside) is the document text, boilerplate dimmed."""
    tree = parse(page)
    ids = by_id(tree)
    parent_of = parents(tree)
    for a in els(tree, "a"):
        href = a.get("href")
        assert href and href.startswith("#"), f"link out of the page: {href!r}"
        assert href[1:] in ids, f"dangling link {href}"
    scripts = list(tree.iter("script"))
    assert len(scripts) == 1 and "__pwned" not in (scripts[0].text or "")
    assert not [el for el in tree.iter() for k in el.attrib if k.lower().startswith("on")]

    # documents: the text is all there, boilerplate ranges dimmed
    docs = {r.doc_id: r for r in corpus.results}
    for i, r in enumerate(corpus.results):
        art = ids[f"d{i}"]
        body = next(el for el in art.iter("div") if "text" in cls(el))
        assert text_of(body) == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\U0001fffe]", "\ufffd", r.text).replace("\r\n", "\n")
        bps = [text_of(el) for el in body.iter("span") if "bp" in cls(el)]
        assert bps == [r.text[a:b] for a, b in r.excluded]

    # entities: one row each, every mention links to its row
    for e in corpus.entities():
        row = ids[_hid("e-", e.id)]
        assert row.tag == "tr" and text_of(row.find("th")) == e.canonical
    mention_links = [a for a in tree.iter("a") if "m" in cls(a)]
    mentions = corpus.mentions()
    assert len(mention_links) == len(mentions)
    got = Counter((a.get("href"), text_of(a)) for a in mention_links)
    assert got == Counter((f"#{_hid('e-', m.entity_id)}", m.text) for m in mentions)

    # quotes: under their speaker in the index, linked to the place in the article, which links back
    quotes = corpus.quotes()
    items = [li for li in tree.iter("li") if "sq" in cls(li)]
    assert len(items) == len(quotes)
    seen = set()
    for q in quotes:
        entry_id = _hid("s-", q.speaker_id) if q.speaker_id else ("unattributed" if not q.speaker else _hid("s-", q.speaker))
        entry = ids[entry_id]
        assert entry.tag == "article" and "speaker" in cls(entry)
        li = next(li for li in entry.iter("li") if text_of(li.find("q")) == q.text and li.get("id") not in seen)
        seen.add(li.get("id"))
        link = li.find("p").find("a")
        assert text_of(link) == q.doc
        target = ids[link.get("href")[1:]]
        art = ancestor(target, parent_of, lambda el: "doc" in cls(el))
        assert art is not None and docs[q.doc].doc_id in text_of(art.find("h3"))
        assert target.tag == "mark" and q.text in text_of(target)
        badge = next(iter(parent_of[target][list(parent_of[target]).index(target) + 1:]))
        assert "who" in cls(badge) and badge.get("href") == f"#{entry_id}"
    return tree, ids


def test_seeds_report_parses_and_links_everything_no_ner(seed_corpus_no_ner, page_no_ner):
    tree, ids = check_complete(seed_corpus_no_ner, page_no_ner)
    assert sum(len(r.excluded) for r in seed_corpus_no_ner.results) >= 5  # Baca Juga, Read Next, More Stories, SHARE, bylines
    title = tree.find("head").find("title").text
    assert title == "quotex report: 5 documents"


def test_page_is_self_contained(page_no_ner):
    tree = parse(page_no_ner)
    csp = next(m for m in tree.iter("meta") if m.get("http-equiv") == "Content-Security-Policy").get("content")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-inline" not in csp
    for el in tree.iter():
        for attr in ("src", "srcset", "data", "action", "poster"):
            assert el.get(attr) is None, (el.tag, attr)
        if el.tag == "link":
            raise AssertionError("external stylesheet or resource")
    assert "http://" not in page_no_ner.replace("http://www.w3.org/2000/svg", "") and "https://" not in page_no_ner


def test_overview_counts_and_chart(seed_corpus_no_ner, page_no_ner):
    tree = parse(page_no_ner)
    ids = by_id(tree)
    counts = {text_of(div.find("dt")): div.find("dd") for div in ids["overview"].iter("div")}
    assert (counts["Documents"].text or "").strip() == "5"
    assert (counts["Quotes"].text or "").strip() == str(len(seed_corpus_no_ner.quotes()))
    bars = els(ids["overview"], "a")
    speakers = Counter(q.speaker_id for q in seed_corpus_no_ner.quotes() if q.speaker_id)
    assert len(bars) == min(12, len(speakers))
    top_id, top_n = speakers.most_common(1)[0]
    assert bars[0].get("href") == f"#{_hid('s-', top_id)}" and els(bars[0], "text")[-1].text == str(top_n)


def test_hostile_text_is_escaped(tmp_path):
    (tmp_path / "a.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (tmp_path / "<img src=x onerror=alert(9)>.txt").write_text("Korea Utara dan “tes </style> dulu,” kata Park Jin.\n", encoding="utf-8")
    corpus = analyze([tmp_path], tagger=None, cache=False)
    assert any("</script>" in q.text for q in corpus.quotes())
    page = render_report(corpus, title="<script>alert(7)</script>", sources=[str(tmp_path)])
    tree, ids = check_complete(corpus, page)
    assert not list(tree.iter("img")) and not list(tree.iter("b"))
    assert len(els(tree, "svg")) == 1  # the chart only
    assert page.count("<script>") == 1 and page.count("</script>") == 1 and page.count("</style>") == 1
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page and "&lt;b&gt;tebal&lt;/b&gt;" in page  # the marks around them are quote marks
    assert "&lt;img src=x onerror=alert(9)&gt;.txt" in page  # a hostile file name
    assert tree.find("head").find("title").text == "<script>alert(7)</script>"


def test_article_text_nesting_survives_overlaps():
    from quotex.models import Mention, Quote
    from quotex.report import _Speaker, _article_text

    text = "“Ini kata Budi Santoso,” ujar Budi Santoso di Jakarta."
    q = Quote("d", 1, 23, text[1:23], "full", "Budi Santoso", "budi", "PERSON", "Budi Santoso", "ujar", 0.9)
    crossing = Quote("d", 15, 40, text[15:40], "full", None, None, None, None, None, 0.1)
    ms = [Mention("d", 10, 22, "Budi Santoso", "PERSON", "ner", "budi", "Budi Santoso"),
          Mention("d", 15, 35, text[15:35], "ORG", "ner", "x", "X"),  # crosses the quote: left unmarked
          Mention("d", 30, 42, "Budi Santoso", "PERSON", "ner", "budi", "Budi Santoso"),
          Mention("d", 31, 36, "udi S", "LOC", "ner", "y", "Y")]  # inside another mention: left unmarked
    sp = _Speaker("budi", "Budi Santoso", "PERSON")
    frag = _article_text(text, [(text.index("Jakarta"), len(text))], [q, crossing], ms, {id(q): "q0-0", id(crossing): "q0-1"}, {"budi": sp})
    tree = parse(f"<!DOCTYPE html><title>t</title><div>{frag}</div>")
    div = tree.find("body").find("div")
    assert text_of(div) == text
    assert [text_of(a) for a in div.iter("a") if "m" in cls(a)] == ["Budi Santoso", "Budi Santoso"]
    assert {el.get("id") for el in div.iter() if el.get("id")} == {"q0-0", "q0-1"}  # the crossing quote keeps an anchor
    assert [text_of(el) for el in div.iter("span") if "bp" in cls(el)] == ["Jakarta."]


def test_ids_from_keys_never_collide():
    keys = ["a_b", "a.b", "a-b", "a b", "a_2e_b", "Ä", "_"]
    assert len({_hid("s-", k) for k in keys}) == len(keys)
    assert all(re.fullmatch(r"s-[A-Za-z0-9_-]+", _hid("s-", k)) for k in keys)
    assert _e("\x00<\ud800>") == "\ufffd&lt;\ufffd&gt;"
    assert _e("a\U0001fffe\U0001f600\U0010ffff") == "a\ufffd\U0001f600\ufffd"  # astral noncharacters, an emoji kept


# ---------------------------------------------------------------- command line


def test_cli_report_writes_file(tmp_path, seeds_dir):
    out = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["report", str(seeds_dir), "--no-ner", "-o", str(out), "--title", "Seeds & more"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and r.stderr.strip().splitlines()[-1] == "quotex: read 5 documents"
    page = out.read_text(encoding="utf-8")
    assert "<title>Seeds &amp; more</title>" in page
    parse(page)


def test_cli_report_refuses_to_overwrite_an_input(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("“Halo,” kata Park Jin.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(tmp_path), "--no-ner", "-o", str(src)])
    assert r.exit_code == 1 and "refusing to overwrite input file" in r.stderr
    assert src.read_text(encoding="utf-8") == "“Halo,” kata Park Jin.\n"


def test_cli_report_to_stdout_and_format_refused(seeds_dir):
    r = CliRunner().invoke(app, ["report", str(seeds_dir), "--no-ner"])
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>")
    parse(r.stdout)
    r = CliRunner().invoke(app, ["report", str(seeds_dir), "--no-ner", "-f", "json"])
    assert r.exit_code == EXIT_USAGE and "--format" in r.stderr and r.stdout == ""


def test_cli_report_names_skipped_inputs(tmp_path):
    (tmp_path / "a.txt").write_text("“Halo,” kata Park Jin.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    out = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["report", str(tmp_path), "--no-ner", "-o", str(out)])
    assert r.exit_code == EXIT_PARTIAL and "skipped" in r.stderr
    tree = parse(out.read_text(encoding="utf-8"))
    skipped = next(el for el in tree.iter("details") if "skipped" in cls(el))
    assert "b.txt" in text_of(skipped)


# ---------------------------------------------------------------- with the model


@pytest.mark.stanza
def test_seeds_report_with_model(seed_corpus):
    page = render_report(seed_corpus, sources=["seeds"])
    tree, ids = check_complete(seed_corpus, page)
    blinken = ids["s-antony-blinken"]
    assert len([li for li in blinken.iter("li") if "sq" in cls(li)]) == 14
    assert len(seed_corpus.quotes(speaker="Blinken")) == 14


# ---------------------------------------------------------------- a real browser


def _browser_or_skip():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("Chromium not installed: apt-get install chromium chromium-driver (.ci/run does it where it runs as root with apt)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"):
        opts.add_argument(a)
    # both paths given, so Selenium Manager never tries to download anything
    return webdriver.Chrome(options=opts, service=Service(executable_path=driver))


@pytest.fixture(scope="module")
def browser():
    b = _browser_or_skip()
    yield b
    b.quit()


def _visible(browser, css):
    return [el for el in browser.find_elements("css selector", css) if el.is_displayed()]


@pytest.mark.stanza
def test_seeds_report_in_chromium(browser, seed_corpus, tmp_path):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    out = tmp_path / "seeds.html"
    out.write_text(render_report(seed_corpus, sources=["seeds"]), encoding="utf-8")
    browser.get(out.as_uri())
    assert browser.execute_script("return document.documentElement.getAttribute('data-ready')") == "1"  # CSP let our script run
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    n_speakers = len(_visible(browser, "#speakers .speaker"))
    assert n_speakers == len({q.speaker_id or q.speaker for q in seed_corpus.quotes()})
    blinken = browser.find_element("id", "s-antony-blinken")
    assert "Antony Blinken" in blinken.find_element("tag name", "h3").text
    quotes = [li for li in blinken.find_elements("css selector", "li.sq") if li.is_displayed()]
    assert len(quotes) == 14
    assert {li.find_element("tag name", "q").text.strip("“”\"") for li in quotes} == {q.text for q in seed_corpus.quotes(speaker="Blinken")}

    # typing a name filters speakers and quotes
    box = browser.find_element("id", "filter-q")
    assert box.is_displayed()
    box.send_keys("park jin")
    WebDriverWait(browser, 5).until(lambda b: b.execute_script("return document.documentElement.getAttribute('data-filter')") == "park jin")
    shown = [el.get_attribute("id") for el in _visible(browser, "#speakers .speaker")]
    assert "s-park-jin" in shown and "s-antony-blinken" not in shown
    assert "speakers" in browser.find_element("id", "filter-status").text
    box.send_keys(Keys.ESCAPE)
    assert len(_visible(browser, "#speakers .speaker")) == n_speakers

    # ?q= in the address filters on load
    browser.get(out.as_uri() + "?q=Blinken")
    assert browser.find_element("id", "filter-q").get_attribute("value") == "Blinken"
    assert len([li for li in _visible(browser, "#s-antony-blinken li.sq")]) == 14
    assert not browser.find_element("id", "s-park-jin").is_displayed()
    # following a quote's link lands on the highlighted quote in its article
    link = browser.find_element("css selector", "#s-antony-blinken li.sq a")
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert browser.find_element("id", target).tag_name == "mark"


def test_hostile_report_runs_no_injected_script_in_chromium(browser, tmp_path):
    (tmp_path / "a.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    corpus = analyze([tmp_path], tagger=None, cache=False)
    out = tmp_path / "hostile.html"
    out.write_text(render_report(corpus, title="<script>window.__pwned = 7</script>"), encoding="utf-8")
    browser.get(out.as_uri())
    assert browser.execute_script("return document.documentElement.getAttribute('data-ready')") == "1"
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.images.length") == 0
    assert browser.execute_script("return document.scripts.length") == 1
    body = browser.find_element("css selector", "#d0 .text").text
    assert "<script>window.__pwned = 1; alert(1)</script>" in body
    assert "</script><script>window.__pwned = 3</script> harus berhenti," in body
    assert browser.title == "<script>window.__pwned = 7</script>"


# ---------------------------------------------------------------- colours


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_keep_contrast():
    """Every text colour the stylesheet sets keeps 4.5:1 on every background a mention can sit on;
    chart bars keep 3:1 on white (WCAG 2.1 AA, text and non-text)."""
    from quotex.report import ASSETS

    css = (ASSETS / "report.css").read_text(encoding="utf-8")
    fg = re.search(r"--fg: (#[0-9a-f]{6})", css).group(1)
    muted = re.search(r"--muted: (#[0-9a-f]{6})", css).group(1)
    types = dict(re.findall(r"\.t-(\w+) \{[^}]*?; color: (#[0-9a-f]{6})", css))
    pale = dict(re.findall(r"(?<!svg )\.(c\d|cn) \{ background: (#[0-9a-f]{6})", css))
    bars = dict(re.findall(r"svg \.(c\d|cn) \{ fill: (#[0-9a-f]{6})", css))
    bp_fg, bp_bg = re.search(r"\.bp \{ color: (#[0-9a-f]{6}); background: (#[0-9a-f]{6})", css).groups()
    assert set(types) == {"PERSON", "ORG", "COUNTRY", "LOC"} and len(pale) == len(bars) == 9
    for text in (fg, *types.values()):
        for bg in ("#ffffff", *pale.values()):
            assert _contrast(text, bg) >= 4.5, (text, bg)
    assert _contrast(muted, "#ffffff") >= 4.5 and _contrast(bp_fg, bp_bg) >= 4.5
    assert all(_contrast(c, "#ffffff") >= 3 for c in bars.values()), bars


def test_keyboard_focus_in_chromium(browser, seed_corpus_no_ner, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    out = tmp_path / "seeds.html"
    out.write_text(render_report(seed_corpus_no_ner), encoding="utf-8")
    browser.get(out.as_uri())
    ActionChains(browser).send_keys(Keys.TAB).perform()
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip" and active.is_displayed()  # the skip link comes into view on focus
    mention = browser.find_element("css selector", "#articles a.m")
    after = "return getComputedStyle(arguments[0], '::after').getPropertyValue(arguments[1])"
    assert browser.execute_script(after, mention, "display") == "none"
    browser.execute_script("arguments[0].focus()", mention)
    assert browser.execute_script(after, mention, "display") == "block"
    m = seed_corpus_no_ner.mentions()[0]
    assert browser.execute_script(after, mention, "content") == f'"{m.canonical} · {m.type.lower()}"'
    assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", mention) == "solid"  # focus ring
