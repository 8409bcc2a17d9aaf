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
