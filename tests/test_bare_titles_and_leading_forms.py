"""Bare role titles as variants of their person (``bind_bare_titles``) and organisations written
by part of their name (``find_leading_forms``), on made-up text."""

from fake_tagger import DictTagger, analyze_local

from quotex.aliases import load_aliases
from quotex.models import Document
from quotex.pipeline import analyze_documents


def _local(text, names, defaults=False):
    return analyze_local(text, names, defaults)


def _types(r):
    return {m.text: m.type for m in r.mentions}


# ---- organisations and places by leading or trailing words -------------------------------------

def test_leading_words_the_model_missed_become_the_short_form():
    text = "Plug and Play Indonesia menggelar acara. Menurut panitia, Plug and Play mendukung 20 perusahaan rintisan."
    _, groups = _local(text, {"Plug and Play Indonesia": "ORG"})
    assert ["Plug and Play", "Plug and Play Indonesia"] in groups


def test_leading_words_after_the_legal_form_and_the_longer_type():
    text = "PT Narindo Solusi Komunikasi menjual saham. Direksi Narindo Solusi menyatakan siap. Majelis Umum Perserikatan Bangsa-Bangsa bersidang; Majelis Umum menolak."
    r, groups = _local(text, {"PT Narindo Solusi Komunikasi": "ORG", "Narindo Solusi": "ORG",
                              "Majelis Umum Perserikatan Bangsa-Bangsa": "ORG", "Majelis Umum": "LOC"})
    assert ["Narindo Solusi", "PT Narindo Solusi Komunikasi"] in groups
    assert ["Majelis Umum", "Majelis Umum Perserikatan Bangsa-Bangsa"] in groups
    assert _types(r)["Majelis Umum"] == "ORG"


def test_one_word_before_an_organisation_word_takes_the_club_type():
    text = "Skuat Arema FC mulai terisi. Dwi sudah pasti ke Arema musim ini."
    r, groups = _local(text, {"Arema FC": "ORG", "Arema": "LOC"})
    assert ["Arema", "Arema FC"] in groups and _types(r)["Arema"] == "ORG"


def test_words_after_a_known_organisation():
    text = "Kolonel itu berasal dari TNX Angkatan Laut. Perwira dari Angkatan Darat, Angkatan Laut, dan Angkatan Udara bisa bertugas."
    _, groups = _local(text, {"TNX Angkatan Laut": "ORG", "Angkatan Darat": "ORG", "Angkatan Udara": "ORG"})
    assert ["Angkatan Laut", "TNX Angkatan Laut"] in groups
    assert ["Angkatan Darat"] in groups and ["Angkatan Udara"] in groups


def test_a_person_named_like_the_start_of_an_organisation_stays_a_person():
    text = "Tanri Abeng University membuka kelas baru. Menurut Tanri Abeng, kelas itu gratis."
    _, groups = _local(text, {"Tanri Abeng University": "ORG", "Tanri Abeng": "PERSON"})
    assert groups == [["Tanri Abeng"], ["Tanri Abeng University"]]


def test_two_longer_names_that_fit_fold_neither():
    text = "Badan Riset Kelautan dan Badan Riset Kehutanan bekerja sama. Badan Riset menyebut hasilnya baik."
    _, groups = _local(text, {"Badan Riset Kelautan": "ORG", "Badan Riset Kehutanan": "ORG", "Badan Riset": "ORG"})
    assert ["Badan Riset"] in groups


def test_a_place_is_not_the_first_word_of_another():
    text = "Banjir melanda Jawa Barat. Di Jawa hujan turun sepanjang hari."
    _, groups = _local(text, {"Jawa Barat": "LOC", "Jawa": "LOC"})
    assert groups == [["Jawa"], ["Jawa Barat"]]


def test_a_name_that_with_a_table_name_in_the_article_is_a_table_name():
    text = "Inggris meminta PBB bersidang. Dewan Keamanan akan bertemu pada Jumat."
    r, _ = _local(text, {"Dewan Keamanan": "ORG"}, defaults=True)
    ent = r.entities[r.clusters[[m.text for m in r.mentions].index("Dewan Keamanan")]]
    assert ent.table_id == "un-security-council"


# ---- bare role titles ---------------------------------------------------------------------------

def test_title_holding_a_place_binds_and_the_place_stays_a_mention():
    text = ("KPK menangkap Wali Kota Tegal Siti Mashita Soeparno. Rumah Sakit di Tegal disegel. "
            "Operasi terhadap Wali Kota Tegal itu terkait pembangunan.")
    r, groups = _local(text, {"Siti Mashita Soeparno": "PERSON", "Tegal": "LOC"})
    assert ["Siti Mashita Soeparno", "Wali Kota Tegal"] in groups
    assert ["Tegal"] in groups and _types(r)["Tegal"] == "LOC"  # both Tegal mentions, a place


def test_abbreviated_role_with_its_object_written_another_way():
    text = ("Menteri mencopot Direktur Jenderal Pemasyarakatan I Wayan Dusak. "
            "\u201cDirjen Lapas harus diganti,\u201d ujar Desmond. Dirjen Pajak tidak terkait.")
    _, groups = _local(text, {"I Wayan Dusak": "PERSON", "Desmond": "PERSON"})
    assert ["Dirjen Lapas", "I Wayan Dusak"] in groups
    assert not any("Dirjen Pajak" in g for g in groups)  # another directorate: not that person


