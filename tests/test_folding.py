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


# ---- name matching (quotex.names) ----------------------------------------------------------------

@pytest.mark.parametrize("short, long, person, ok", [
    ("Kemenpora", "Kementerian Pemuda dan Olahraga", False, True),
    ("Kemenperin", "Kementerian Perindustrian", False, True),
    ("Kemhan", "Kementerian Pertahanan", False, True),
    ("Bakamla", "Badan Keamanan Laut", False, True),
    ("Jabar", "Jawa Barat", False, True),
    ("ISL", "Indonesia Super League", False, True),
    ("MTI", "PT Melati Technofo Indonesia", False, True),
    ("PSSI", "Persatuan Sepak Bola Seluruh Indonesia", False, True),
    ("Setnov", "Setya Novanto", True, True),
    ("Aher", "Ahmad Heryawan", True, True),
    ("Kemenag", "Kementerian Pertahanan", False, False),
    ("Kemenpar", "Kementerian Pemuda dan Olahraga", False, False),
    ("Asia", "Amerika Serikat", False, False),
    ("KPK", "Agus Wibowo", False, False),
    ("Ahok", "Basuki Tjahaja Purnama", True, False),
    ("Andi", "Agus Nadi", True, False),  # a common first name is not a syllabic nickname
])
def test_abbreviation_matching(short, long, person, ok):
    from quotex.names import abbreviates, load_folding

    fw = load_folding()
    assert abbreviates(short, long, fw.function_words, fw.org_forms, person=person) is ok


@pytest.mark.parametrize("short, long, ok", [
    ("Polda Jabar", "Polda Jawa Barat", True),
    ("PT WAE", "PT Wahana Auto Ekamarga", True),
    ("TNI AL", "TNI Angkatan Laut", True),
    ("Polda Metro", "Polda Jawa Barat", False),
])
def test_abbreviation_of_several_words(short, long, ok):
    from quotex.names import abbreviates_name, load_folding

    fw = load_folding()
    assert abbreviates_name(short, long, fw.function_words, fw.org_forms) is ok


@pytest.mark.parametrize("a, b, conflict", [
    ("Aji Santoso", "Dendi Santoso", True),  # same surname
    ("Fahmi Habsyi", "Fahmi Darmawansyah", True),  # same first name
    ("Eko Susilo", "Eko Susilo Hadi", False),  # a short form
    ("M. Tito Karnavian", "Tito Karnavian", False),  # an initial
    ("Arie Soedewo", "Arie Sudewo", False),  # old spelling
    ("Fadli Zon", "Fadl Zon", False),  # a spelling slip
    ("Joko Widodo", "Prabowo Subianto", False),
])
def test_family_guard(a, b, conflict):
    from quotex.names import family_conflict

    assert family_conflict(a, b) is conflict
    assert family_conflict(b, a) is conflict


def test_part_names_spelling_and_initials():
    from quotex.names import drop_initials, is_part_name, spelling_key

    assert is_part_name("Sri Mulyani", "Sri Mulyani Indrawati")
    assert is_part_name("Hanif Sjahbandi", "Hanif Abdurrauf Sjahbandi")
    assert not is_part_name("Ali Fahmi", "Fahmi Darmawansyah")
    assert spelling_key("Soeharto Djojohadikoesoemo") == spelling_key("Suharto Jojohadikusumo")
    assert drop_initials("Richard C. Adkerson") == "richard adkerson" and drop_initials("M Prasetyo") == "m prasetyo"


# ---- folding rules inside a document ---------------------------------------------------------------

def _local(text, names):
    table = load_aliases(defaults=False)
    r = analyze_documents([Document("d", text)], tagger=DictTagger(names), table=table, quotes=False)[0]
    groups = {}
    for m, c in zip(r.mentions, r.clusters):
        groups.setdefault(c, set()).add(m.text)
    return r, sorted(sorted(g) for g in groups.values())


