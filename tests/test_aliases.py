import pytest

from quotex.aliases import fold_key, load_aliases
from quotex.errors import ConfigError
from quotex.segment import tokenize


def _find(text, table=None):
    table = table or load_aliases()
    toks = tokenize(text)
    return [(text[toks[h.first].start : toks[h.end - 1].end], h.entry.id) for h in table.find(toks)]


def test_default_table_loads():
    t = load_aliases()
    assert t.entries["north-korea"].type == "COUNTRY"
    assert "Korut" in t.entries["north-korea"].aliases


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Korut-Rusia", [("Korut", "north-korea"), ("Rusia", "russia")]),
        ("forum aliansi Korea Selatan-AS", [("Korea Selatan", "south-korea"), ("AS", "united-states")]),
        ("resolusi Dewan Keamanan PBB dan PBB", [("Dewan Keamanan PBB", "un-security-council"), ("PBB", "united-nations")]),
        ("ia as saja", []),  # acronyms are case-sensitive
        ("ASEAN bertemu", [("ASEAN", "asean")]),
        ("dari rusia", []),  # names need a capital letter in the text
    ],
)
def test_gazetteer_matches(text, expected):
    assert _find(text) == expected


@pytest.mark.parametrize("a, b", [("Kim Jong-un", "Kim Jong Un"), ("José", "Jose"), ("  Park   Jin ", "park jin")])
def test_fold_key(a, b):
    assert fold_key(a) == fold_key(b)


def _write(tmp_path, body):
    p = tmp_path / "a.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_invalid_yaml_names_file_and_line(tmp_path):
    p = _write(tmp_path, "entities:\n  - id: x\n    canonical: [unclosed\n")
    with pytest.raises(ConfigError) as e:
        load_aliases([p])
    assert str(e.value).startswith(f"{p}:")
    assert "invalid YAML" in str(e.value)


def test_alias_claimed_twice_is_an_error(tmp_path):
    p = _write(tmp_path, "entities:\n  - {id: a, canonical: A, type: ORG, aliases: [Foo]}\n  - {id: b, canonical: B, type: ORG, aliases: [foo]}\n")
    with pytest.raises(ConfigError, match=r"a\.yaml:3: alias 'foo' is claimed by both 'a' \(line 2\) and 'b'"):
        load_aliases([p], defaults=False)


@pytest.mark.parametrize(
    "body, message",
    [
        ("entities:\n  - {id: a, canonical: A, type: THING}\n", "type 'THING' is not one of"),
        ("entities:\n  - {id: a, type: ORG}\n", "entry is missing 'canonical'"),
        ("entities:\n  - {id: a, canonical: A, type: ORG}\n  - {id: a, canonical: B, type: ORG}\n", "duplicate id 'a'"),
        ("entities:\n  - {id: a, canonical: A, type: ORG, roles: [Ketua]}\n", "only allowed on PERSON"),
        ("entities: 5\n", "must be a list"),
    ],
)
def test_bad_tables(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message):
        load_aliases([_write(tmp_path, body)], defaults=False)


def test_user_table_extends_and_overrides(tmp_path):
    p = _write(tmp_path, "entities:\n  - {id: nk, canonical: DPRK, type: COUNTRY, aliases: [Korut]}\n")
    t = load_aliases([p])
    assert _find("Korut dan Korea Utara", t) == [("Korut", "nk"), ("Korea Utara", "north-korea")]


# ---------------------------------------------------------------- duplicate keys (issue 15 item 18)


@pytest.mark.parametrize("body, line, key", [
    ("entities:\n  - id: a\n    canonical: A a\n    type: ORG\nentities:\n  - id: b\n    canonical: B b\n    type: ORG\n", 5, "entities"),
    ("- id: a\n  canonical: A a\n  type: ORG\n  canonical: Other\n", 4, "canonical"),
    ("- id: a\n  canonical: A a\n  type: ORG\n  aliases: [A a]\n  aliases: [Aa]\n", 5, "aliases"),
])
def test_duplicate_keys_are_refused_with_file_and_line(tmp_path, body, line, key):
    f = _write(tmp_path, body)
    with pytest.raises(ConfigError) as e:
        load_aliases([f])
    assert str(e.value).startswith(f"{f}:{line}: duplicate key '{key}'")