def test_another_word_for_the_same_role_with_the_first_words_of_its_object():
    text = ("Utusan Inggris menyatakan negaranya tidak sepakat, kata Duta Besar Inggris untuk PBB Matthew Rycroft. "
            "Utusan Prancis diam.")
    _, groups = _local(text, {"Matthew Rycroft": "PERSON"}, defaults=True)  # the table knows Inggris, a country
    assert ["Matthew Rycroft", "Utusan Inggris"] in groups
    assert not any("Utusan Prancis" in g for g in groups)


def test_head_of_state_epithet_is_the_president_of_the_article():
    text = "Presiden Joko Widodo memuji pelajar. \u201cIni penting,\u201d tutur Kepala Negara."
    _, groups = _local(text, {"Joko Widodo": "PERSON"})
    assert ["Joko Widodo", "Kepala Negara"] in groups


def test_epithet_or_title_that_fits_two_people_binds_to_neither():
    text = ("Presiden Joko Widodo dan Presiden Rodrigo Duterte bertemu. Kepala Negara tersenyum. "
            "Dirjen Imigrasi Budi Santoso dan Direktur Jenderal Pajak Ani Rahma hadir; Dirjen Pajak menolak.")
    _, groups = _local(text, {"Joko Widodo": "PERSON", "Rodrigo Duterte": "PERSON", "Budi Santoso": "PERSON", "Ani Rahma": "PERSON"})
    assert not any("Kepala Negara" in g for g in groups)
    assert ["Ani Rahma", "Dirjen Pajak"] in groups  # same object: only Ani Rahma fits


def test_title_followed_by_a_name_is_not_the_title_alone():
    text = "Dubes Inggris untuk PBB Matthew Rycroft hadir. Kemudian Utusan Inggris Jonathan Allen berbicara."
    _, groups = _local(text, {"Matthew Rycroft": "PERSON", "Jonathan Allen": "PERSON"})
    assert groups == [["Jonathan Allen"], ["Matthew Rycroft"]]


def test_title_with_a_name_a_word_later_is_not_alone():
    text = "Ketua KPK Taufiequrachman Ruki hadir. Nota itu ditandatangani Ketua KPK nonaktif Abraham Samad pada 2012."
    _, groups = _local(text, {"Taufiequrachman Ruki": "PERSON", "Abraham Samad": "PERSON", "KPK": "ORG"})
    assert not any("Ketua KPK" in g for g in groups)


def test_epithet_with_a_demonstrative_is_the_one_untitled_person():
    text = ("Jaksa Agung M Prasetyo menolak surat Setya Novanto. Novanto ditahan KPK. "
            "Dia berharap kasus Ketua Umum Partai Golkar itu ditangani objektif.")
    names = {"M Prasetyo": "PERSON", "Setya Novanto": "PERSON", "Novanto": "PERSON", "Partai Golkar": "ORG", "KPK": "ORG"}
    _, groups = _local(text, names)
    assert ["Ketua Umum Partai Golkar", "Novanto", "Setya Novanto"] in groups
    # two people without a title of their own: no one
    text2 = "Setya Novanto dan Ade Komarudin bertemu. Novanto dan Ade berbincang. Kasus Ketua Umum Partai Golkar itu berlanjut."
    _, groups = _local(text2, {"Setya Novanto": "PERSON", "Ade Komarudin": "PERSON", "Novanto": "PERSON", "Ade": "PERSON", "Partai Golkar": "ORG"})
    assert not any("Ketua Umum Partai Golkar" in g for g in groups)


def test_places_and_spans_glued_to_a_person_are_not_longer_names():
    text = ("Banjir di Kabupaten Solok Selatan meluas ke Kabupaten Solok. MA menonaktifkan Ketua Pengadilan Negeri "
            "Bengkulu Kaswanto. Pengadilan Negeri Bengkulu menolak berkomentar.")
    _, groups = _local(text, {"Kabupaten Solok Selatan": "LOC", "Kabupaten Solok": "LOC",
                              "Pengadilan Negeri Bengkulu Kaswanto": "ORG", "Pengadilan Negeri Bengkulu": "ORG"})
    assert ["Kabupaten Solok"] in groups and ["Kabupaten Solok Selatan"] in groups
    assert ["Pengadilan Negeri Bengkulu"] in groups


class _CutShort(DictTagger):
    """Tags the names, but cuts every span after the first one to its first word (as the model sometimes does)."""

    def tag(self, sentences):
        out, seen = [], False
        for spans in super().tag(sentences):
            cut = []
            for a, b, typ in spans:
                cut.append((a, b, typ) if not seen else (a, a + 1, typ))
                seen = True
            out.append(cut)
        return out


def test_a_one_word_model_span_that_the_text_continues_is_the_whole_name():
    text = "Kuasa hukum dari LBH Pers hadir. Pengacara LBH Pers juga datang ke sidang."
    r = analyze_documents([Document("d", text)], tagger=_CutShort({"LBH Pers": "ORG"}), table=load_aliases(defaults=False), quotes=False)[0]
    assert [m.text for m in r.mentions] == ["LBH Pers", "LBH Pers"] and len(set(r.clusters)) == 1
