"""Running the analysis beyond one process: JSON-able results and a Dask path.

The per-document analysis is a pure function of (document id, text) plus the data files
and the model (:func:`quotex.pipeline.analyze_text`), so any engine that can map a
function over partitions can run it. :func:`analyze_partition` is that function for a
list of ``{"id": ..., "text": ...}`` records; :func:`run_dask` runs it with
``dask.bag`` and writes one JSONL file per partition; :func:`load_corpus` reads them
back and folds them into a :class:`quotex.Corpus` (cross-document folding is
corpus-level, so it happens once, on the driver), with each document's metadata (date,
source, url, title of an HTML page or a record) as a normal run keeps it.
:func:`load_results` and :func:`corpus_from_results` are the two halves of that.

    pip install "quotex[dask]"
    python -m quotex.distributed seeds/ out/ --npartitions 8      # or run_dask(["seeds/"], "out/")

and then, on one machine, fold the results and query them::

    from quotex.distributed import load_corpus
    corpus = load_corpus("out/")
    corpus.entities(); corpus.quotes(speaker="Blinken")

On a cluster, create a ``dask.distributed.Client`` first and pass ``scheduler=None``
(dask then uses the client); every worker needs quotex and its model installed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .errors import OutputError
from .models import Document, Mention
from .pipeline import DocResult, LocalEntity

RESULT_FORMAT = 1


def result_to_dict(r: DocResult) -> dict[str, Any]:
    """A JSON-able form of a DocResult (the inverse of :func:`result_from_dict`)."""
    return {
        "format": RESULT_FORMAT,
        "doc_id": r.doc_id,
        "text": r.text,
        "mentions": [asdict(m) for m in r.mentions],
        "clusters": list(r.clusters),
        "entities": [{"type": e.type, "table_id": e.table_id, "names": list(e.names)} for e in r.entities],
        "quotes": [q.to_dict() for q in r.quotes],
        "n_tokens": r.n_tokens,
        "n_sentences": r.n_sentences,
        "excluded": [list(x) for x in r.excluded],
    }


def result_from_dict(d: dict[str, Any]) -> DocResult:
    """Rebuild a DocResult from :func:`result_to_dict`'s output."""
    from .quotes import QuoteSpan

    if d.get("format") != RESULT_FORMAT:
        raise ValueError(f"unsupported result format {d.get('format')!r}")
    return DocResult(
        d["doc_id"], d["text"], tuple(Mention(**m) for m in d["mentions"]), tuple(d["clusters"]),
        tuple(LocalEntity(e["type"], e["table_id"], tuple(e["names"])) for e in d["entities"]),
        tuple(QuoteSpan(**q) for q in d["quotes"]), d["n_tokens"], d["n_sentences"],
        excluded=tuple((a, b) for a, b in d.get("excluded", ())),
    )


def analyze_partition(records: Iterable[dict[str, Any]], tagger: Any = "default", keep_boilerplate: bool = False,
                      batch_docs: int = 32) -> list[dict[str, Any]]:
    """Analyse ``[{"id": ..., "text": ...}, ...]`` with the shipped model (loaded once per
    process) and default data files; one JSON-able dict per record, in order. A record's
    ``meta`` (date, source, url, title, author) is carried into its result line."""
    from .aliases import load_aliases
    from .parallel import analyze_docs

    records = list(records)
    metas = {r["id"]: r["meta"] for r in records if r.get("meta")}
    docs = [Document(r["id"], r["text"]) for r in records]
    out: list[dict[str, Any]] = []
    for batch in analyze_docs(docs, tagger_spec=tagger, table=load_aliases(), keep_boilerplate=keep_boilerplate, batch_docs=batch_docs):
        for _, r in batch:
            if not isinstance(r, DocResult):  # an AnalysisFailure: fail the partition, naming the document
                raise RuntimeError(f"{r.doc_id}: analysis failed: {r.error}")
            d = result_to_dict(r)
            if r.doc_id in metas:
                d["meta"] = metas[r.doc_id]
            out.append(d)
    return out


def read_records(paths: Sequence[str | Path], globs: Sequence[str] | None = None) -> tuple[list[dict[str, Any]], Any]:
    """The inputs as ``{"id", "text"[, "meta"]}`` records (read on the driver) and the RunReport;
    ``meta`` holds an HTML page's or a record's date, source, url, title and author."""
    from .corpus import DEFAULT_GLOBS, RunReport
    from .inputs import iter_documents

    report = RunReport()
    recs: list[dict[str, Any]] = []
    for d in report.track(iter_documents([str(p) for p in paths], globs=tuple(globs or DEFAULT_GLOBS))):
        recs.append({"id": d.id, "text": d.text, **({"meta": report.metadata[d.id]} if d.id in report.metadata else {})})
    return recs, report


