"""Surface variants folded inside one article (quotex.variants): source typos, forms of state,
a country's stem alone, outlets written as web addresses, administrative places. Made-up text."""

import pytest

from quotex.aliases import load_aliases
from quotex.entities import fold
from quotex.models import Document
from quotex.pipeline import STAGES, analyze_documents
from quotex.variants import adjacent_keys, load_variant_words, typing_slip

from fake_tagger import DictTagger


def _run(text, names, table=None):
    table = table or load_aliases()
    r = analyze_documents([Document("d", text)], tagger=DictTagger(names), table=table, quotes=False)[0]
    groups = {}
    for m, c in zip(r.mentions, r.clusters):
        groups.setdefault(c, set()).add(m.text)
    return r, {frozenset(g): r.entities[c] for c, g in groups.items()}


def _group_of(groups, form):
    return next((g, e) for g, e in groups.items() if form in g)


def test_the_stages_are_in_the_pipeline():
    names = {s.__name__ for s in STAGES}
    assert {"fold_state_prefixes", "fold_outlet_domains", "fold_country_stems", "fold_admin_places", "fold_source_typos"} <= names


# ---- source typos -------------------------------------------------------------------------------

def test_typing_slips():
    keys = adjacent_keys(load_variant_words().keyboard_rows)
    assert typing_slip("gerinda", "gerindra", keys)  # a letter left out inside
    assert typing_slip("kores selatan", "korea selatan", keys)  # a -> s, neighbours on the keyboard
    assert typing_slip("mongoloa", "mongolia", keys)
    assert typing_slip("malysia", "malaysia", keys)
    assert typing_slip("jakrata", "jakarta", keys)  # two letters swapped
    assert not typing_slip("persiba", "persib", keys)  # a letter added at the end: another club
    assert not typing_slip("indian", "india", keys)
    assert not typing_slip("persiba", "persija", keys)  # b / j are far apart: another name
    assert not typing_slip("santosa", "santoso", keys)
    assert not typing_slip("gerindra", "gerindra", keys)
    assert not typing_slip("gerndr", "gerindra", keys)  # two edits


def test_a_typo_folds_into_the_name_written_more_often_and_takes_its_type():
    text = ("Partai Gerindra menggelar rapat di Jakarta. Ketua Gerindra hadir. Sekjen Gerindra menolak usul itu. "
            "Dukungan dari Ketum Gerinda sudah didapat, kata Budi Santoso.")
    r, groups = _run(text, {"Partai Gerindra": "ORG", "Gerindra": "ORG", "Gerinda": "PERSON", "Budi Santoso": "PERSON"})
    g, e = _group_of(groups, "Gerinda")
    assert {"Partai Gerindra", "Gerindra", "Gerinda"} <= g
    assert e.type == "ORG"


def test_a_typo_of_a_table_country_folds_into_the_country():
    text = ("Kapal itu dibuat di Korea Selatan. Pabrikan Korea Selatan mengirim teknisi. "
            "Kapal dari Kores Selatan itu tiba kemarin.")
    r, groups = _run(text, {"Kores Selatan": "LOC"})
    g, e = _group_of(groups, "Kores Selatan")
    assert "Korea Selatan" in g and e.table_id == "south-korea" and e.type == "COUNTRY"


def test_a_typo_written_as_often_as_the_name_is_not_folded():
    text = "Tim Persija bertemu Persiba. Pelatih Persiba dan pelatih Persija berjabat tangan."
    _, groups = _run(text, {"Persija": "ORG", "Persiba": "ORG"})
    assert frozenset({"Persija"}) in groups and frozenset({"Persiba"}) in groups


def test_another_club_one_key_apart_is_no_typo():
    # Persija three times, Persiba once: b and j are far apart on the keyboard, so not a slip
    text = "Persija menang. Persija kini memimpin klasemen. Pelatih Persija senang. Persiba kalah di kandang."
    _, groups = _run(text, {"Persija": "ORG", "Persiba": "ORG"})
    assert frozenset({"Persiba"}) in groups


