"""The self-contained HTML report (``quotex report PATHS -o report.html``).

One file that opens offline and can be mailed: CSS and JavaScript are inline, the bar
chart is inline SVG, and a Content-Security-Policy in the page allows nothing but the
page's own style and script (by hash), so no network request is possible and no script
that slipped in with article text could run. Every piece of text from the corpus goes
through :func:`_e` (``html.escape`` plus replacement of characters HTML forbids).

Sections: overview (counts, top speakers, entity table), speaker index (each speaker's
quotes, linked to the place in the article), articles (mentions underlined by type,
quotes highlighted in the speaker's colour, boilerplate that was left out of the
analysis shown dimmed). A filter box (plain JavaScript) narrows speakers, quotes,
entities and articles; the page reads the same without JavaScript.

The report is built from the public API objects of :func:`quotex.analyze`:
``corpus.entities()``, ``corpus.mentions()``, ``corpus.quotes()``, and
``corpus.results`` for each document's text and its excluded (boilerplate) ranges.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from .models import ENTITY_TYPES, QUOTE_KINDS, Entity, Mention, Quote

ASSETS = Path(__file__).resolve().parent / "report_assets"
N_COLOURS = 8  # speaker colour classes c0..c7 in report.css (cn: no speaker)
TOP_SPEAKERS = 12  # bars in the overview chart
_TYPE_LABELS = {"PERSON": "People", "ORG": "Organisations", "COUNTRY": "Countries", "LOC": "Places"}
_OPEN_MARKS = frozenset("\"“«„‘'‚‹")
_CLOSE_MARKS = frozenset("\"”»’'›‟")

# Characters that are parse errors in HTML (C0/C1 controls other than tab, LF, CR; lone
# surrogates; noncharacters) are shown as U+FFFD, one for one, so offsets stay valid. The
# astral noncharacters are a separate pattern: in one character class they make every
# search eight times slower, and they are looked for only in text that has astral characters.
_BAD_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_BAD_ASTRAL = re.compile("[" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17)) + "]")


def _clean(text: str) -> str:
    """``text`` with the characters HTML forbids replaced by U+FFFD (same length)."""
    text = _BAD_BMP.sub("\ufffd", text)
    if text and max(text) > "\uffff":
        text = _BAD_ASTRAL.sub("\ufffd", text)
    return text


def _e(text: Any) -> str:
    """Escape text for HTML content and (double-quoted) attribute values."""
    return html.escape(_clean(str(text)), quote=True)


@lru_cache(maxsize=65536)
def _hid(prefix: str, key: str) -> str:
    """An HTML id from an arbitrary key: letters, digits and '-' kept, anything else
    (including '_') written as ``_hex_`` so that different keys never collide."""
    return prefix + re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", key)


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    css = (ASSETS / "report.css").read_text(encoding="utf-8")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    # both are inlined: neither may be able to close its own element
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("report_assets: the inline script or style contains its own end tag")
    return css, js


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


class _Speaker:
    """One entry of the speaker index."""

    __slots__ = ("key", "name", "type", "quotes", "hid", "colour", "names")

    def __init__(self, key: str | None, name: str, stype: str | None) -> None:
        self.key = key
        self.name = name
        self.type = stype
        self.quotes: list[Quote] = []
        self.hid = _hid("s-", key) if key is not None else "unattributed"
        self.colour = "cn"
        self.names: set[str] = {name}


def render_report(corpus: Any, *, title: str | None = None, sources: Sequence[str] = (), generated: datetime | None = None) -> str:
    """The whole report page for ``corpus`` (a :class:`quotex.Corpus`) as one HTML string;
    ``sources`` (the paths as given) are named under the title."""
    results = list(corpus.results)
    entities: list[Entity] = corpus.entities()
    quotes: list[Quote] = corpus.quotes()
    mentions: list[Mention] = corpus.mentions()
    report = getattr(corpus, "report", None)
    doc_index: dict[str, int] = {}
    for i, r in enumerate(results):
        doc_index.setdefault(r.doc_id, i)

    # --- speakers, most quoted first; colours by rank
    ent_by_id = {e.id: e for e in entities}
    speakers: dict[str | None, _Speaker] = {}
    for q in quotes:
        key = q.speaker_id if q.speaker_id else (q.speaker or None)
        sp = speakers.get(key)
        if sp is None:
            sp = speakers[key] = _Speaker(key, q.speaker or "No named speaker", q.speaker_type if key else None)
            ent = ent_by_id.get(q.speaker_id or "")
            if ent is not None:
                sp.names.update(ent.variants)
        sp.quotes.append(q)
        if q.speaker_mention:
            sp.names.add(q.speaker_mention)
    named = sorted((s for s in speakers.values() if s.key is not None), key=lambda s: (-len(s.quotes), s.name.casefold()))
    for rank, s in enumerate(named):
        s.colour = f"c{rank % N_COLOURS}"
    ordered = named + ([speakers[None]] if None in speakers else [])

    # --- quotes per document, with their anchors
    q_by_doc: dict[int, list[Quote]] = defaultdict(list)
    for q in quotes:
        q_by_doc[doc_index.get(q.doc, -1)].append(q)
    q_anchor: dict[int, str] = {}  # id(quote) -> anchor
    for di, qs in q_by_doc.items():
        qs.sort(key=lambda q: (q.start, q.end))
        for k, q in enumerate(qs):
            q_anchor[id(q)] = f"q{di}-{k}"
    m_by_doc: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        m_by_doc[doc_index.get(m.doc, -1)].append(m)

    css, js = _assets()
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    page_title = title or f"quotex report: {_plural(len(results), 'document')}"
    out: list[str] = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<meta name=\"referrer\" content=\"no-referrer\">\n",
        f"<meta name=\"generator\" content=\"quotex {_e(_version())}\">\n",
        f"<title>{_e(page_title)}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        "<a class=\"skip\" href=\"#main\">Skip to content</a>\n",
        f"<header>\n<h1>{_e(page_title)}</h1>\n",
        f"<p class=\"sub\">Who is mentioned and who said what, by quotex {_e(_version())}",
    ]
    if sources:
        out.append(" from " + ", ".join(f"<code>{_e(p)}</code>" for p in sources))
    out.append(f". Generated {_e((generated or datetime.now(timezone.utc)).strftime('%Y-%m-%d %H:%M UTC'))}.</p>\n")
    out.append("<nav aria-label=\"Contents\"><ul><li><a href=\"#overview\">Overview</a></li><li><a href=\"#speakers\">Speakers</a></li>"
               "<li><a href=\"#entities\">Entities</a></li><li><a href=\"#articles\">Articles</a></li></ul></nav>\n</header>\n")
    out.append("<div id=\"filter\" role=\"search\" hidden><label for=\"filter-q\">Filter by name or words</label>"
               "<input id=\"filter-q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"filter-status\">"
               "<p id=\"filter-status\" role=\"status\" aria-live=\"polite\"></p></div>\n")
    out.append("<main id=\"main\" tabindex=\"-1\">\n")
    _overview(out, results, entities, quotes, named, report)
    _speaker_index(out, ordered, doc_index, q_anchor)
    _entity_table(out, entities, speakers)
    _articles(out, results, q_by_doc, m_by_doc, q_anchor, speakers)
    out.append("</main>\n<footer><p>Made with quotex. Quotes and speakers are found automatically and can be wrong: "
               "check them in the article before you use them.</p></footer>\n")
    out.append(f"<script>{js}</script>\n</body>\n</html>\n")
    return "".join(out)


def _version() -> str:
    from . import __version__

    return __version__


def _overview(out: list[str], results: Sequence[Any], entities: Sequence[Entity], quotes: Sequence[Quote],
              named: Sequence[_Speaker], report: Any) -> None:
    by_type = Counter(e.type for e in entities)
    by_kind = Counter(q.kind for q in quotes)
    attributed = sum(1 for q in quotes if q.speaker)
    n_mentions = sum(e.mentions for e in entities)
    skipped = list(getattr(report, "skipped", []) or [])
    out.append("<section id=\"overview\" aria-labelledby=\"h-overview\">\n<h2 id=\"h-overview\">Overview</h2>\n<dl class=\"counts\">\n")

    def cell(label: str, value: str, small: str = "") -> None:
        out.append(f"<div><dt>{_e(label)}</dt><dd>{value}{f'<small>{small}</small>' if small else ''}</dd></div>\n")

    cell("Documents", f"{len(results):,}", _e(f"{len(skipped)} skipped") if skipped else "")
    cell("Entities", f"{len(entities):,}", _e(f"{n_mentions:,} mentions"))
    for t in ENTITY_TYPES:
        cell(_TYPE_LABELS.get(t, t.title()), f"{by_type.get(t, 0):,}")
    cell("Quotes", f"{len(quotes):,}", _e(f"{attributed:,} with a speaker"))
    kinds = ", ".join(f"{by_kind[k]:,} {k}" for k in (*QUOTE_KINDS, *sorted(set(by_kind) - set(QUOTE_KINDS))) if by_kind.get(k))
    cell("Quote kinds", f"{len(by_kind)}", _e(kinds) if kinds else "")
    cell("Speakers", f"{len(named):,}")
    out.append("</dl>\n")
    if skipped:
        out.append("<details class=\"skipped\"><summary>Inputs skipped</summary><ul>\n")
        out.extend(f"<li><code>{_e(s.path)}</code>: {_e(s.reason)}</li>\n" for s in skipped)
        out.append("</ul></details>\n")
    top = list(named[:TOP_SPEAKERS])
    if top:
        out.append(_chart(top))
    out.append("</section>\n")


def _chart(top: Sequence[_Speaker]) -> str:
    """Horizontal bars of the most quoted speakers, inline SVG, each bar a link to the speaker."""
    label_w, bar_w, row_h, bar_h = 210, 360, 26, 18
    most = max(len(s.quotes) for s in top)
    h = row_h * len(top) + 4
    parts = [
        "<figure>\n<figcaption id=\"chart-cap\">Most quoted speakers (number of quotes)</figcaption>\n",
        f"<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-cap chart-desc\" viewBox=\"0 0 {label_w + bar_w + 50} {h}\" "
        f"width=\"{label_w + bar_w + 50}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
        "<desc id=\"chart-desc\">" + _e("; ".join(f"{s.name}: {len(s.quotes)}" for s in top)) + "</desc>\n",
    ]
    for i, s in enumerate(top):
        y = i * row_h + 2
        w = max(2, round(bar_w * len(s.quotes) / most))
        name = s.name if len(s.name) <= 28 else s.name[:27] + "…"
        parts.append(
            f"<a href=\"#{s.hid}\"><title>{_e(s.name)}: {_plural(len(s.quotes), 'quote')}</title>"
            f"<text x=\"{label_w - 8}\" y=\"{y + bar_h - 4}\" text-anchor=\"end\">{_e(name)}</text>"
            f"<rect class=\"{s.colour}\" x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" rx=\"2\"></rect>"
            f"<text x=\"{label_w + w + 6}\" y=\"{y + bar_h - 4}\">{len(s.quotes)}</text></a>\n"
        )
    parts.append("</svg>\n</figure>\n")
    return "".join(parts)


def _speaker_index(out: list[str], ordered: Sequence[_Speaker], doc_index: dict[str, int], q_anchor: dict[int, str]) -> None:
    out.append("<section id=\"speakers\" aria-labelledby=\"h-speakers\">\n<h2 id=\"h-speakers\">Speakers</h2>\n")
    if not ordered:
        out.append("<p>No quotations found.</p>\n")
    for s in ordered:
        names = " | ".join(sorted(s.names))
        kind = f", {s.type.lower()}" if s.type and s.key is not None else ""
        out.append(f"<article class=\"speaker\" id=\"{s.hid}\" data-names=\"{_e(names)}\" aria-labelledby=\"h{s.hid}\">\n"
                   f"<h3 id=\"h{s.hid}\"><span class=\"sw {s.colour}\" aria-hidden=\"true\"></span>{_e(s.name)} "
                   f"<span class=\"n\">{_plural(len(s.quotes), 'quote')}{_e(kind)}</span></h3>\n<ol class=\"quotes\">\n")
        for q in sorted(s.quotes, key=lambda q: (doc_index.get(q.doc, -1), q.start)):
            anchor = q_anchor.get(id(q))
            di = doc_index.get(q.doc)
            where = f"<a href=\"#{anchor}\">{_e(q.doc)}</a>" if anchor and di is not None else _e(q.doc)
            meta = [where]
            if q.cue:
                meta.append(f"cue <i lang=\"id\">{_e(q.cue)}</i>")
            if q.speaker_mention and q.speaker_mention != s.name:
                meta.append(f"as <i lang=\"id\">{_e(q.speaker_mention)}</i>")
            meta.append(f"{_e(q.kind)}, confidence {q.confidence:.2f}")
            if q.also_in:
                links = ", ".join(
                    f"<a href=\"#d{doc_index[d]}\">{_e(d)}</a>" if d in doc_index else _e(d) for d in q.also_in
                )
                meta.append(f"also in {links}")
            sid = f" id=\"s{anchor}\"" if anchor else ""
            out.append(f"<li class=\"sq\"{sid}><q lang=\"id\">{_e(q.text)}</q>\n<p class=\"meta\">{' · '.join(meta)}</p></li>\n")
        out.append("</ol>\n</article>\n")
    out.append("</section>\n")


def _entity_table(out: list[str], entities: Sequence[Entity], speakers: dict[str | None, _Speaker]) -> None:
    out.append("<section id=\"entities\" aria-labelledby=\"h-entities\">\n<h2 id=\"h-entities\">Entities</h2>\n")
    out.append("<p class=\"key\" aria-hidden=\"true\">In the articles: <span class=\"t-PERSON\">person</span> <span class=\"t-ORG\">organisation</span> "
               "<span class=\"t-COUNTRY\">country</span> <span class=\"t-LOC\">place</span></p>\n")
    out.append("<table>\n<caption class=\"meta\">Every entity, variants as written in the articles, most mentioned first.</caption>\n"
               "<thead><tr><th scope=\"col\">Entity</th><th scope=\"col\">Type</th><th scope=\"col\" class=\"num\">Mentions</th>"
               "<th scope=\"col\" class=\"num\">Documents</th><th scope=\"col\">Variants</th><th scope=\"col\" class=\"num\">Quotes</th></tr></thead>\n<tbody>\n")
    for e in entities:
        sp = speakers.get(e.id)
        nq = f"<a href=\"#{sp.hid}\">{len(sp.quotes)}</a>" if sp is not None else ""
        names = " | ".join((e.canonical, *e.variants))
        out.append(f"<tr id=\"{_hid('e-', e.id)}\" data-names=\"{_e(names)}\"><th scope=\"row\">{_e(e.canonical)}</th>"
                   f"<td>{_e(e.type)}</td><td class=\"num\">{e.mentions:,}</td><td class=\"num\">{e.documents:,}</td>"
                   f"<td lang=\"id\">{_e('; '.join(e.variants))}</td><td class=\"num\">{nq}</td></tr>\n")
    out.append("</tbody>\n</table>\n</section>\n")


def _articles(out: list[str], results: Sequence[Any], q_by_doc: dict[int, list[Quote]], m_by_doc: dict[int, list[Mention]],
              q_anchor: dict[int, str], speakers: dict[str | None, _Speaker]) -> None:
    out.append("<section id=\"articles\" aria-labelledby=\"h-articles\">\n<h2 id=\"h-articles\">Articles</h2>\n"
               "<p class=\"meta\">Mentions are underlined by type (focus or hover one to see its entity); quotes are "
               "highlighted in their speaker's colour and followed by a link to the speaker; "
               "<span class=\"bp\">dimmed text</span> is site boilerplate that was left out of the analysis.</p>\n")
    for di, r in enumerate(results):
        qs = q_by_doc.get(di, [])
        ms = m_by_doc.get(di, [])
        excluded = tuple(getattr(r, "excluded", ()) or ())
        names = sorted({m.canonical for m in ms if m.canonical} | {q.speaker for q in qs if q.speaker})
        info = [_plural(len(ms), "mention"), _plural(len(qs), "quote")]
        if excluded:
            info.append(_plural(len(excluded), "passage") + " left out")
        out.append(f"<article class=\"doc\" id=\"d{di}\" data-names=\"{_e(' | '.join(names))}\" aria-labelledby=\"hd{di}\">\n"
                   f"<h3 id=\"hd{di}\">{_e(r.doc_id)} <span class=\"n\">{_e(', '.join(info))}</span></h3>\n"
                   f"<div class=\"text\" lang=\"id\">{_article_text(r.text, excluded, qs, ms, q_anchor, speakers)}</div>\n</article>\n")
    out.append("</section>\n")


def _article_text(text: str, excluded: Iterable[tuple[int, int]], quotes: Sequence[Quote], mentions: Sequence[Mention],
                  q_anchor: dict[int, str], speakers: dict[str | None, _Speaker]) -> str:
    """The text with nested markup: boilerplate > quote > mention. A span that would cross
    the span it starts in, or sit inside one of its own level or a deeper one, is left
    unmarked (a quote still gets an empty anchor there, so links to it land)."""
    n = len(text)
    text = _clean(text)  # once per document (same length), so slices need only html.escape
    esc = html.escape
    spans: list[tuple[int, int, int, str, str, str]] = []  # start, end, level, open, close, anchor
    for a, b in excluded:
        a, b = max(0, a), min(n, b)
        if a < b:
            spans.append((a, b, 0, "<span class=\"bp\"><span class=\"bp-tag\">left out</span>", "</span>", ""))
    for q in quotes:
        a, b = max(0, min(n, q.start)), min(n, q.end)
        if a > 0 and text[a - 1] in _OPEN_MARKS:
            a -= 1
        if b < n and text[b] in _CLOSE_MARKS:
            b += 1
        anchor = q_anchor[id(q)]
        sp = speakers.get(q.speaker_id if q.speaker_id else (q.speaker or None))
        colour, hid = (sp.colour, sp.hid) if sp is not None else ("cn", "unattributed")
        who = _e(q.speaker or (f"({q.speaker_mention})" if q.speaker_mention else "no speaker"))
        spans.append((a, b, 1, f"<mark class=\"q {colour}\" id=\"{anchor}\">",
                      f"</mark><a class=\"who\" href=\"#{hid}\" aria-label=\"quote by {who}\">{who}</a>", anchor))
    for m in mentions:
        spans.append((max(0, m.start), min(n, m.end), 2, _mention_tag(m.entity_id, m.canonical or m.text, m.type), "</a>", ""))
    spans.sort(key=lambda s: (s[0], s[2], -s[1]))
    out: list[str] = []
    stack: list[tuple[int, int, str]] = []  # (end, level, close)
    pos = 0

    def emit_to(end: int) -> None:
        nonlocal pos
        if end > pos:
            out.append(esc(text[pos:end]))
            pos = end

    for a, b, level, open_, close, anchor in spans:
        while stack and stack[-1][0] <= a:
            end, _, cl = stack.pop()
            emit_to(end)
            out.append(cl)
        if a < pos or b <= a or (stack and (b > stack[-1][0] or stack[-1][1] >= level)):
            if anchor:
                emit_to(a)
                out.append(f"<span id=\"{anchor}\"></span>")
            continue
        emit_to(a)
        out.append(open_)
        stack.append((b, level, close))
    while stack:
        end, _, cl = stack.pop()
        emit_to(end)
        out.append(cl)
    emit_to(n)
    return "".join(out)


@lru_cache(maxsize=65536)
def _mention_tag(entity_id: str | None, name: str, etype: str) -> str:
    """The opening tag of a mention: a link to its entity's row, the entity shown on hover and focus."""
    href = f" href=\"#{_hid('e-', entity_id)}\"" if entity_id else ""
    return f"<a class=\"m t-{_e(etype)}\"{href} data-e=\"{_e(f'{name} · {etype.lower()}')}\">"


def write_report(corpus: Any, out: str | Path, *, inputs: Sequence[str | Path] = (), sources: Sequence[str] = (),
                 title: str | None = None) -> int:
    """Render the report and write it to the file ``out`` atomically, refusing to overwrite any
    of ``inputs`` (the files read); return the number of characters written."""
    from .export import _atomic_text, _opened_text, check_output

    target = check_output(Path(out), list(inputs))
    page = render_report(corpus, title=title, sources=sources)
    # as export.write_rows does: a regular file is replaced atomically, a device or FIFO opened
    regular = not target.exists() or target.is_file()
    with (_atomic_text if regular else _opened_text)(target) as fh:
        fh.write(page)
    return len(page)