def test_model_span_never_holds_a_bracket():
    r, groups = _local("Kementerian Luar Negeri (Kemlu) membantah. Kemlu menyatakan hal itu.",
                       {"Kementerian Luar Negeri ( Kemlu": "ORG"})
    assert groups == [["Kementerian Luar Negeri", "Kemlu"]]
    assert not any("(" in m.text for m in r.mentions)


@pytest.mark.parametrize("text, names, expected", [
    ("Dikatakan Budi Santoso, harga naik.", {"Dikatakan Budi Santoso": "PERSON"}, "Budi Santoso"),
    ("Ekonom Bank Permata Josua Pardede menilai harga naik.", {"Ekonom Bank Permata": "ORG", "Josua Pardede": "PERSON"}, "Bank Permata"),
    ("Kepala Bidang Humas Polda Metro Jaya Komisaris Besar Argo Yuwono menjelaskan.",
     {"Polda Metro Jaya Komisaris Besar": "ORG", "Argo Yuwono": "PERSON"}, "Polda Metro Jaya"),
    ("Kapolda menegaskan hal itu.", {"Kapolda menegaskan": "PERSON"}, "Kapolda"),
    ("Polisi datang ke rumah Budi Santoso kemarin.", {"rumah Budi Santoso": "PERSON"}, "Budi Santoso"),
    # a place noun starts the name of a place or an organisation: it stays
    ("Pasien dirawat di Rumah Sakit Pusat Pertamina.", {"Rumah Sakit Pusat Pertamina": "ORG"}, "Rumah Sakit Pusat Pertamina"),
    ("Ia tiba di Kantor Staf Presiden.", {"Kantor Staf Presiden": "ORG"}, "Kantor Staf Presiden"),
])
def test_span_repair(text, names, expected):
    r, _ = _local(text, names)
    assert r.mentions[0].text == expected


class _MissesGivenName:
    """Tags ``Hugo Parreira`` and a lone ``Andreas`` (not the one before Hugo), as the model did."""

    def tag(self, sentences):
        out = []
        for toks in sentences:
            spans = []
            for i, t in enumerate(toks):
                if t == "Hugo" and toks[i + 1 : i + 2] == ["Parreira"]:
                    spans.append((i, i + 2, "PERSON"))
                elif t == "Andreas" and toks[i + 1 : i + 2] != ["Hugo"]:
                    spans.append((i, i + 1, "PERSON"))
            out.append(spans)
        return out


def test_given_name_the_article_uses_alone_is_put_back():
    text = "Ketua DPP Andreas Hugo Parreira menilai pelapor keliru. Menurut Andreas, hal itu wajar."
    r = analyze_documents([Document("d", text)], tagger=_MissesGivenName(), table=load_aliases(defaults=False), quotes=False)[0]
    assert [m.text for m in r.mentions] == ["Andreas Hugo Parreira", "Andreas"]
    assert r.clusters[0] == r.clusters[1]
    # without the lone "Andreas" there is no evidence: the span stays as the model gave it
    r = analyze_documents([Document("d", text.split(".")[0] + ".")], tagger=_MissesGivenName(), table=load_aliases(defaults=False), quotes=False)[0]
    assert [m.text for m in r.mentions] == ["Hugo Parreira"]


@pytest.mark.parametrize("text, names, group", [
    ("Petahana Basuki Tjahaja Purnama (Ahok) menjawab. Menurut Ahok, pajak penting.",
     {"Basuki Tjahaja Purnama": "PERSON"}, ["Ahok", "Basuki Tjahaja Purnama"]),
    ("“Memang, Setnov (Setya Novanto) membuat surat,” katanya. Setnov tidak hadir.",
     {"Setya Novanto": "PERSON"}, ["Setnov", "Setya Novanto"]),
    ("Sel milik terpidana Artalyta Suryani alias Ayin dibongkar. Ayin menolak.",
     {"Artalyta Suryani": "PERSON"}, ["Artalyta Suryani", "Ayin"]),
    ("Pebulu tangkis Tontowi Ahmad, yang akrab disapa Owi, menang.",
     {"Tontowi Ahmad": "PERSON"}, ["Owi", "Tontowi Ahmad"]),
])
def test_nicknames_defined_in_the_text(text, names, group):
    _, groups = _local(text, names)
    assert group in groups


