"""Documents over the chunk size are analysed piece by piece with the same offsets."""

from quotex.aliases import load_aliases
from quotex.models import Document
from quotex import pipeline
from quotex.pipeline import analyze_documents, chunk_bounds

from fake_tagger import DictTagger


def test_chunk_bounds_cover_text_and_cut_at_line_breaks():
    text = ("Paragraf satu tentang Korut.\n" * 50) + ("x" * 300)
    bounds = chunk_bounds(text, 200)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:]))
    assert all(b - a <= 200 for a, b in bounds)
    assert all(text[b - 1] == "\n" for _, b in bounds[:-2])


def test_large_document_same_results_as_whole(monkeypatch):
    para = "“Kami siap,” kata Budi Santoso di Jakarta. Korut dan Korsel bertemu. Santoso menambahkan: “Kita lihat.”\n"
    text = para * 40
    doc = Document("big.txt", text)
    tagger = DictTagger({"Budi Santoso": "PERSON", "Santoso": "PERSON", "Jakarta": "LOC"})
    table = load_aliases()
    whole = analyze_documents([doc], tagger=tagger, table=table)[0]
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 1000)
    pieces = analyze_documents([doc], tagger=tagger, table=table)[0]
    assert [(m.start, m.end, m.text, m.type) for m in pieces.mentions] == [(m.start, m.end, m.text, m.type) for m in whole.mentions]
    assert [(q.start, q.end, q.kind) for q in pieces.quotes] == [(q.start, q.end, q.kind) for q in whole.quotes]
    for q in pieces.quotes:
        assert pieces.mentions[q.speaker_ref].text in ("Budi Santoso", "Santoso")
    assert all(text[m.start : m.end] == m.text for m in pieces.mentions)