def test_two_table_names_never_fold(tmp_path):
    t = tmp_path / "a.yaml"
    t.write_text("entities:\n"
                 "  - {id: gambia, canonical: Gambia, type: COUNTRY, aliases: [Gambia]}\n"
                 "  - {id: zambia, canonical: Zambia, type: COUNTRY, aliases: [Zambia]}\n", encoding="utf-8")
    table = load_aliases([t], defaults=False, cache=False)
    text = "Gambia menang atas Zambia. Gambia unggul sejak awal. Pelatih Gambia senang."
    _, groups = _run(text, {}, table)
    assert {e.table_id for e in groups.values()} == {"gambia", "zambia"}


def test_a_person_typo_is_one_word_left_out_of_one_persons_name():
    text = ("Ahmad Syaikhu mendaftar ke KPU. Syaikhu datang bersama pendukungnya. "
            "Pasangan Saikhu mendapat dukungan partai, kata Dedi Mulyadi.")
    _, groups = _run(text, {"Ahmad Syaikhu": "PERSON", "Syaikhu": "PERSON", "Saikhu": "PERSON", "Dedi Mulyadi": "PERSON"})
    g, e = _group_of(groups, "Saikhu")
    assert "Ahmad Syaikhu" in g and e.type == "PERSON"


def test_a_person_typo_that_fits_two_people_folds_into_neither():
    text = ("Ahmad Syaikhu dan Rudi Sahikhu mendaftar. Ahmad Syaikhu datang pagi. Rudi Sahikhu datang siang. "
            "Pasangan Saikhu mendapat dukungan.")
    _, groups = _run(text, {"Ahmad Syaikhu": "PERSON", "Rudi Sahikhu": "PERSON", "Saikhu": "PERSON"})
    assert frozenset({"Saikhu"}) in groups


def test_a_changed_letter_in_a_persons_name_is_another_person():
    text = "Sri Wahyudi memimpin rapat. Sri Wahyudi menjelaskan anggaran. Menurut Wahyuni, anggaran cukup."
    _, groups = _run(text, {"Sri Wahyudi": "PERSON", "Wahyuni": "PERSON"})
    assert frozenset({"Wahyuni"}) in groups


def test_a_country_in_a_list_mistyped_once_is_the_tables_country():
    text = "Peserta datang dari Laos, Nepal, Malysia dan Jepang."
    _, groups = _run(text, {"Malysia": "LOC"})
    _, e = _group_of(groups, "Malysia")
    assert e.table_id == "malaysia"


# ---- forms of state -----------------------------------------------------------------------------

def test_negara_before_a_country_is_the_country():
    text = '"Negara Israel menolak pemungutan suara itu," kata Netanyahu. Israel juga menolak resolusi.'
    r, groups = _run(text, {"Netanyahu": "PERSON"})
    g, e = _group_of(groups, "Negara Israel")
    assert "Israel" in g and e.table_id == "israel"


def test_a_model_span_with_a_form_of_state_takes_the_country():
    text = "Kerajaan Arab Saudi menyambut rombongan. Arab Saudi menjanjikan investasi."
    _, groups = _run(text, {"Kerajaan Arab Saudi": "LOC"})
    g, e = _group_of(groups, "Kerajaan Arab Saudi")
    assert "Arab Saudi" in g and e.type == "COUNTRY"


def test_pemerintah_before_a_country_is_not_the_country():
    text = "Pemerintah Israel menolak resolusi itu. Israel juga menolak."
    _, groups = _run(text, {"Pemerintah Israel": "ORG"})
    g, e = _group_of(groups, "Pemerintah Israel")
    assert g == {"Pemerintah Israel"} and e.type == "ORG"


def test_lower_case_negara_is_not_taken_into_the_name():
    r, groups = _run("Banyak negara Israel kritik. Israel menolak.", {})
    assert {m.text for m in r.mentions} == {"Israel"}


# ---- outlets written as web addresses -----------------------------------------------------------

def test_a_web_address_is_the_outlet_the_article_names():
    text = "Jakarta, CNN Indonesia -- Warga antre sejak pagi. \"Kami sabar,\" kata Budi kepada CNNIndonesia.com, Senin."
    r, groups = _run(text, {"CNN Indonesia": "ORG", "Budi": "PERSON"})
    g, e = _group_of(groups, "CNNIndonesia.com")
    assert "CNN Indonesia" in g and e.type == "ORG"


