"""Mentions the model missed, or typed wrong, found by general rules (issue 9): speakers named
at a cue, long forms before a bracketed acronym, entity type by head word, relatives sharing a
surname. Made-up texts; the stand-in tagger plays a model that misses the names."""

import pytest

from quotex.aliases import load_aliases
from quotex.models import Document
from quotex.pipeline import analyze_documents

from fake_tagger import DictTagger, analyze_local


def _local(text, names, defaults=False):
    return analyze_local(text, names, defaults)


def _types(r):
    return {m.text: r.entities[c].type for m, c in zip(r.mentions, r.clusters)}


# ---- speakers named at a cue ---------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("“Harga turun,” kata Warsito kepada wartawan.", "Warsito"),
    ("“Harga turun,” ujar Sinta Maharani di Bandung.", "Sinta Maharani"),
    ("Menurut Warsito, harga turun.", "Warsito"),
    ("Anggota Komisi VII DPR Warsito juga menyatakan, harga turun.", "Warsito"),
])
def test_a_speaker_the_model_missed_is_a_person(text, name):
    r, _ = _local(text, {"DPR": "ORG"})
    found = [(m.text, m.type, m.source) for m in r.mentions if m.text == name]
    assert found == [(name, "PERSON", "speaker")]


def test_the_name_of_a_speaker_is_found_elsewhere_in_the_article_when_it_has_two_words():
    text = "Sinta Maharani tiba pagi. “Harga turun,” ujar Sinta Maharani. Warga menyambut Sinta Maharani."
    r, groups = _local(text, {})
    assert [m.text for m in r.mentions] == ["Sinta Maharani"] * 3
    assert groups == [["Sinta Maharani"]]


def test_a_lone_speaker_name_is_not_looked_for_elsewhere():
    r, _ = _local("Warsito datang. “Harga turun,” kata Warsito.", {})
    assert [m.start for m in r.mentions] == [r.text.rindex("Warsito")]


@pytest.mark.parametrize("text", [
    "“Kami siap,” kata Ketua Panitia penyelenggara di Jakarta.",  # a title goes on in lower case
    "“Kami siap,” kata Kepala Bagian Pemberitaan dan Publikasi KPK Priharsa Nugraha.",
    "“Kami siap,” kata Land Rover Chief Design Officer, Gerry McGovern.",
    "“Kami siap,” kata Sekretaris Daerah (Sekda) DKI Jakarta Saefullah.",
    "“Kami siap,” kata Kementerian Perindustrian kepada wartawan.",  # an organisation
    "“Kami siap,” kata Selasa lalu.",
])
def test_title_words_and_organisations_after_a_cue_are_no_new_person(text):
    r, _ = _local(text, {"Priharsa Nugraha": "PERSON", "Gerry McGovern": "PERSON", "Saefullah": "PERSON", "KPK": "ORG", "DKI Jakarta": "LOC"})
    assert not [m for m in r.mentions if m.source == "speaker"]


@pytest.mark.parametrize("text", [
    "Sementara itu, Menteri Keuangan menilai kebijakan itu tepat.",
    "“Kami mendukung,” kata Menteri Keuangan.",
])
def test_a_full_title_is_no_name(text):
    r, _ = _local(text, {})
    assert not [m for m in r.mentions if m.source == "speaker"]


def test_a_name_word_between_a_unit_and_the_model_span_joins_the_person():
    text = "Warga Kabupaten Sambas senang. “Jalan sudah bagus,” ujar Bupati Sambas Atbah Romin Suhaili."
    r, _ = _local(text, {"Kabupaten Sambas": "LOC", "Romin Suhaili": "PERSON"})
    assert "Atbah Romin Suhaili" in [m.text for m in r.mentions]
    # a title word before the name is not taken (the title list does not hold every title)
    r, _ = _local("“Aman,” kata Menteri Keuangan Sri Mulyani.", {"Sri Mulyani": "PERSON"})
    assert "Sri Mulyani" in [m.text for m in r.mentions]
    assert not any("Keuangan" in m.text for m in r.mentions)


def test_relatives_sharing_a_surname_the_lone_surname_stays_with_the_subject():
    text = ("Zbigniew Brzezinski wafat. Brzezinski lahir di Polandia. Putrinya, Mika Brzezinski, berduka. "
            "Brzezinski pernah menjadi penasihat.")
    _, groups = _local(text, {"Zbigniew Brzezinski": "PERSON", "Mika Brzezinski": "PERSON", "Brzezinski": "PERSON"})
    assert ["Brzezinski", "Zbigniew Brzezinski"] in groups and ["Mika Brzezinski"] in groups


# ---- long forms before a bracketed acronym ---------------------------------------------------------

