"""Wrap the five seed articles into realistic news pages (tests/data/html/*.html).

Each page has what an outlet's article page has around the text: <head> metadata
(og:title, og:site_name, article:published_time, author, canonical URL), a script and
a style block, a header with navigation, ad slots, a breadcrumb, a byline, a "Baca
juga" box inside the article, tags and share buttons, a "Terpopuler" sidebar, a
reader comment section and a footer. The chrome names people and countries and holds
quotation marks on purpose: if any of it leaked into the extracted text, the entity
and quote results would differ from those of the .txt seeds (tests/test_inputs.py).

    python scripts/make_html_fixtures.py            # seeds/ -> tests/data/html/
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# seed file prefix -> (headline: the index of that line among the seed's non-empty lines,
# or the text of one; site, host, date, author). The headline becomes <h1>/og:title;
# every other non-empty line is one <p> of the article body. Seed 002 is a wire story
# scraped without its headline: its page gets one that names no entity, so that its
# results stay comparable with the .txt seed's.
PAGES: dict[str, tuple[int | str, str, str, str, str]] = {
    "000": (0, "SINDOnews", "international.sindonews.com", "2023-09-27T06:15:00+07:00", "Muhaimin"),
    "001": (1, "IDX Channel", "www.idxchannel.com", "2024-06-25T10:01:00+07:00", "Dian Kusumo Hapsari"),
    "002": ("Kerja Sama Militer Dua Arah Jadi Keprihatinan Bersama", "Reuters", "www.reuters.com", "2023-11-09T14:30:00+09:00", "Humeyra Pamuk"),
    "003": (1, "Samudra Fakta", "samudrafakta.com", "2024-06-20T08:00:00+07:00", "Redaksi"),
    "004": (7, "iNews", "www.inews.id", "2024-06-19T21:40:00+07:00", "Anton Suhartono"),
}

CHROME_HEADLINES = [
    "Kim Jong Un Kunjungi Pabrik Rudal Baru di Pyongyang",
    "Jokowi Terima Kunjungan Menlu China Wang Yi di Istana",
    "Harga Emas Antam Naik Rp5.000 per Gram Hari Ini",
]
COMMENTS = [
    ("budi_88", "“Putin dan Kim sama saja, yang rugi rakyat,” kata tetangga saya. Setuju!"),
    ("sari.w", "Semoga Indonesia tetap netral. Prabowo harus hati-hati."),
    ("anonim", "Berita bagus, terima kasih Sindonews."),
]


def _p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def page(lines: list[str], headline: int | str, site: str, host: str, date: str, author: str, slug: str) -> str:
    """One article page around the seed's lines."""
    body = [ln.strip() for ln in lines if ln.strip()]
    if isinstance(headline, str):
        title = headline
    else:
        title = body.pop(headline)
    url = f"https://{host}/read/{slug}"
    paras = [_p(ln) for ln in body]
    baca = ('<div class="baca-juga"><p><strong>Baca juga:</strong> '
            f'<a href="https://{host}/read/1">{html.escape(CHROME_HEADLINES[0])}</a></p></div>')
    paras.insert(min(2, len(paras)), baca)
    nav = "".join(f'<li><a href="/{c.lower()}">{c}</a></li>' for c in ["News", "Nasional", "Internasional", "Ekonomi", "Olahraga", "Tekno"])
    popular = "".join(f'<li><a href="https://{host}/read/{i + 2}">{html.escape(h)}</a></li>' for i, h in enumerate(CHROME_HEADLINES))
    comments = "".join(f'<div class="comment"><span class="comment-user">{u}</span><p class="comment-text">{html.escape(c)}</p></div>'
                       for u, c in COMMENTS)
    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{t} | {site}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:title" content="{t}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{date}">
<meta name="author" content="{author}">
<link rel="canonical" href="{url}">
<style>.ads{{min-height:250px}} .baca-juga{{border-left:3px solid #c00}}</style>
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article", "author": "{author}"}});</script>
</head>
<body>
<header class="site-header">
  <div class="logo"><a href="https://{host}/">{site}</a></div>
  <nav class="main-nav"><ul>{nav}</ul></nav>
  <form class="search" action="/search"><input name="q" placeholder="Cari berita..."></form>
</header>
<div class="ads ads-leaderboard">ADVERTISEMENT</div>
<main>
<article class="read-content">
  <div class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/internasional">Internasional</a></div>
  <h1 class="headline">{t}</h1>
  <div class="byline"><span class="author">{author}</span> &middot; <time datetime="{date}">{date[:10]}</time></div>
  <div class="article-body">
  {chr(10).join(paras)}
  </div>
  <div class="tags">Tags: <a href="/tag/korea-utara">korea utara</a> <a href="/tag/rusia">rusia</a></div>
  <div class="share">Bagikan: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a></div>
</article>
<aside class="sidebar">
  <div class="ads ads-rectangle">ADVERTISEMENT</div>
  <h3>Terpopuler</h3>
  <ol class="popular">{popular}</ol>
</aside>
<section id="comments" class="comments">
  <h3>Komentar (3)</h3>
  {comments}
  <form class="comment-form"><textarea placeholder="Tulis komentar..."></textarea><button>Kirim</button></form>
</section>
</main>
<footer class="site-footer">
  <ul><li><a href="/tentang">Tentang Kami</a></li><li><a href="/redaksi">Redaksi</a></li><li><a href="/pedoman">Pedoman Media Siber</a></li></ul>
  <p>&copy; 2024 {site}. All rights reserved.</p>
</footer>
</body>
</html>
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", nargs="?", type=Path, default=ROOT / "seeds")
    ap.add_argument("out", nargs="?", type=Path, default=ROOT / "tests" / "data" / "html")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for f in sorted(args.seeds.glob("*.txt")):
        prefix = f.name[:3]
        if prefix not in PAGES:
            continue
        headline, site, host, date, author = PAGES[prefix]
        lines = f.read_text(encoding="utf-8").splitlines()
        out = args.out / (f.stem + ".html")
        out.write_text(page(lines, headline, site, host, date, author, f.stem), encoding="utf-8")
        print(out)


if __name__ == "__main__":
    main()
