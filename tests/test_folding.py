"""Each folding layer, and the look-alikes that must stay apart."""

import pytest

from quotex.aliases import load_aliases
from quotex.entities import fold
from quotex.models import Document
from quotex.pipeline import analyze_documents

from fake_tagger import DictTagger


def _entities(docs, names, defaults=True):
    table = load_aliases(defaults=defaults)
    results = analyze_documents([Document(f"d{i}", t) for i, t in enumerate(docs)], tagger=DictTagger(names), table=table, quotes=False)
    return fold(results, table).entities


def _by_canonical(ents):
    return {e.canonical: e for e in ents}


# ---- layer 1: the alias table, on the seeds ------------------------------------------------

@pytest.mark.parametrize(
    "canonical, variants",
    [
        ("North Korea", {"Korea Utara", "Korut", "DPRK", "Republik Rakyat Demokratik Korea"}),
        ("South Korea", {"Korea Selatan", "Korsel"}),
        ("United States", {"Amerika Serikat", "AS"}),
        ("Russia", {"Rusia"}),
        ("UN Security Council", {"Dewan Keamanan PBB", "DKPBB"}),
        ("Kim Jong Un", {"Kim Jong-un", "Kim Jong Un"}),
    ],
)
def test_seed_variants_fold(seed_corpus_no_ner, canonical, variants):
    ents = _by_canonical(seed_corpus_no_ner.entities())
    assert variants <= set(ents[canonical].variants)


def test_seed_boilerplate_names_absent(seed_corpus_no_ner):
    names = {v for e in seed_corpus_no_ner.entities() for v in e.variants}
    assert not names & {"Prabowo", "Donald Trump", "Bank DBS Indonesia"}


# ---- layer 2: definitions in the text --------------------------------------------------------

def test_parenthesised_acronym_folds_into_the_name():
    text = "Komisi Anti Rasuah Nasional (KARN) memeriksa pejabat. Kemudian KARN menahan dua orang."
    ents = _entities([text], {"Komisi Anti Rasuah Nasional": "ORG"})
    assert len(ents) == 1
    assert set(ents[0].variants) == {"Komisi Anti Rasuah Nasional", "KARN"}
    assert ents[0].mentions == 3


def test_parenthesis_that_is_not_an_abbreviation_does_not_fold():
    text = "Penyidik Agus Wibowo (KPK) memeriksa pejabat. KPK menahan dua orang."
    ents = _by_canonical(_entities([text], {"Agus Wibowo": "PERSON"}))
    assert set(ents["Agus Wibowo"].variants) == {"Agus Wibowo"}
    assert set(ents["KPK"].variants) == {"KPK"}


def test_singkatan_dari_definition():
    text = "RRDX adalah singkatan dari nama resmi Republik Rakyat Demokratik Xanadu. RRDX menolak."
    ents = _entities([text], {"Republik Rakyat Demokratik Xanadu": "LOC"}, defaults=False)
    assert len(ents) == 1 and set(ents[0].variants) == {"RRDX", "Republik Rakyat Demokratik Xanadu"}


# ---- layer 3: short names inside one document -------------------------------------------------

def test_surname_folds_to_full_name_in_document():
    text = "Menteri Park Jin bertemu Joko Santoso. Park mengatakan hal itu. Santoso setuju."
    ents = _by_canonical(_entities([text], {"Park Jin": "PERSON", "Park": "PERSON", "Joko Santoso": "PERSON", "Santoso": "PERSON"}))
    assert set(ents["Park Jin"].variants) == {"Park Jin", "Park"}
    assert set(ents["Joko Santoso"].variants) == {"Joko Santoso", "Santoso"}


# ---- layer 4: across documents ----------------------------------------------------------------

def test_normalised_names_fold_across_documents():
    docs = ["Pemimpin Kim Jong-un tiba.", "Kim Jong Un pulang.", "Pemimpin Kim Jong Un lagi."]
    ents = _entities(docs, {"Kim Jong-un": "PERSON", "Kim Jong Un": "PERSON"}, defaults=False)
    assert len(ents) == 1 and ents[0].documents == 3


def test_fuzzy_spelling_folds_across_documents():
    docs = ["Presiden Volodymyr Zelenskiy berbicara.", "Presiden Volodymyr Zelensky berbicara."]
    ents = _entities(docs, {"Volodymyr Zelenskiy": "PERSON", "Volodymyr Zelensky": "PERSON"}, defaults=False)
    assert len(ents) == 1