@pytest.mark.parametrize("text, names, group", [
    # the model missed the long form
    ("“Kami akan menggugat,” kata Koordinator Masyarakat Anti Korupsi Indonesia (MAKI), Budi Santoso.",
     {"MAKI": "ORG", "Budi Santoso": "PERSON"}, ["MAKI", "Masyarakat Anti Korupsi Indonesia"]),
    ("Komisi untuk Orang Hilang dan Korban Tindak Kekerasan (KontraS) mengingatkan aparat. KontraS menolak.",
     {"KontraS": "ORG"}, ["Komisi untuk Orang Hilang dan Korban Tindak Kekerasan", "KontraS"]),
    ("Ketua Pengurus Besar Ikatan Pencak Silat Indonesia (PB IPSI) membuka kejuaraan.",
     {"PB IPSI": "ORG"}, ["PB IPSI", "Pengurus Besar Ikatan Pencak Silat Indonesia"]),
    # the model ran it on past the bracket
    ("Sekolah Dian Harapan dibuka di mal. Sekolah Dian Harapan (SDH) Bogor punya perpustakaan.",
     {"Sekolah Dian Harapan ( SDH ) Bogor": "ORG"}, ["SDH", "Sekolah Dian Harapan"]),
])
def test_long_form_before_a_bracketed_acronym(text, names, group):
    r, groups = _local(text, names)
    assert any(set(group) <= set(g) for g in groups)
    assert all(_types(r)[n] == "ORG" for n in group)


def test_no_long_form_where_the_model_does_not_take_the_acronym_for_a_name():
    r, _ = _local("Para Pegawai Negeri Sipil (PNS) mendapat gaji ke-13.", {})
    assert r.mentions == ()


def test_a_long_form_does_not_take_a_title_or_a_known_person():
    r, groups = _local("Ketua Komisi Pemberantasan Korupsi (KPK) Agus Rahardjo hadir.", {"KPK": "ORG", "Agus Rahardjo": "PERSON"})
    assert ["KPK", "Komisi Pemberantasan Korupsi"] in groups
    r, _ = _local("Warga Desa Suka Maju (DSM) berkumpul.", {"DSM": "ORG"})
    assert _types(r)["Desa Suka Maju"] == "LOC"


# ---- type by head word ---------------------------------------------------------------------------

def test_an_entity_named_by_an_organisation_head_is_an_organisation():
    # the model typed the short form a person everywhere; the long form starts with "Badan"
    text = "Pejabat Badan Keamanan Laut ditangkap. Bakamla membantah. Kantor Bakamla sepi."
    r, groups = _local(text, {"Badan Keamanan Laut": "PERSON", "Bakamla": "PERSON", "Kantor Bakamla": "LOC"})
    assert any({"Bakamla", "Badan Keamanan Laut"} <= set(g) for g in groups)
    assert _types(r)["Bakamla"] == "ORG" and _types(r)["Badan Keamanan Laut"] == "ORG"


def test_an_entity_named_by_an_administrative_place_word_is_a_place():
    r, groups = _local("SPBU dibuka di Kecamatan Paloh. Warga Paloh senang.", {"Kecamatan Paloh": "PERSON", "Paloh": "PERSON"})
    assert ["Kecamatan Paloh", "Paloh"] in groups
    assert _types(r)["Kecamatan Paloh"] == "LOC" and _types(r)["Paloh"] == "LOC"


def test_a_person_with_a_full_name_keeps_the_type():
    r, _ = _local("Kepala Badan Narkotika Budi Waseso hadir. Budi Waseso menjawab.", {"Badan Narkotika Budi Waseso": "PERSON", "Budi Waseso": "PERSON"})
    assert _types(r)["Budi Waseso"] == "PERSON"


# ---- acronyms the model missed elsewhere (find_short_forms, with the same guard) ----------------------

def test_an_acronym_the_model_missed_folds_into_the_long_name_of_the_article():
    text = "Sekolah Dian Harapan membuka kelas baru. Tahun ini SDH menerima 200 siswa."
    r, groups = _local(text, {"Sekolah Dian Harapan": "ORG"})
    assert ["SDH", "Sekolah Dian Harapan"] in groups
    # two names fit: it folds into neither
    text = "Sekolah Dian Harapan dan Sekolah Duta Harapan bertanding. SDH menang."
    r, groups = _local(text, {"Sekolah Dian Harapan": "ORG", "Sekolah Duta Harapan": "ORG"})
    assert not any("SDH" in g for g in groups)


def test_long_form_with_its_head_and_a_two_word_acronym():
    # the acronym leaves out the head word; the article's short name keeps it (Kementerian ESDM)
    text = "Kementerian Energi dan Sumber Daya Mineral (ESDM) meresmikan SPBU. Kementerian ESDM menambah kuota."
    r, groups = _local(text, {"Kementerian ESDM": "ORG"})
    assert any({"Kementerian Energi dan Sumber Daya Mineral", "Kementerian ESDM"} <= set(g) for g in groups)
    # a hyphenated word inside the long form, a two-word acronym that holds a table name
    text = ("Menurut Lembaga Pengkajian Pangan Obat-Obatan dan Kosmetika Majelis Ulama Indonesia (LPPOM MUI), "
            "kolagen aman. LPPOM MUI menguji produk itu.")
    r, groups = _local(text, {"Lembaga Pengkajian Pangan Obat-Obatan": "ORG", "MUI": "ORG"})
    assert any({"Lembaga Pengkajian Pangan Obat-Obatan dan Kosmetika Majelis Ulama Indonesia", "LPPOM MUI"} <= set(g) for g in groups)