def test_a_party_in_brackets_after_a_person_is_no_nickname():
    _, groups = _local("Anggota DPR Bambang Wuryanto (Golkar) menolak.", {"Bambang Wuryanto": "PERSON", "Golkar": "ORG"})
    assert ["Bambang Wuryanto"] in groups and ["Golkar"] in groups


@pytest.mark.parametrize("text, names, group", [
    ("Kementerian Pemuda dan Olahraga menggelar lomba. Kemenpora menyiapkan hadiah.",
     {"Kementerian Pemuda dan Olahraga": "ORG"}, ["Kemenpora", "Kementerian Pemuda dan Olahraga"]),
    ("Polda Jawa Barat menangkap tersangka. Polda Jabar menahan dua orang.",
     {"Polda Jawa Barat": "ORG", "Polda Jabar": "ORG"}, ["Polda Jabar", "Polda Jawa Barat"]),
    ("Menteri Keuangan Sri Mulyani Indrawati hadir. Sri Mulyani mengatakan defisit aman.",
     {"Sri Mulyani Indrawati": "PERSON", "Sri Mulyani": "PERSON"}, ["Sri Mulyani", "Sri Mulyani Indrawati"]),
    ("Partai Golkar menggelar rapat. Golkar menolak usul itu.",
     {"Partai Golkar": "ORG", "Golkar": "ORG"}, ["Golkar", "Partai Golkar"]),
    ("Bupati Kabupaten Sambas hadir. Warga Sambas menyambut.",
     {"Kabupaten Sambas": "LOC", "Sambas": "LOC"}, ["Kabupaten Sambas", "Sambas"]),
])
def test_short_forms_fold_into_the_long_name_of_the_document(text, names, group):
    _, groups = _local(text, names)
    assert group in groups


def test_short_form_that_fits_two_names_stays_apart():
    text = "Kementerian Pertanian dan Kementerian Perdagangan rapat. Kemen tidak hadir."
    _, groups = _local(text, {"Kementerian Pertanian": "ORG", "Kementerian Perdagangan": "ORG", "Kemen": "ORG"})
    assert ["Kemen"] in groups


def test_glued_organisation_and_person_are_cut():
    text = "Pelatih Arema Aji Santoso mendatangkan kiper. Arema kini punya 21 pemain. Aji mengatakan siap."
    r, groups = _local(text, {"Arema Aji Santoso": "PERSON", "Arema": "ORG", "Aji": "PERSON"})
    assert ["Aji", "Aji Santoso"] in groups and ["Arema"] in groups


def test_context_fixes_the_type():
    r, _ = _local("Mahasiswa Universitas Brawijaya dan S Iswaran hadir.", {"Universitas Brawijaya": "LOC", "S Iswaran": "ORG"})
    assert [(m.text, m.type) for m in r.mentions] == [("Universitas Brawijaya", "ORG"), ("S Iswaran", "PERSON")]


def test_family_guard_inside_a_document():
    text = ("Terdakwa Fahmi Darmawansyah hadir. Fahmi membantah. Saksi Ali Fahmi dan Fahmi Habsyi datang. "
            "Ali Fahmi mengaku. Fahmi kembali membantah.")
    _, groups = _local(text, {"Fahmi Darmawansyah": "PERSON", "Fahmi": "PERSON", "Ali Fahmi": "PERSON", "Fahmi Habsyi": "PERSON"})
    holding = [g for g in groups if "Fahmi Darmawansyah" in g][0]
    assert "Fahmi Habsyi" not in holding and "Fahmi" in holding


# ---- across documents ---------------------------------------------------------------------------------

