"""Offline Indonesian named-entity tagging with quotex's shipped Stanza model.

Usage::

    from quotex.ner import NerModel
    model = NerModel.load()
    model.tag([["Presiden", "Joko", "Widodo", "tiba", "di", "Jakarta", "."]])
    # -> [[(1, 3, "PERSON"), (5, 6, "LOC")]]

Importing this module is cheap: stanza and torch are imported inside :meth:`NerModel.load`.
Nothing is downloaded and nothing is written outside the model folder (no ``~/stanza_resources``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quotex.errors import ModelError

__all__ = ["NerModel", "verify_manifest", "ENTITY_TYPES", "MAX_SENTENCE_TOKENS"]

ENTITY_TYPES = ("PERSON", "ORG", "LOC")
MAX_SENTENCE_TOKENS = 200  # longer sentences are tagged in pieces of this many tokens
_FIX = "reinstall quotex, or rebuild it with: python -m quotex.training.ner --data <ner data folder> --out {dir}"

Span = tuple[int, int, str]


def _model_dir(model_dir: Path | None) -> Path:
    if model_dir is None:
        from quotex.resources import model_dir as default_dir

        return default_dir()
    return Path(model_dir)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fail(what: str, model_dir: Path) -> ModelError:
    return ModelError(f"NER model {what}; {_FIX.format(dir=model_dir)}")


def read_manifest(model_dir: Path | None = None) -> dict[str, Any]:
    """The parsed ``manifest.json`` of the model folder (raises ModelError)."""
    d = _model_dir(model_dir)
    path = d / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(f"manifest {path} is missing", d) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _fail(f"manifest {path} is unreadable ({type(e).__name__})", d) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) or not manifest.get("stanza_model"):
        raise _fail(f"manifest {path} is invalid (no 'files' or 'stanza_model')", d)
    return manifest


def verify_manifest(model_dir: Path | None = None) -> None:
    """Check that every file listed in the manifest exists with the recorded size and sha256.

    Raises :class:`quotex.errors.ModelError` naming the first bad file.
    """
    d = _model_dir(model_dir)
    manifest = read_manifest(d)
    files = manifest["files"]
    needed = [manifest["stanza_model"]] + ([manifest["pretrain"]] if manifest.get("pretrain") else [])
    for name in needed:
        if name not in files:
            raise _fail(f"manifest {d / 'manifest.json'} does not list {name}", d)
    for name, meta in files.items():
        path = d / name
        if not path.is_file():
            raise _fail(f"file {path} is missing", d)
        try:
            size = path.stat().st_size
            if size != meta.get("bytes"):
                raise _fail(f"file {path} has {size} bytes, manifest says {meta.get('bytes')} (corrupt?)", d)
            if _sha256(path) != meta.get("sha256"):
                raise _fail(f"file {path} does not match its sha256 in the manifest (corrupt or replaced)", d)
        except OSError as e:
            raise _fail(f"file {path} is unreadable ({e.strerror})", d) from None


class _Doc:
    """The tiny part of stanza's Document that its NER DataLoader reads."""

    def __init__(self, sentences: list[list[str]]) -> None:
        self._sentences = sentences

    def get(self, fields, as_sentences=False, from_token=False):  # noqa: ARG002 - stanza's signature
        return [[[w, "O", None] for w in s] for s in self._sentences]


def _bioes_spans(tags: Sequence[str]) -> list[Span]:
    spans: list[Span] = []
    start: int | None = None
    typ: str | None = None
    for i, tag in enumerate(list(tags) + ["O"]):
        p, t = tag[:1], tag[2:]
        inside = p in ("I", "E") and start is not None and t == typ
        if not inside and start is not None:
            spans.append((start, i, typ))  # type: ignore[arg-type]
            start = typ = None
        if p in ("B", "S") or (p in ("I", "E") and not inside):
            start, typ = i, t
        if p in ("E", "S") and start is not None:
            spans.append((start, i + 1, typ))  # type: ignore[arg-type]
            start = typ = None
    return [s for s in spans if s[2] in ENTITY_TYPES]


