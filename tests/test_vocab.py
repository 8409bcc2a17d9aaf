"""One definition of each result vocabulary (#10 defect 6): the model's types are a part of the
entity types, and the shipped model tags exactly those."""

import json

from quotex.models import ENTITY_TYPES, NER_TYPES
from quotex.resources import model_dir


def test_ner_types_are_entity_types():
    assert set(NER_TYPES) < set(ENTITY_TYPES)
    assert "COUNTRY" in ENTITY_TYPES and "COUNTRY" not in NER_TYPES


def test_shipped_model_tags_the_ner_types():
    manifest = json.loads((model_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert tuple(manifest["labels"]) == NER_TYPES