def test_one_name_typed_org_here_and_loc_there_is_one_entity():
    docs = ["Arema menang lagi di kandang.", "Suporter Arema merayakan. Arema juara.", "Skuad Arema berlatih."]
    ents = _entities(docs, {"Arema": "ORG"}, defaults=False)
    assert len(ents) == 1
    tagger = DictTagger({"Arema": "ORG"})
    table = load_aliases(defaults=False)
    results = analyze_documents([Document("a", docs[0])], tagger=DictTagger({"Arema": "LOC"}), table=table, quotes=False)
    results += analyze_documents([Document(f"d{i}", t) for i, t in enumerate(docs[1:])], tagger=tagger, table=table, quotes=False)
    ents = fold(results, table).entities
    assert len(ents) == 1 and ents[0].type == "ORG"  # most mentions say ORG


def test_relatives_stay_apart_across_documents():
    docs = ["Aji Santoso melatih.", "Dendi Santoso bermain.", "Santoso hadir.", "Aji Santoso dan Dendi Santoso bertemu."]
    ents = _entities(docs, {"Aji Santoso": "PERSON", "Dendi Santoso": "PERSON", "Santoso": "PERSON"}, defaults=False)
    assert sorted(e.canonical for e in ents) == ["Aji Santoso", "Dendi Santoso", "Santoso"]


def test_initials_and_legal_forms_across_documents():
    docs = ["CEO Richard C. Adkerson hadir.", "Richard Adkerson pulang.", "Partai Golkar rapat.", "Golkar menolak."]
    ents = _entities(docs, {"Richard C. Adkerson": "PERSON", "Richard Adkerson": "PERSON", "Partai Golkar": "ORG", "Golkar": "ORG"},
                     defaults=False)
    assert sorted(e.canonical for e in ents) == ["Partai Golkar", "Richard C. Adkerson"]


def test_role_title_alone_stands_for_the_person_the_article_named_with_it():
    text = ("Menteri Pemuda dan Olahraga Imam Nahrawi hadir. “Kami siap,” kata Menpora di Jakarta. "
            "Jaksa Agung M Prasetyo menolak. Jaksa Agung menyatakan hal itu.")
    r, groups = _local(text, {"Imam Nahrawi": "PERSON", "M Prasetyo": "PERSON"})
    assert ["Imam Nahrawi", "Menpora"] in groups and ["Jaksa Agung", "M Prasetyo"] in groups
    assert {m.text: m.source for m in r.mentions}["Menpora"] == "role"
    ents = _entities([text], {"Imam Nahrawi": "PERSON", "M Prasetyo": "PERSON"}, defaults=False)
    assert sorted(e.canonical for e in ents) == ["Imam Nahrawi", "M Prasetyo"]  # a role is never the name


def test_role_title_before_two_people_binds_to_neither():
    text = "Gubernur Anies Baswedan dan Gubernur Ridwan Kamil bertemu. Gubernur mengatakan siap."
    _, groups = _local(text, {"Anies Baswedan": "PERSON", "Ridwan Kamil": "PERSON"})
    assert groups == [["Anies Baswedan"], ["Ridwan Kamil"]]


def test_a_pair_with_slashes_and_their_nicknames():
    text = "Pasangan Tontowi Ahmad/Liliyana Natsir, atau akrab disapa Owi/Butet, menang. Butet senang."
    r, groups = _local(text, {"Tontowi Ahmad/Liliyana Natsir": "PERSON"})
    assert ["Owi", "Tontowi Ahmad"] in groups and ["Butet", "Liliyana Natsir"] in groups


def test_first_name_cut_short_and_an_initial_with_a_full_stop():
    text = "Ketua Umum Megawati Soekarnoputri hadir. Mega tersenyum. Kapolri M. Tito Karnavian datang. Tito mengangguk."
    _, groups = _local(text, {"Megawati Soekarnoputri": "PERSON", "Mega": "PERSON", "Tito Karnavian": "PERSON", "Tito": "PERSON"})
    assert ["Mega", "Megawati Soekarnoputri"] in groups and ["M. Tito Karnavian", "Tito"] in groups