def test_duplicate_keys_in_other_yaml_data_files(tmp_path):
    from quotex.datafiles import load_yaml

    f = tmp_path / "boilerplate.yaml"
    f.write_text("line:\n  - '^a$'\nend: []\nline:\n  - '^b$'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"boilerplate.yaml:4: duplicate key 'line'"):
        load_yaml(f)


def test_cli_duplicate_key_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from quotex.cli import app

    f = _write(tmp_path, "entities: []\nentities: []\n")
    r = CliRunner().invoke(app, ["entities", "--no-ner", "--no-cache", "--aliases", str(f), str(tmp_path)])
    assert r.exit_code == 1
    assert f"{f}:2: duplicate key 'entities'" in r.output and "Traceback" not in r.output


# ---------------------------------------------------------------- large tables compiled once (issue 15 item 21)


def _big_table(path, n):
    lines = ["entities:"]
    for i in range(n):
        lines.append(f"  - id: zz-{i}\n    canonical: Zorbo{i} Quux{i}\n    type: PERSON\n    aliases: [Zorbo{i} Quux{i}, Quux{i} Zz]\n    roles: [Ketua Zz{i}]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def compiling(tmp_path, monkeypatch):
    """The aliases module, compiling every table, with a private cache folder."""
    from quotex import aliases as A

    monkeypatch.setenv("QUOTEX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(A, "COMPILED_MIN_BYTES", 1)
    A._load_cached.cache_clear()
    yield A
    A._load_cached.cache_clear()


def test_large_table_is_compiled_once_and_loads_the_same(tmp_path, monkeypatch, compiling):
    A = compiling
    f = tmp_path / "big.yaml"
    _big_table(f, 300)
    first = load_aliases([f])
    assert len(list((tmp_path / "cache" / "aliases").glob("*.json"))) == 1
    A._load_cached.cache_clear()
    parsed = []
    monkeypatch.setattr(A, "_parse_entries", lambda path: parsed.append(path) or [])
    again = load_aliases([f])
    assert parsed == []  # loaded from the compiled file, not parsed
    assert again.entries == first.entries and again.checksum == first.checksum
    assert again._trie == first._trie and again._by_key == first._by_key
    toks = tokenize("Kata Ketua Zz7 dan Zorbo12 Quux12 kemarin.")
    assert [(h.entry.id, h.role) for h in again.find(toks)] == [(h.entry.id, h.role) for h in first.find(toks)] == [("zz-7", True), ("zz-12", False)]
    # an edit is a new version: parsed again
    with f.open("a", encoding="utf-8") as fh:
        fh.write("  - id: zz-new\n    canonical: New One\n    type: ORG\n")
    A._load_cached.cache_clear()
    load_aliases([f])
    assert parsed == [str(A.data_file("aliases.yaml")), str(f)]
    from quotex.store import Store

    with Store() as st:  # quotex cache clear removes compiled tables too
        st.clear()
    assert not list((tmp_path / "cache" / "aliases").glob("*.json"))


def test_damaged_compiled_table_is_ignored(tmp_path, compiling):
    A = compiling
    f = tmp_path / "big.yaml"
    _big_table(f, 20)
    first = load_aliases([f])
    for p in (tmp_path / "cache" / "aliases").glob("*.json"):
        p.write_text('{"format": "2", "sig": "x", "entries": [[1]]}', encoding="utf-8")
    A._load_cached.cache_clear()
    assert load_aliases([f]).entries == first.entries
    A._load_cached.cache_clear()
    assert load_aliases([f], cache=False).entries == first.entries


# ---------------------------------------------------------------- well-known entities (issue 9)


@pytest.mark.parametrize("text, entity", [
    ("Kemenkumham menolak. Kementerian Hukum dan HAM lalu menjelaskan; Kementerian Hukum dan Hak Asasi Manusia juga.", "id-kemenkumham"),
    ("Kementerian ESDM dan KESDM, yakni Kementerian Energi dan Sumber Daya Mineral", "id-kesdm"),
    ("Kemlu dan Kemenlu: Kementerian Luar Negeri", "id-kemenlu"),
    ("PDI Perjuangan, PDIP atau Partai Demokrasi Indonesia Perjuangan", "id-pdip"),
    ("TNI AL, TNI Angkatan Laut", "id-tni-al"),
    ("Kepolisian Republik Indonesia (Polri) dan Korps Bhayangkara", "polri"),
])
def test_institutions_fold_their_forms(text, entity):
    hits = _find(text)
    assert len(hits) >= 2 and {eid for _, eid in hits} == {entity}


def test_bare_category_words_are_not_the_ministry():
    # BUMN (state companies in general) and PBB (the UN, never the Crescent Star Party) stay out
    assert _find("perusahaan BUMN itu") == []
    assert _find("Partai Bulan Bintang dan PBB") == [("Partai Bulan Bintang", "id-pbb-party"), ("PBB", "united-nations")]


@pytest.mark.parametrize("text, entity", [
    ("Negeri Jiran, Malaysia", "malaysia"),
    ("Negeri Singa atau Singapura (Singapore)", "singapore"),
    ("Negeri Sakura, Jepang, Negeri Matahari Terbit", "japan"),
    ("Tanah Air, Negara Kesatuan Republik Indonesia", "indonesia"),
    ("Uni Soviet runtuh; bekas Soviet", "soviet-union"),
    ("investasi Saudi di Arab Saudi", "saudi-arabia"),
])
def test_country_epithets_and_names_fold(text, entity):
    hits = _find(text)
    assert len(hits) >= 2 and {eid for _, eid in hits} == {entity}


def test_epithets_need_their_capitals():
    assert _find("kembali ke tanah air") == []  # lower case: not matched (the gazetteer is high-precision)


@pytest.mark.parametrize("text, entity", [
    ("Polda Jabar di Jawa Barat, Tanah Pasundan", "id-jabar"),
    ("Sulsel atau Sulawesi Selatan", "id-sulsel"),
    ("Pulau Dewata, Bali", "id-bali"),
    ("DKI Jakarta, DKI, JAKARTA", "id-jakarta"),
    ("Serambi Mekkah: Aceh", "id-aceh"),
    ("Kota Pahlawan, Surabaya", "id-surabaya"),
])
def test_provinces_and_city_epithets_fold(text, entity):
    hits = [(form, eid) for form, eid in _find(text) if eid == entity]
    assert len(hits) >= 2


def test_names_that_are_also_common_words_are_not_aliases():
    # "Padang Arafah" is a plain, "Malang nasib" bad luck, "Medan" terrain; Ibu Kota opens sentences about any capital
    assert _find("Jemaah wukuf di Padang Arafah. Malang nasibnya. Medan yang berat. Ibu kota Korea Utara.") == [("Korea Utara", "north-korea")]


def test_heads_of_state_nicknames():
    assert {eid for _, eid in _find("SBY atau Susilo Bambang Yudhoyono; Gus Dur, Abdurrahman Wahid; Bung Karno")} == {
        "susilo-bambang-yudhoyono", "abdurrahman-wahid", "soekarno"}
    assert _find("Agus Harimurti Yudhoyono") == []  # a bare surname shared by relatives is not an alias
