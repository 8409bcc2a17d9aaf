import pytest
from hypothesis import given, strategies as st

from quotex.normalize import normalize


@pytest.mark.parametrize(
    "original, expected",
    [
        ("kata “Blinken”", "kata “Blinken”"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("Blin\u200bken", "Blinken"),
        ("Jose\u0301", "José"),
        ("\ufeffhalo", "halo"),
        ("„kutip‟", "“kutip“"),
        ("a\u00a0b\x07c", "a b c"),
    ],
)
def test_analysis_text(original, expected):
    assert normalize(original).text == expected


@pytest.mark.parametrize(
    "original, word, expected",
    [
        ("x Jose\u0301 y", "José", "Jose\u0301"),
        ("Blin\u200bken\u200b kata", "Blinken", "Blin\u200bken"),
        ("a\r\nKorut\r\n", "Korut", "Korut"),
    ],
)
def test_spans_map_back_to_original(original, word, expected):
    n = normalize(original)
    i = n.text.index(word)
    s, e = n.span(i, i + len(word))
    assert original[s:e] == expected


@given(st.text())
def test_span_always_inside_original(text):
    n = normalize(text)
    for i in range(0, len(n.text), max(1, len(n.text) // 7)):
        for j in (i, min(len(n.text), i + 3)):
            s, e = n.span(i, j)
            assert 0 <= s <= e <= len(text)
