"""Running the per-document analysis in batches, in this process or in worker processes.

``--jobs N`` starts N worker processes (``concurrent.futures.ProcessPoolExecutor``); each
worker loads the alias table and the NER model once (in its initializer) and limits torch
to ``quotex.ner.torch_threads(N)`` threads (cores // N at most, fewer when the machine is busy, or
OMP_NUM_THREADS when set) so that the
workers do not fight over the cores.
Batches go out in order and come back in order, so the results are identical to
``--jobs 1``. Workers ignore Ctrl-C; the main process stops them (cancels what has not
started, kills what has) when it is interrupted, so Ctrl-C never waits for a worker.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .models import Document

# (NER spans per sentence, DocResult) for one document
Analysed = tuple[list, Any]

_W: dict[str, Any] = {}


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def analyze_batch(docs: Sequence[Document], tagger: Any, table: Any, keep_boilerplate: bool,
                  known_spans: Sequence[list | None] | None = None) -> list[Analysed]:
    """prepare -> tag (one batched call for the documents without known spans) -> build_result.
    A document whose rules fail gives a :class:`quotex.pipeline.AnalysisFailure` (the caller
    reports it as skipped), so one bad article does not end the run."""
    from .pipeline import analyze_with_spans

    t = _LazyTagger(tagger) if callable(tagger) and not hasattr(tagger, "tag") else tagger
    return analyze_with_spans(docs, t, table, keep_boilerplate=keep_boilerplate, known_spans=known_spans, guard=True)


class _LazyTagger:
    """Calls the tagger factory only when something actually needs tagging."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self.tagger: Any = None

    def tag(self, sentences: Any) -> Any:
        if self.tagger is None:
            self.tagger = self.factory()
        return self.tagger.tag(sentences)


def _resolve_tagger(spec: Any, device: str | None = None) -> Any:
    if isinstance(spec, str) and spec == "default":
        from .pipeline import default_tagger

        return default_tagger(device)
    return spec


def _init_worker(tagger_spec: Any, alias_files: tuple[str, ...], default_aliases: bool, threads: int, log_level: int,
                 data_dir: str | None = None, device: str | None = None) -> None:
    # Ctrl-C reaches the whole process group: the main process handles it and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    logging.getLogger("quotex").setLevel(log_level)
    from .aliases import load_aliases
    from .resources import set_overlay_dir

    set_overlay_dir(data_dir)

    if isinstance(tagger_spec, str) and tagger_spec == "default":
        from .ner import set_torch_threads

        set_torch_threads(threads)
    _W["table"] = load_aliases(alias_files, defaults=default_aliases)
    _W["tagger"] = _resolve_tagger(tagger_spec, device)


def _work(docs: list[tuple[str, str]], keep_boilerplate: bool) -> list[Analysed]:
    return analyze_batch([Document(i, t) for i, t in docs], _W["tagger"], _W["table"], keep_boilerplate)


def analyze_docs(docs: Sequence[Document], *, tagger_spec: Any, table: Any, alias_files: Sequence[str | Path] = (),
                 default_aliases: bool = True, keep_boilerplate: bool = False, jobs: int = 1,
                 batch_docs: int = 32, progress: Callable[[int], None] | None = None,
                 device: str | None = None) -> Iterator[list[Analysed]]:
    """Analyse ``docs`` batch by batch (in order), yielding each batch's results.

    ``tagger_spec`` is ``"default"`` (the shipped model, loaded only if there is a
    document), None (no NER) or a picklable tagger object. ``device`` is where the shipped
    model runs, in this process and in every worker (None: ``$QUOTEX_DEVICE`` or auto).
    """
    if not docs:
        return
    batches = [list(docs[i : i + batch_docs]) for i in range(0, len(docs), batch_docs)]
    if jobs <= 1 or len(batches) == 1:
        t = _resolve_tagger(tagger_spec, device)
        for b in batches:
            out = analyze_batch(b, t, table, keep_boilerplate)
            if progress is not None:
                progress(len(b))
            yield out
        return
    from concurrent.futures import ProcessPoolExecutor

    jobs = min(jobs, len(batches))
    from .ner import torch_threads

    threads = torch_threads(jobs, cpu_count())
    files = tuple(str(p) for p in alias_files)
    level = logging.getLogger("quotex").getEffectiveLevel()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                               initargs=(tagger_spec, files, default_aliases, threads, level, _overlay(), device))
    try:
        futures = [pool.submit(_work, [(d.id, d.text) for d in b], keep_boilerplate) for b in batches]
        for b, f in zip(batches, futures):
            out = f.result()
            if progress is not None:
                progress(len(b))
            yield out
    except BaseException:  # Ctrl-C, a signal, a failed batch, or the caller stopped early
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _overlay() -> str | None:
    """The data overlay in effect, for the workers."""
    from .resources import overlay_dir

    d = overlay_dir()
    return str(d) if d is not None else None


def _stop(pool: Any) -> None:
    """Stop a ProcessPoolExecutor now: cancel the batches not started and kill the workers.

    ``shutdown(wait=True)`` (what leaving a ``with`` block does) can wait forever for a
    worker that was itself interrupted while it started, so the workers are killed.
    ``_processes`` is private, but the executor has no public way to kill its workers.
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())
    thread = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass
    for p in procs:
        try:
            p.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass
    # The executor's manager thread notices the dead workers and closes its wake-up pipe; the
    # module's atexit hook would then write to that closed pipe and print a traceback
    # ("OSError: Bad file descriptor") after "quotex: interrupted". Wait for the thread and
    # take it out of the hook's list (private names again: there is no public way).
    import concurrent.futures.process as cfp

    if thread is not None:
        thread.join(timeout=5)
        getattr(cfp, "_threads_wakeups", {}).pop(thread, None)