class NerModel:
    """quotex's Indonesian Stanza NER model (PERSON / ORG / LOC), loaded from the shipped files."""

    def __init__(self, trainer: Any, model_dir: Path, manifest: dict[str, Any]) -> None:
        self._trainer = trainer
        self.model_dir = model_dir
        self.manifest = manifest
        self.version: str = manifest.get("model_version", "unknown")

    @classmethod
    def load(cls, model_dir: Path | None = None, *, verify: bool = True, verbose: bool = False) -> "NerModel":
        d = _model_dir(model_dir)
        if verify:
            verify_manifest(d)
            manifest = read_manifest(d)
        else:
            manifest = read_manifest(d)
        model_path = d / manifest["stanza_model"]
        pretrain_path = d / manifest["pretrain"] if manifest.get("pretrain") else None
        for p in (model_path, pretrain_path):
            if p is not None and not p.is_file():
                raise _fail(f"file {p} is missing", d)

        stanza_logger = logging.getLogger("stanza")
        old_level = stanza_logger.level
        if not verbose:
            stanza_logger.setLevel(logging.ERROR)
        try:
            import torch  # noqa: F401 - imported here so that `import quotex.ner` stays cheap
            from stanza.models.common.pretrain import Pretrain
            from stanza.models.ner.trainer import Trainer

            pretrain = None
            if pretrain_path is not None:
                pretrain = Pretrain(str(pretrain_path), save_to_file=False)
                pretrain.load()
            # Trainer(model_file=...) would also build an SGD optimizer, which imports torch._dynamo
            # (about 3 s). For inference only the model is needed: load it the same way, minus that.
            trainer = Trainer.__new__(Trainer)
            trainer.load(str(model_path), pretrain, None, None)
            if trainer.args.get("predict_tagset") is None:
                trainer.args["predict_tagset"] = 0
            trainer.optimizer = None
            trainer.model = trainer.model.to("cpu")
            trainer.model.eval()
            for param in trainer.model.parameters():
                param.requires_grad_(False)
        except ModelError:
            raise
        except Exception as e:  # a damaged file surfaces as many different exceptions
            raise _fail(f"file {model_path.name} or {pretrain_path.name if pretrain_path else '-'} in {d} cannot be loaded "
                        f"({type(e).__name__})", d) from None
        finally:
            if not verbose:
                stanza_logger.setLevel(old_level if old_level else logging.NOTSET)
        return cls(trainer, d, manifest)

    def tag(self, sentences: Sequence[Sequence[str]], batch_size: int = 256) -> list[list[Span]]:
        """Per sentence, the entity spans as (first_token_index, end_token_index_exclusive, type).

        ``type`` is one of PERSON, ORG, LOC. Sentences are quotex's own tokens (never re-tokenised);
        sentences longer than MAX_SENTENCE_TOKENS are tagged in pieces.
        """
        import torch
        from stanza.models.ner.data import DataLoader

        results: list[list[Span]] = [[] for _ in sentences]
        # pieces: (sentence index, token offset, tokens)
        pieces: list[tuple[int, int, list[str]]] = []
        for si, sent in enumerate(sentences):
            toks = [str(t) if str(t).strip() else "_" for t in sent]
            for off in range(0, len(toks), MAX_SENTENCE_TOKENS):
                pieces.append((si, off, toks[off : off + MAX_SENTENCE_TOKENS]))
        if not pieces:
            return results
        # sort by length so that each batch has little padding
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i][2]))
        trainer = self._trainer
        args = trainer.args
        with torch.inference_mode():
            for b in range(0, len(order), max(1, batch_size)):
                idx = order[b : b + batch_size]
                loader = DataLoader(
                    _Doc([pieces[i][2] for i in idx]), len(idx), args, vocab=trainer.vocab, evaluation=True
                )
                preds: list[list[str]] = []
                for batch in loader:
                    preds += trainer.predict(batch)
                for i, tags in zip(idx, preds):
                    si, off, _ = pieces[i]
                    results[si].extend((s + off, e + off, t) for s, e, t in _bioes_spans(tags))
        for r in results:
            r.sort()
        return results
