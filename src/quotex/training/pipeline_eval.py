"""NER measured through quotex's whole pipeline (``quotex mentions``), not only the model.

Each test/dev sentence of a BIO corpus becomes one document: its gold tokens joined by single
spaces. The gold entities become character spans of that text. Three readings are scored against
them, entity level, exact span + type (quotex's COUNTRY counts as LOC):

* ``model``: the model on the corpus's own tokens (what ``quotex.training.evaluate`` scores);
* ``model+tokenizer``: the model on quotex's own sentence split and tokens, no post-rules;
* ``pipeline``: the mentions that ``quotex mentions`` reports (alias table, post-rules,
  definitions, in-document folding), with the CLI's defaults (boilerplate dropped, default aliases).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quotex.training.data import TYPES, load_split, spans
from quotex.training.scoring import score_spans

TYPE_MAP = {"PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "COUNTRY": "LOC"}

CharSpan = tuple[int, int, str]


def sentence_text(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The document text of one sentence and each token's character range in it."""
    offs, pos = [], 0
    for t in tokens:
        offs.append((pos, pos + len(t)))
        pos += len(t) + 1
    return " ".join(tokens), offs


def gold_char_spans(tokens: list[str], tags: list[str]) -> list[CharSpan]:
    _, offs = sentence_text(tokens)
    return [(offs[a][0], offs[b - 1][1], t) for a, b, t in spans(tags)]


def pipeline_predictions(sentences: list[list[str]], model: Any, *, keep_boilerplate: bool = False,
                         table: Any = None) -> tuple[list[list[CharSpan]], list[list[CharSpan]]]:
    """(model on quotex's tokens, whole pipeline) character spans for each sentence-document."""
    from quotex.aliases import load_aliases
    from quotex.models import Document
    from quotex.pipeline import analyze_with_spans, prepare

    table = table if table is not None else load_aliases()
    docs = [Document(f"s{i}", sentence_text(toks)[0]) for i, toks in enumerate(sentences)]
    outs = analyze_with_spans(docs, model, table, keep_boilerplate=keep_boilerplate, quotes=False)
    raw: list[list[CharSpan]] = []
    full: list[list[CharSpan]] = []
    for doc, (ner, result) in zip(docs, outs):
        p = prepare(doc, keep_boilerplate=keep_boilerplate)
        r = []
        for sent, sp in zip(p.sentences, ner):
            for a, b, t in sp:
                s, e = p.norm.span(sent.tokens[a].start, sent.tokens[b - 1].end)
                r.append((s, e, t))
        raw.append(r)
        full.append([(m.start, m.end, TYPE_MAP[m.type]) for m in result.mentions if m.type in TYPE_MAP])
    return raw, full


def score_through_pipeline(data_dir: Path, split: str, corpora, model: Any, *, keep_boilerplate: bool = False) -> dict:
    """{corpus: {"model": scores, "model+tokenizer": scores, "pipeline": scores}}."""
    out = {}
    for c in corpora:
        sents = load_split(Path(data_dir), c, split)
        gold_tok = [spans(tags) for _, tags in sents]
        pred_tok = model.tag([toks for toks, _ in sents])
        gold = [gold_char_spans(toks, tags) for toks, tags in sents]
        raw, full = pipeline_predictions([toks for toks, _ in sents], model, keep_boilerplate=keep_boilerplate)
        out[c] = {
            "model": score_spans(gold_tok, pred_tok),
            "model+tokenizer": score_spans(gold, raw),
            "pipeline": score_spans(gold, full),
        }
    return out


def format_pipeline_table(results: dict, split: str) -> str:
    lines = [f"{'corpus':18} {'split':5} {'reading':16} {'type':7} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}"]
    for c, readings in results.items():
        for name, res in readings.items():
            for t in (*TYPES, "micro"):
                if t in res:
                    m = res[t]
                    lines.append(f"{c:18} {split:5} {name:16} {t:7} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {m['support']:5}")
    return "\n".join(lines)
