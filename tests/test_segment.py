import pytest

from quotex.segment import segment, split_sentences, tokenize


def _sents(text):
    return [text[s.start : s.end] for s in split_sentences(text, 0, len(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Blinken tiba. Ia bertemu Park Jin.", ["Blinken tiba.", "Ia bertemu Park Jin."]),
        ("Dr. Budi datang ke Jl. Sudirman No. 5 kemarin. Lalu pulang.", ["Dr. Budi datang ke Jl. Sudirman No. 5 kemarin.", "Lalu pulang."]),
        ("Harga naik 1.500 persen. Itu besar.", ["Harga naik 1.500 persen.", "Itu besar."]),
        ("“Kami siap.” Itu katanya.", ["“Kami siap.”", "Itu katanya."]),
        ("“Kami siap,” kata A. Malik di Jakarta.", ["“Kami siap,” kata A. Malik di Jakarta."]),
        ("Ia ke AS. Lalu ke Jepang.", ["Ia ke AS.", "Lalu ke Jepang."]),
    ],
)
def test_sentences(text, expected):
    assert _sents(text) == expected


def test_tokens_have_offsets():
    text = "Kim Jong-un ke Moskow, kata Korut-Rusia (19/6/2024)."
    toks = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [t.text for t in toks] == ["Kim", "Jong-un", "ke", "Moskow", ",", "kata", "Korut", "-", "Rusia", "(", "19/6/2024", ")", "."]


def test_segment_skips_excluded_and_counts_paragraphs():
    text = "Satu dua.\nBaca juga: X\nTiga empat."
    ex = [(10, 22)]
    sents = segment(text, ex)
    assert [text[s.start : s.end] for s in sents] == ["Satu dua.", "Tiga empat."]
    assert [s.paragraph for s in sents] == [0, 1]


def test_long_run_is_capped():
    text = " ".join(["kata"] * 1000)
    sents = split_sentences(text, 0, len(text))
    assert max(len(s.tokens) for s in sents) <= 150
    assert sum(len(s.tokens) for s in sents) == 1000
