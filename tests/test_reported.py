"""Reported (indirect) speech: every pattern of quotex.reported, the negatives, the API/CLI switch
and the seeds' reported statements by Blinken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotex.cli import app
from quotex.errors import ConfigError
from quotex.quotes import find_quotes
from quotex.reported import find_indirect, load_indirect_lexicon

from .test_quotes import SEED_NAMES, make_mentions, people

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run(text: str, names=()) -> list[tuple[str, str | None, str]]:
    """(reported content, speaker entity id or name, pattern) for each reported statement."""
    ms = make_mentions(text, list(names))
    direct = find_quotes(text, ms)
    out = []
    for s in find_indirect(text, ms, direct):
        assert s.kind == "indirect"
        assert s.cue and text[s.cue_start : s.cue_end].strip() == s.cue
        spk = ms[s.speaker_ref].entity_id if s.speaker_ref is not None else s.speaker_name
        pattern, _, reading = s.rule.partition(":")
        assert reading  # the speaker reading that named the speaker (quotex.quotes.speakers)
        out.append((text[s.start : s.end], spk, pattern))
    return out


# --------------------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    "text, names, expected",
    [
        # verb + bahwa
        ("Blinken mengatakan bahwa kerja sama militer kedua negara mengancam keamanan global.",
         people("Blinken"), [("kerja sama militer kedua negara mengancam keamanan global", "blinken", "verb")]),
        # verb + comma
        ("Argo mengatakan, surat itu dibawa penyidik untuk mencari Rizieq.",
         people("Argo", "Rizieq"), [("surat itu dibawa penyidik untuk mencari Rizieq", "argo", "verb")]),
        # verb + content directly
        ("Rikwanto menyebut Kapolri sudah meninjau titik kemacetan.",
         people("Rikwanto"), [("Kapolri sudah meninjau titik kemacetan", "rikwanto", "verb")]),
        # an adjunct after the verb, then bahwa
        ("Blinken mengatakan kepada wartawan di Seoul, Kamis, bahwa Rusia sedang putus asa.",
         people("Blinken"), [("Rusia sedang putus asa", "blinken", "verb")]),
        ("Park mengatakan pekan lalu bahwa peluncuran satelit sudah dekat.",
         people("Park"), [("peluncuran satelit sudah dekat", "park", "verb")]),
        # agar / untuk after request and promise verbs
        ("Gatot meminta agar masyarakat mendoakan para leluhur.",
         people("Gatot"), [("masyarakat mendoakan para leluhur", "gatot", "verb")]),
        ("Powell berjanji untuk menyesuaikan diri dengan risiko keuangan.",
         people("Powell"), [("menyesuaikan diri dengan risiko keuangan", "powell", "verb")]),
        # an organisation as speaker
        ("KontraS berpendapat bahwa pendekatan persuasif harus dikedepankan.",
         [("KontraS", "ORG", "kontras")], [("pendekatan persuasif harus dikedepankan", "kontras", "verb")]),
        # menurut X, / X at the end / without a comma after the name
        ("Menurut Tito Karnavian, pelaku sudah ditangkap.",
         people("Tito Karnavian"), [("pelaku sudah ditangkap", "karnavian", "menurut")]),
        ("Pelaku sudah ditangkap polisi, menurut Tito.",
         people("Tito"), [("Pelaku sudah ditangkap polisi", "tito", "menurut_after")]),
        ("Menurut Andreas pelaporan itu sarat muatan politis.",
         people("Andreas"), [("pelaporan itu sarat muatan politis", "andreas", "menurut")]),
        # mid-sentence cue without quote marks, and the cue after the content
        ("Saat ini, lanjut Endang, Hariyanto masih menjalani pemeriksaan.",
         people("Endang", "Hariyanto"), [("Hariyanto masih menjalani pemeriksaan", "endang", "mid_cue")]),
        ("Pemerintah perlu diapresiasi atas divestasi itu, kata Satya Yudha.",
         people("Satya Yudha"), [("Pemerintah perlu diapresiasi atas divestasi itu", "yudha", "cue_after")]),
        ("Untuk sisanya, kata Ade akan dibahas oleh Kementerian Pertahanan.",
         people("Ade"), [("akan dibahas oleh Kementerian Pertahanan", "ade", "mid_cue")]),
        # a passive verb opening the sentence
        ("Dijelaskan Netanyahu, Hamas ingin Israel hancur.",
         people("Netanyahu"), [("Hamas ingin Israel hancur", "netanyahu", "front_passive")]),
        ("Ditambahkan oleh Paul, platform itu menghubungkan klien.",
         people("Paul"), [("platform itu menghubungkan klien", "paul", "front_passive")]),
        # "Hal itu disampaikan X": the sentence before is X's statement
        ("Suara.com - TNI menangguhkan kerja sama dengan militer Australia. Hal itu disampaikan oleh Kapuspen TNI Wuryanto.",
         people("Wuryanto"), [("TNI menangguhkan kerja sama dengan militer Australia", "wuryanto", "back_reference")]),
        # "X yang mengharapkan"
        ("Hal senada diungkapkan Menpora Imam Nahrawi yang mengharapkan ajang ini memperkuat persaudaraan.",
         people("Imam Nahrawi"), [("ajang ini memperkuat persaudaraan", "nahrawi", "verb")]),
        # a name the tagger missed, then the content with no comma
        ("Menurut Andreas pelaporan itu sarat muatan politis.",
         [], [("pelaporan itu sarat muatan politis", "Andreas", "menurut")]),
        # a conjunction before a mid-sentence cue
        ("Justru sebaliknya, karena kata Tjahjo, KPU harus bersiap sejak Agustus.",
         people("Tjahjo"), [("KPU harus bersiap sejak Agustus", "tjahjo", "mid_cue")]),
        # "hal ini" opening a real clause is content
        ("Prasetyo menjelaskan hal ini perlu dilakukan sebagai contoh bagi jaksa lain.",
         people("Prasetyo"), [("hal ini perlu dilakukan sebagai contoh bagi jaksa lain", "prasetyo", "verb")]),
        # a dash inside a name mid-paragraph is no dateline
        ("Dalam kesempatan tersebut, Nadiem kembali menegaskan posisi Go - Pay tetap di Go - Jek.",
         people("Nadiem"), [("posisi Go - Pay tetap di Go - Jek", "nadiem", "verb")]),
        # a partial quotation inside reported speech keeps the statement
        ("Blinken mengatakan Rusia “sedang putus asa” untuk menemukan pasokan.",
         people("Blinken"), [("Rusia “sedang putus asa” untuk menemukan pasokan", "blinken", "verb")]),
    ],
)
def test_patterns(text, names, expected):
    assert run(text, names) == expected


def test_two_clauses_one_span_each():
    text = "Andreas menjelaskan, semua agama adalah ideologi tertutup, sebab menurutnya, agama adalah dogma."
    assert run(text, people("Andreas")) == [
        ("semua agama adalah ideologi tertutup", "andreas", "verb"),
        ("agama adalah dogma", "andreas", "menurut"),
    ]


def test_pronouns_nya_and_epithets_resolve_to_the_current_speaker():
    text = (
        "Rikwanto mengatakan polisi siap. Dia juga memastikan adanya penjagaan tambahan di tol baru. "
        "Menurutnya, jalur mudik aman.\n"
        "Bambang Soesatyo menyatakan akan mundur. Lebih lanjut, politisi Golkar ini menegaskan, DPR tidak memberi ruang bagi perzinahan."
    )
    got = run(text, people("Rikwanto", "Bambang Soesatyo") + [("Golkar", "ORG", "golkar"), ("DPR", "ORG", "dpr")])
    assert [(c, s) for c, s, _ in got] == [
        ("polisi siap", "rikwanto"),
        ("adanya penjagaan tambahan di tol baru", "rikwanto"),
        ("jalur mudik aman", "rikwanto"),
        ("akan mundur", "soesatyo"),
        ("DPR tidak memberi ruang bagi perzinahan", "soesatyo"),
    ]


def test_participle_takes_the_current_speaker():
    text = "“Kita atur,” sebut Rikwanto, sembari menambahkan terdapat 22 ribu personel yang diterjunkan."
    assert run(text, people("Rikwanto")) == [("terdapat 22 ribu personel yang diterjunkan", "rikwanto", "verb")]


def test_speaker_of_a_direct_quote_carries_into_reported_speech():
    text = "“Kami siap,” kata Saut Situmorang.\nIa menuturkan, Novel akan dikawal secara khusus."
    assert run(text, people("Saut Situmorang", "Novel")) == [("Novel akan dikawal secara khusus", "situmorang", "verb")]


def test_role_title_resolves_to_the_person_introduced_with_it():
    text = "Presiden Joko Widodo tiba di Bali.\nPresiden menegaskan bahwa anak-anak tidak boleh ketinggalan."
    assert run(text, people("Joko Widodo")) == [("anak-anak tidak boleh ketinggalan", "widodo", "verb")]


def test_subject_after_the_last_comma():
    text = "Dihubungi terpisah, kuasa hukum Rizieq Shihab, Sugito Atmo mengatakan, tidak masalah dengan surat itu."
    assert run(text, people("Rizieq Shihab", "Sugito Atmo")) == [("tidak masalah dengan surat itu", "atmo", "verb")]


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        "Blinken mengunjungi Seoul pada Kamis.",  # an action
        "Kunjungan dua hari Blinken ke Korea Selatan adalah yang pertama dalam dua setengah tahun.",  # the reporter's fact
        "Blinken mengatakan apakah Rusia akan menyerang?",  # a question
        "Blinken mengatakan, “Kami tidak akan mundur.”",  # introduces a quotation
        "Dia menambahkan: “Kami siap.”",
        "“Kami siap,” Blinken mengatakan.",
        "Blinken mengatakan bahwa “kami siap menghadapi apa pun.”",
        "“Menurut saya, Rusia putus asa,” kata Blinken.",  # the cue is inside quote marks
        "“Kami siap menghadapi apa pun,” kata Blinken.",  # a direct quote stays direct
        "Blinken tidak mengatakan mengapa ia memilih Powell.",  # negated
        "Namun, Blinken belum dapat memastikan Powell akan hadir.",
        "Pengunjuk rasa yang meminta Israel mengumumkan gencatan senjata berkumpul di Seoul.",  # no subject
        "Jokowi menyampaikan terima kasih kepada para guru.",  # a speech act named, no content
        "Jokowi mengatakan hal itu.",
        "Aji mengungkapkan alasannya merekrut Dwi.",
        "Rusia dilaporkan akan memberikan teknologi satelit. Kekhawatiran itu disampaikan Blinken di Seoul.",  # hearsay
        "Menurut laporan itu, harga minyak naik.",  # a document, not a speaker
    ],
)
def test_negatives(text):
    assert run(text, people("Blinken", "Jokowi", "Aji", "Dwi", "Powell")) == []


def test_lexicon_without_indirect_section_is_a_config_error(tmp_path):
    p = tmp_path / "cues.yaml"
    p.write_text("after_cues: [kata]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="indirect"):
        load_indirect_lexicon(p)


def test_lexicon_words_come_from_the_data_file():
    lex = load_indirect_lexicon()
    for w in ("mengatakan", "menegaskan", "menilai", "membantah", "memperingatkan", "mengimbau", "berharap"):
        assert w in lex.verbs
    assert "kata" in lex.mid_cues and "bahwa" in lex.complementizers


# --------------------------------------------------------------------------- seeds, API and CLI

# Blinken's reported statements in the seeds, read by hand: (seed prefix, words the span covers)
BLINKEN_REPORTED = [
    ("000", "kerja sama militer antara Korea Utara dan Rusia bakal merusak perdamaian global"),
    ("000", "DPRK sedang mencari bantuan untuk memperkuat dan memajukan program misilnya sendiri"),
    ("000", "Rusia “sedang putus asa” untuk menemukan peralatan dan pasokan"),
    ("000", "sekutu telah memperkuat semua aspek kemitraan mereka"),
    ("002", "dia memiliki keprihatinan yang sama dengan Korea Selatan"),
    ("002", "Korea Utara memberi Rusia peralatan militer untuk digunakan dalam perangnya dengan Ukraina"),
    ("003", "kunjungan Putin menyoroti upaya Rusia"),
    ("004", "ada jalan dua arah atau kerja sama saling menguntungkan antara Rusia dan Korut"),
]


def _check_blinken(statements):
    texts = {}
    for q in statements:
        texts.setdefault(Path(q.doc).name[:3], []).append(q.text)
    for seed, words in BLINKEN_REPORTED:
        assert any(words in t for t in texts.get(seed, [])), (seed, words, texts.get(seed))


def test_seed_reported_statements_by_blinken_without_model():
    from quotex import analyze

    corpus = analyze([SEEDS], tagger=None, include_indirect=True, cache=False)
    qs = corpus.quotes(speaker="Blinken", kinds=["indirect"])
    assert all(q.kind == "indirect" and q.speaker == "Antony Blinken" and q.rule for q in qs)
    _check_blinken(qs)


@pytest.mark.stanza
def test_seed_reported_statements_by_blinken(seed_corpus):
    qs = seed_corpus.quotes(speaker="Blinken", kinds=["indirect"])
    assert all(q.speaker == "Antony Blinken" for q in qs)
    _check_blinken(qs)
    # facts and actions about Blinken are not statements
    joined = " | ".join(q.text for q in seed_corpus.quotes(kinds=["indirect"]))
    assert "Kunjungan dua hari Blinken" not in joined and "bertemu dengan sekelompok pengunjuk rasa" not in joined


def test_api_lists_direct_quotes_by_default(seed_corpus_no_ner):
    assert seed_corpus_no_ner.quotes() and all(q.kind != "indirect" for q in seed_corpus_no_ner.quotes())
    ind = seed_corpus_no_ner.quotes(kinds=["indirect"])
    assert ind and all(q.kind == "indirect" for q in ind)
    full = seed_corpus_no_ner.quotes(kinds=["full"])
    assert full and {q.kind for q in full} == {"full"}
    with pytest.raises(Exception, match="unknown quote kind"):
        seed_corpus_no_ner.quotes(kinds=["bogus"])


def _cli(*args):
    r = CliRunner().invoke(app, ["quotes", str(SEEDS), "--no-ner", "--quiet", *args])
    return r


def test_cli_indirect_switch_and_kind_filter():
    plain = json.loads(_cli("-f", "json", "--speaker", "Blinken").stdout)
    both = json.loads(_cli("-f", "json", "--speaker", "Blinken", "--indirect").stdout)
    only = json.loads(_cli("-f", "json", "--speaker", "Blinken", "--kind", "indirect").stdout)
    full = json.loads(_cli("-f", "json", "--speaker", "Blinken", "--kind", "full").stdout)
    assert plain and {q["kind"] for q in plain} <= {"full", "partial"}
    assert {q["kind"] for q in both} == {q["kind"] for q in plain} | {"indirect"}
    assert len(both) == len(plain) + len(only)
    assert only and {q["kind"] for q in only} == {"indirect"} and all(q["rule"] for q in only)
    assert {q["kind"] for q in full} == {"full"}
    assert all(q["speaker"] == "Antony Blinken" for q in both)


def test_cli_csv_carries_kind_and_rule():
    r = _cli("-f", "csv", "--kind", "indirect", "--kind", "partial")
    header = r.stdout.splitlines()[0].split(",")
    assert "kind" in header and "rule" in header
    kinds = {line.split(",")[header.index("kind")] for line in r.stdout.splitlines()[1:] if line.count(",") >= len(header) - 1}
    assert "indirect" in kinds


def test_cli_unknown_kind_is_a_usage_error():
    r = CliRunner().invoke(app, ["quotes", str(SEEDS), "--no-ner", "--kind", "bogus"])
    assert r.exit_code == 2
    assert "bogus" in r.output and "Traceback" not in r.output


def test_indirect_words_follow_the_data_overlay(tmp_path):
    """A --data folder's cues.yaml replaces the shipped reporting verbs too."""
    import shutil

    from quotex import analyze
    from quotex.resources import data_dir

    shutil.copy(data_dir() / "cues.yaml", tmp_path / "cues.yaml")
    text = (tmp_path / "cues.yaml").read_text(encoding="utf-8")
    head, sec = text.split("\nindirect:\n")
    (tmp_path / "cues.yaml").write_text(head + "\nindirect:\n" + sec.replace(" menilai,", "", 1), encoding="utf-8")
    shipped = analyze([SEEDS], tagger=None, cache=False).quotes(kinds=["indirect"])
    custom = analyze([SEEDS], tagger=None, cache=False, data_dir=tmp_path).quotes(kinds=["indirect"])
    assert any(q.cue == "menilai" for q in shipped)
    assert not any(q.cue == "menilai" for q in custom)
    assert {q.text for q in custom} < {q.text for q in shipped}