def test_a_web_address_of_no_named_outlet_is_left_alone():
    r, _ = _run("Suara.com - Warga antre sejak pagi di Jakarta.", {"Jakarta": "LOC"})
    assert all("Suara" not in m.text for m in r.mentions)


# ---- a country's stem alone ---------------------------------------------------------------------

def test_korea_alone_is_the_korea_the_article_names():
    text = "Kapal selam itu dibuat di Korea Selatan. Sebagian dikerjakan tangan Korea, sebagian tangan Indonesia."
    _, groups = _run(text, {})
    g, e = _group_of(groups, "Korea")
    assert "Korea Selatan" in g and e.table_id == "south-korea"


@pytest.mark.parametrize("text", [
    "Korea Utara dan Korea Selatan berunding. Korea tetap terbelah.",  # both named
    "Korea Utara menguji rudal. Situasi di semenanjung Korea memanas.",  # the peninsula
    "Korea Utara menguji rudal. Situasi di Semenanjung Korea memanas.",
])
def test_korea_alone_stays_where_it_is_not_clear(text):
    _, groups = _run(text, {})
    if any("Korea" in g for g in groups):
        g, _ = _group_of(groups, "Korea")
        assert g == {"Korea"}


# ---- administrative places ----------------------------------------------------------------------

def test_kota_x_folds_into_x():
    text = "Banjir melanda Kota Tegal. Warga Tegal mengungsi ke masjid."
    _, groups = _run(text, {"Kota Tegal": "LOC", "Tegal": "LOC"})
    assert frozenset({"Kota Tegal", "Tegal"}) in groups


def test_kota_and_kabupaten_of_one_name_are_two_places():
    text = "Banjir melanda Kota Bogor dan Kabupaten Bogor. Warga Bogor mengungsi. Kabupaten Bogor paling parah."
    _, groups = _run(text, {"Kota Bogor": "LOC", "Kabupaten Bogor": "LOC", "Bogor": "LOC"})
    assert not any({"Kota Bogor", "Kabupaten Bogor"} <= g for g in groups)
    assert not any({"Kota Bogor", "Bogor"} <= g or {"Kabupaten Bogor", "Bogor"} <= g for g in groups)


def test_an_office_names_its_unit_too():
    text = "Wali Kota Tegal ditangkap. Kabupaten Tegal tidak terdampak. Warga Tegal kaget."
    _, groups = _run(text, {"Kabupaten Tegal": "LOC", "Tegal": "LOC"})
    assert not any({"Kabupaten Tegal", "Tegal"} <= g for g in groups)


def test_folds_hold_across_documents():
    table = load_aliases()
    docs = [Document("a", "Banjir melanda Korea Selatan. Warga Kores Selatan mengungsi. Korea Selatan berduka."),
            Document("b", '"Negara Israel menolak," kata Netanyahu.')]
    results = analyze_documents(docs, tagger=DictTagger({"Kores Selatan": "LOC", "Netanyahu": "PERSON"}), table=table, quotes=False)
    ents = {e.id: e for e in fold(results, table).entities}
    assert "Kores Selatan" in ents["south-korea"].variants
    assert "Negara Israel" in ents["israel"].variants


def test_a_name_starting_with_a_place_word_is_no_person():
    r, groups = _run("Warga Kecamatan Paloh menyambut SPBU baru. Camat Paloh hadir.", {"Kecamatan Paloh": "PERSON"})
    _, e = _group_of(groups, "Kecamatan Paloh")
    assert e.type == "LOC"


def test_an_outlet_that_gives_its_address_in_brackets():
    text = "\"Kami menolak,\" kata Budi Santoso kepada kumparan (kumparan.com), Senin. Kumparan lain di mesin itu rusak."
    r, groups = _run(text, {"Budi Santoso": "PERSON"})
    g, e = _group_of(groups, "kumparan.com")
    assert g == {"kumparan", "kumparan.com"} and e.type == "ORG"
    assert "Kumparan" not in {m.text for m in r.mentions}  # the word elsewhere (a coil) is not the outlet