def test_glued_name_with_the_name_word_of_an_organisation():
    text = "CEO Eiger Indonesia hadir. Manajer Eiger Andreant Tendo menjelaskan. Eiger tumbuh, kata Andreant."
    _, groups = _local(text, {"Eiger Indonesia": "ORG", "Eiger Andreant Tendo": "PERSON", "Andreant": "PERSON"})
    assert ["Andreant", "Andreant Tendo"] in groups and ["Eiger", "Eiger Indonesia"] in groups


def test_a_name_ending_in_an_organisation_word_is_an_organisation():
    text = "Oesman Sapta Odang alias OSO hadir. Uang masuk ke OSO Sekuritas, kata pelapor. OSO membantah."
    r, groups = _local(text, {"Oesman Sapta Odang": "PERSON", "OSO": "PERSON", "OSO Sekuritas": "PERSON"})
    assert ["OSO", "Oesman Sapta Odang"] in groups and ["OSO Sekuritas"] in groups
    assert {m.text: m.type for m in r.mentions}["OSO Sekuritas"] == "ORG"


def test_brackets_that_belong_to_a_name_stay():
    r, _ = _local("Direksi PT Pertamina (Persero) menolak.", {"PT Pertamina ( Persero )": "ORG"})
    assert [m.text for m in r.mentions] == ["PT Pertamina (Persero)"]


def test_two_token_organisation_that_folds_to_one_word_does_not_crash():
    # found by the scale benchmark: an ORG span "PT ." folds to the single word "pt", an organisation form
    r, _ = _local("Karyawan PT . Maju Jaya Abadi Sentosa datang kemarin.", {"PT .": "ORG", "Maju Jaya Abadi Sentosa": "ORG"})
    assert "Maju Jaya Abadi Sentosa" in [m.text for m in r.mentions]


def test_a_table_name_is_a_long_form_for_its_head_word():
    # no table lists every short form: the head word alone is the one organisation with that head
    r = analyze_documents([Document("d", "Kejaksaan Agung memeriksa saksi. Kejaksaan juga menyita dokumen.")],
                          tagger=DictTagger({}), table=load_aliases(), quotes=False)[0]
    ids = {m.text: c for m, c in zip(r.mentions, r.clusters)}
    assert ids["Kejaksaan"] == ids["Kejaksaan Agung"]


def test_a_head_word_that_starts_another_name_is_not_alone():
    r = analyze_documents([Document("d", "Komisi Pemberantasan Korupsi menangkap Ketua Komisi A DPRD Kebumen.")],
                          tagger=DictTagger({}), table=load_aliases(), quotes=False)[0]
    assert "Komisi" not in {m.text for m in r.mentions}


@pytest.mark.parametrize("text, names, person, place", [
    ("Abdul Jabar mengatakan hal itu.", {"Abdul Jabar": "PERSON"}, "Abdul Jabar", None),   # a name ending in a table word
    ("Kapolda Jabar mengatakan hal itu.", {"Kapolda Jabar": "PERSON"}, None, "Jabar"),      # a title and a province
])
def test_a_persons_last_word_that_is_also_a_place_stays_in_the_name(text, names, person, place):
    r = analyze_documents([Document("d", text)], tagger=DictTagger(names), table=load_aliases(), quotes=False)[0]
    got = {(m.text, m.type) for m in r.mentions}
    assert (person is None) or (person, "PERSON") in got
    assert (place is None) == all(t != "LOC" for _, t in got)
    if place:
        assert (place, "LOC") in got


def test_a_relative_named_after_a_table_person_stays_apart():
    text = "Tommy Soeharto hadir. Soeharto wafat pada 2008."
    r = analyze_documents([Document("d", text)], tagger=DictTagger({"Tommy Soeharto": "PERSON", "Soeharto": "PERSON"}),
                          table=load_aliases(), quotes=False)[0]
    by_text = {m.text: (m.entity_id, c) for m, c in zip(r.mentions, r.clusters)}
    assert by_text["Soeharto"][0] == "soeharto" and by_text["Tommy Soeharto"][1] != by_text["Soeharto"][1]