def test_a_legal_form_name_the_model_found_is_left_to_find_definitions():
    text = "“Kami siap,” kata Chief Operating Officer PT WAE PT Wahana Auto Ekamarga (WAE), Roland Staehler."
    r, _ = _local(text, {"PT WAE": "ORG", "PT Wahana Auto Ekamarga": "ORG", "WAE": "ORG", "Roland Staehler": "PERSON"})
    assert "PT Wahana Auto Ekamarga" in [m.text for m in r.mentions]
    assert not [m for m in r.mentions if m.source == "long_form"]


@pytest.mark.parametrize("text, names, absent", [
    # the head is taken only where the article writes it with the acronym (Kementerian ESDM)
    ("Pengawas Bank Otoritas Jasa Keuangan (OJK) hadir.", {"Bank Otoritas Jasa Keuangan": "ORG", "OJK": "ORG"}, "Bank Otoritas Jasa Keuangan"),
    # a name that goes on after its bracket stays whole unless the article writes the long form alone too
    ("Pasien dirujuk ke Rumah Sakit Umum Daerah (RSUD) Kardinah kemarin.", {"Rumah Sakit Umum Daerah ( RSUD ) Kardinah": "LOC"}, "Rumah Sakit Umum Daerah"),
])
def test_long_form_guards(text, names, absent):
    r, _ = _local(text, names)
    assert not [m for m in r.mentions if m.source == "long_form" and m.text == absent]


class _TagsAcronymOutsideBrackets:
    """Tags one acronym as an organisation except inside a bracket (as the model did)."""

    def __init__(self, acronym):
        self.acronym = acronym

    def tag(self, sentences):
        return [[(i, i + 1, "ORG") for i, t in enumerate(toks) if t == self.acronym and (i == 0 or toks[i - 1] != "(")] for toks in sentences]


def test_two_words_whose_acronym_the_model_tags_only_elsewhere_are_no_long_form():
    text = "Satelit di 113 derajat Bujur Timur (BT) itu kosong. Slot 146 BT terisi."
    r = analyze_documents([Document("d", text)], tagger=_TagsAcronymOutsideBrackets("BT"), table=load_aliases(defaults=False), quotes=False)[0]
    assert not [m for m in r.mentions if m.source == "long_form"]
    # three words or more: a name
    text = "Anak itu dititipkan di Rumah Perlindungan Sosial Anak (RPSA) kemarin. RPSA menampung 20 anak."
    r = analyze_documents([Document("d", text)], tagger=_TagsAcronymOutsideBrackets("RPSA"), table=load_aliases(defaults=False), quotes=False)[0]
    assert [m.text for m in r.mentions if m.source == "long_form"] == ["Rumah Perlindungan Sosial Anak", "RPSA"]


def test_long_form_takes_the_acronyms_type():
    r, _ = _local("Warga Daerah Khusus Ibu Kota (DKI) Jakarta memilih. DKI siap.", {"DKI": "LOC", "Jakarta": "LOC"})
    assert _types(r)["Daerah Khusus Ibu Kota"] == "LOC"


def test_an_unled_subject_after_a_clause_word_is_no_person():
    r, _ = _local("TNI meluncurkan kapal, sehari setelah Angkatan Udara mengumumkan rencana itu.", {"TNI": "ORG"})
    assert not [m for m in r.mentions if m.source == "speaker"]
    r, _ = _local("Kemarin, Sinta Maharani mengatakan harga turun.", {})
    assert [(m.text, m.source) for m in r.mentions] == [("Sinta Maharani", "speaker")]


def test_one_word_after_an_organisation_at_a_cue_is_no_person():
    """``Menurut LBH Pers``: the word goes on with the organisation's name; after a title the
    same shape is a person (``kata Ketua KPK Agus``)."""
    r, _ = _local("Menurut LBH Pers, kasus itu janggal. Ketua LBH Pers Ade Wahyudin hadir.", {"LBH": "ORG", "Ade Wahyudin": "PERSON"})
    assert "Pers" not in {m.text for m in r.mentions if m.type == "PERSON"}
    assert ("Ade Wahyudin", "PERSON") in {(m.text, m.type) for m in r.mentions}
    r, _ = _local("Sementara itu, kata Ketua KPK Agus, kasus itu janggal.", {"KPK": "ORG"})
    assert ("Agus", "PERSON") in {(m.text, m.type) for m in r.mentions}
