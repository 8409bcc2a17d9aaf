import pytest

from quotex.boilerplate import find_boilerplate
from quotex.normalize import normalize


def _flagged(text):
    return [text[s:e] for s, e in find_boilerplate(text)]


@pytest.mark.parametrize(
    "line",
    [
        "Baca Juga :   Lima Hari Setelah Deklarasi, Cak Imin Penuhi Panggilan KPK",
        "Read Next : Profil Zohran Mamdani, dari Sosok Tak Dikenal",
        "Advertisement . Scroll to see content",
        "SHARE",
        "Menlu AS Antony Blinken (kiri) khawatir dengan kerja sama militer (Foto: Reuters)",
        "Dian Kusumo Hapsari 25/06/2024 10:01 WIB",
        "Kamis, 09 November 2023 - 20:27:00 WIB",
        "- Bank DBS Indonesia Kucurkan Kredit Rp769,15 Miliar ke Anak Usaha Indika Energy (INDY)",
        "(DKH)",
    ],
)
def test_boilerplate_lines(line):
    text = "Paragraf pertama berita ini cukup panjang.\n" + line + "\nParagraf kedua, kata Budi.\n"
    assert _flagged(text) == [line]


def test_end_marker_drops_the_rest():
    text = "Isi berita.\nMore Stories\nPemilu AS 2024: Donald Trump mengendarai truk sampah\nLainnya"
    assert _flagged(text) == ["More Stories\nPemilu AS 2024: Donald Trump mengendarai truk sampah\nLainnya"]


def test_content_bullet_with_full_stop_is_kept():
    text = "Judul\n- Ini kalimat isi berita yang lengkap dan berakhir dengan titik.\nLalu paragraf lain."
    assert _flagged(text) == []


def test_seed_boilerplate_names_are_excluded(seeds_dir):
    banned = ["Harvick Hasnul Qolbi", "Prabowo", "Zohran Mamdani", "Bank DBS Indonesia", "Manahil Malik", "Kamala", "Donald Trump", "Cak Imin", "Jack Kim", "Jo Min Park"]
    for f in sorted(seeds_dir.glob("*.txt")):
        text = normalize(f.read_text(encoding="utf-8")).text
        ranges = find_boilerplate(text)
        for name in banned:
            for pos in [i for i in range(len(text)) if text.startswith(name, i)]:
                assert any(s <= pos < e for s, e in ranges), (f.name, name)