def test_table_names_stay_table_names_through_the_long_form_rules():
    text = ("Kementerian Energi dan Sumber Daya Mineral (ESDM) membuka kantor. Kementerian ESDM menyebut harga turun. "
            "TNI Angkatan Laut mengirim kapal. Angkatan Laut juga menyiagakan pesawat.")
    names = {"Kementerian Energi dan Sumber Daya Mineral": "ORG", "ESDM": "ORG", "Angkatan Laut": "ORG"}
    r = analyze_documents([Document("d", text)], tagger=DictTagger(names), table=load_aliases(), quotes=False)[0]
    ent = {m.text: m.entity_id for m in r.mentions}
    assert ent["Kementerian Energi dan Sumber Daya Mineral"] == ent["Kementerian ESDM"] == "id-kesdm"
    cl = {m.text: c for m, c in zip(r.mentions, r.clusters)}
    assert cl["Angkatan Laut"] == cl["TNI Angkatan Laut"]


def test_glued_span_is_cut_after_the_table_organisation_and_the_person_joined():
    """The model runs a party and a person together and cuts the person's name in two: the
    party is the table's name, the person one name (``PDI Perjuangan Andreas`` + ``Hugo Parreira``)."""
    text = ("Ketua DPP PDI Perjuangan Andreas Hugo Parreira menilai pelapor tidak paham. "
            "Menurut Andreas, pidato itu wajar.")
    ents = _by_canonical(_entities([text], {"PDI Perjuangan Andreas": "ORG", "Hugo Parreira": "PERSON", "Andreas": "PERSON"}))
    assert "PDI Perjuangan" in ents["Partai Demokrasi Indonesia Perjuangan"].variants
    person = ents["Andreas Hugo Parreira"]
    assert person.type == "PERSON" and set(person.variants) == {"Andreas Hugo Parreira", "Andreas"}


def test_glued_span_without_a_person_named_alone_is_left_whole():
    text = "Ketua DPP PDI Perjuangan Andreas Hugo Parreira menilai pelapor tidak paham."
    ents = _by_canonical(_entities([text], {"PDI Perjuangan Andreas": "ORG", "Hugo Parreira": "PERSON"}))
    assert "PDI Perjuangan Andreas" in {v for e in ents.values() for v in e.variants}


def test_a_company_name_word_typed_person_is_the_company():
    text = ("Pemerintah dan PT Freeport Indonesia membahas divestasi. Pemerintah meminta 51 persen saham Freeport. "
            "Budi Santoso hadir.")
    ents = _by_canonical(_entities([text], {"PT Freeport Indonesia": "ORG", "Freeport": "PERSON", "Budi Santoso": "PERSON"}))
    assert {"PT Freeport Indonesia", "Freeport"} <= set(ents["PT Freeport Indonesia"].variants)
    assert ents["PT Freeport Indonesia"].type == "ORG"



def test_a_table_city_after_wali_kota_is_the_city():
    """``Wali Kota Surabaya``: the title is Wali Kota, the place Surabaya (not the table's ``Kota Surabaya``)."""
    text = "Gaung kinerja Wali Kota Surabaya Tri Rismaharini terdengar di luar negeri."
    results = analyze_documents([Document("d", text)], tagger=DictTagger({"Surabaya": "LOC", "Tri Rismaharini": "PERSON"}),
                                table=load_aliases(), quotes=False)
    assert [(m.text, m.type) for m in results[0].mentions] == [("Surabaya", "LOC"), ("Tri Rismaharini", "PERSON")]


def test_an_airport_named_after_a_table_person_stays_one_place():
    text = "Pesawat itu mendarat di Bandara Soekarno Hatta pada Senin. Presiden Soekarno dikenang."
    results = analyze_documents([Document("d", text)], tagger=DictTagger({"Bandara Soekarno Hatta": "LOC"}),
                                table=load_aliases(), quotes=False)
    ms = [(m.text, m.type) for m in results[0].mentions]
    assert ("Bandara Soekarno Hatta", "LOC") in ms and ms.count(("Soekarno", "PERSON")) == 1