def test_lone_surname_in_other_document_joins_unique_full_name():
    docs = ["Vladimir Putin tiba.", "Putin pulang ke Moskow."]
    ents = _entities(docs, {"Vladimir Putin": "PERSON", "Putin": "PERSON"}, defaults=False)
    assert len(ents) == 1 and ents[0].documents == 2


@pytest.mark.parametrize(
    "names",
    [
        ["Kim Jong Un", "Doyeon Kim", "Jack Kim"],
        ["Park Jin", "Jo Min Park", "Jung Pak"],
    ],
)
def test_look_alikes_stay_apart(names):
    docs = [f"{n} mengatakan sesuatu." for n in names] + [" dan ".join(names) + " bertemu."]
    ents = _entities(docs, {n: "PERSON" for n in names}, defaults=False)
    assert sorted(e.canonical for e in ents) == sorted(names)


def test_ambiguous_lone_surname_stays_apart():
    docs = ["Doyeon Kim hadir.", "Jack Kim hadir.", "Kim hadir."]
    ents = _entities(docs, {"Doyeon Kim": "PERSON", "Jack Kim": "PERSON", "Kim": "PERSON"}, defaults=False)
    assert sorted(e.canonical for e in ents) == ["Doyeon Kim", "Jack Kim", "Kim"]


def test_similar_countries_and_councils_stay_apart():
    ents = _by_canonical(_entities(["Korut dan Korsel di Dewan Keamanan PBB, bukan di PBB."], {}))
    assert {"North Korea", "South Korea", "UN Security Council", "United Nations"} <= set(ents)


def test_never_fold_across_types():
    docs = ["Jordan Peterson tiba.", "Jordan Peterson Ltd merugi."]
    ents = _entities(docs, {"Jordan Peterson": "PERSON", "Jordan Peterson Ltd": "ORG"}, defaults=False)
    assert {e.type for e in ents} == {"PERSON", "ORG"}


# ---- the stage runner and the shared union-find ------------------------------------------------

def test_stages_chain_fits_and_a_wrong_order_is_refused():
    from quotex import pipeline

    pipeline.check_stages(pipeline.STAGES)
    swapped = list(pipeline.STAGES)
    i = swapped.index(pipeline.find_definitions)
    swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    with pytest.raises(TypeError, match="find_nicknames takes"):
        pipeline.check_stages(swapped)
    with pytest.raises(TypeError, match="end with"):
        pipeline.check_stages(pipeline.STAGES[:-1])


def test_stages_run_one_by_one_give_build_result():
    from quotex import pipeline

    text = "Korea Utara (Korut) menolak. Menurut Korut, Park Jin datang. Park tiba di Seoul."
    tagger = DictTagger({"Korea Utara": "LOC", "Park Jin": "PERSON", "Park": "PERSON", "Seoul": "LOC"})
    table = load_aliases()
    p = pipeline.prepare(Document("d", text))
    spans = pipeline.tag([p], tagger)[0]
    whole = pipeline.build_result(p, spans, table)
    ctx = pipeline.DocContext(p, table, pipeline.load_titles(), None)
    x = pipeline.NerSpans(tuple(tuple(s) for s in spans))
    seen = []
    for st in pipeline.STAGES:
        x = st(ctx, x)
        seen.append(type(x).__name__)
    assert seen[0] == "Candidates" and seen[-1] == "DocResult"
    assert x.mentions == whole.mentions and x.entities == whole.entities and x.clusters == whole.clusters


def test_union_find_prefer_and_blocks():
    from quotex.unionfind import UnionFind

    uf = UnionFind(5, prefer=min)
    assert uf.union(3, 1) and uf.find(3) == 1
    assert not uf.union(1, 3)
    tagged = {2}
    uf2 = UnionFind(4, prefer=lambda a, b: b if b in tagged and a not in tagged else a, blocks=lambda a, b: a in tagged and b in tagged)
    assert uf2.union(0, 2) and uf2.find(0) == 2  # the tagged set keeps its root
    tagged.add(3)
    assert not uf2.union(0, 3) and uf2.find(3) == 3  # two tagged sets never join
    assert uf2.union(1, 0) and uf2.find(1) == 2