def run_dask(paths: Sequence[str | Path], out_dir: str | Path, npartitions: int = 8, *, scheduler: str | None = "processes",
             num_workers: int | None = None, tagger: Any = "default", keep_boilerplate: bool = False,
             overwrite: bool = False) -> list[Path]:
    """Analyse a corpus with ``dask.bag`` and write ``out_dir/part-NNNN.jsonl`` (one result a line,
    input order kept). ``scheduler``: "processes", "threads", "sync", or None for the current
    dask client. Returns the files written.

    A missing input raises :class:`~quotex.errors.InputError`; an ``out_dir`` that is not empty
    raises :class:`~quotex.errors.OutputError` unless ``overwrite=True`` (which replaces its
    ``part-*.jsonl`` files and leaves anything else alone). Both before any work."""
    import dask
    import dask.bag as db

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write {out}: it is not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise OutputError(f"output folder {out} is not empty; choose an empty or new folder, or pass overwrite=True (--overwrite)")
    recs, report = read_records(paths)
    for line in report.details():  # never a silently skipped input
        logging.getLogger("quotex").warning(line.removeprefix("quotex: "))
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.jsonl"):
        old.unlink()
    if not recs:
        return []
    bag = db.from_sequence(recs, npartitions=max(1, min(npartitions, len(recs))))
    lines = bag.map_partitions(analyze_partition, tagger=tagger, keep_boilerplate=keep_boilerplate).map(
        lambda d: json.dumps(d, ensure_ascii=False))
    kw: dict[str, Any] = {}
    if scheduler is not None:
        kw["scheduler"] = scheduler
        if num_workers is not None and scheduler != "sync":
            kw["num_workers"] = num_workers
    with dask.config.set(**kw):
        files = lines.to_textfiles(str(out / "part-*.jsonl"), name_function=lambda i: f"{i:04d}", encoding="utf-8")
    return sorted(Path(f) for f in files)


def _lines(out_dir: str | Path) -> Iterable[dict[str, Any]]:
    for f in sorted(Path(out_dir).glob("part-*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            yield from (json.loads(line) for line in fh if line.strip())


def load_results(out_dir: str | Path) -> list[DocResult]:
    """The DocResults from ``run_dask``'s JSONL files, in input order."""
    return [result_from_dict(d) for d in _lines(out_dir)]


def load_metadata(out_dir: str | Path) -> dict[str, dict[str, str | None]]:
    """Document id -> metadata (date, source, url, title, author) from ``run_dask``'s files,
    for the documents that have any."""
    return _metadata(_lines(out_dir))


def _metadata(lines: Iterable[dict[str, Any]]) -> dict[str, dict[str, str | None]]:
    return {d["doc_id"]: d["meta"] for d in lines if d.get("meta")}


def corpus_from_results(results: Sequence[DocResult], aliases: Sequence[str | Path] = (), default_aliases: bool = True,
                        metadata: dict[str, dict[str, str | None]] | None = None) -> Any:
    """Fold results (from any engine) into a :class:`quotex.Corpus` for querying; ``metadata``
    (document id -> date/source/url/title/author) fills the rows' metadata columns."""
    from .aliases import load_aliases
    from .corpus import RunReport
    from .results import Corpus

    report = RunReport()
    report.read = len(results)
    report.doc_ids = [r.doc_id for r in results]
    report.metadata = dict(metadata or {})
    return Corpus(list(results), load_aliases(aliases, defaults=default_aliases), report)


def load_corpus(out_dir: str | Path, aliases: Sequence[str | Path] = (), default_aliases: bool = True) -> Any:
    """``run_dask``'s output folded into one :class:`quotex.Corpus`, with each document's metadata
    (the files are read once)."""
    lines = list(_lines(out_dir))
    return corpus_from_results([result_from_dict(d) for d in lines], aliases, default_aliases,
                               metadata=_metadata(lines))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m quotex.distributed PATHS... OUT_DIR [--npartitions N] [--overwrite]``."""
    import argparse
    import sys

    from .errors import QuotexError

    ap = argparse.ArgumentParser(prog="python -m quotex.distributed", description="Analyse PATHS with Dask into OUT_DIR/part-*.jsonl.")
    ap.add_argument("paths", nargs="+", metavar="PATHS")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--npartitions", type=int, default=8, metavar="N")
    ap.add_argument("--num-workers", type=int, default=None, metavar="N")
    ap.add_argument("--overwrite", action="store_true", help="replace the part-*.jsonl files already in OUT_DIR")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="quotex: %(message)s", stream=sys.stderr)
    try:
        files = run_dask(args.paths, args.out_dir, args.npartitions, num_workers=args.num_workers, overwrite=args.overwrite)
    except QuotexError as e:
        print(f"Error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("quotex: interrupted", file=sys.stderr)
        return 130
    print(f"quotex: wrote {len(files)} files to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
