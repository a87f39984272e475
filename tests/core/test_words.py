"""Numbers and dates in words, as a berita acara spells them."""

from datetime import date

import pytest

from logistics.core.words import date_in_words, day_name, month_name, number_words


@pytest.mark.parametrize(("value", "words"), [
    (0, "nol"), (1, "satu"), (7, "tujuh"), (10, "sepuluh"), (11, "sebelas"),
    (12, "dua belas"), (19, "sembilan belas"), (20, "dua puluh"), (21, "dua puluh satu"),
    (31, "tiga puluh satu"), (99, "sembilan puluh sembilan"), (100, "seratus"),
    (101, "seratus satu"), (110, "seratus sepuluh"), (111, "seratus sebelas"),
    (115, "seratus lima belas"), (200, "dua ratus"),
    (999, "sembilan ratus sembilan puluh sembilan"), (1000, "seribu"), (1001, "seribu satu"),
    (1100, "seribu seratus"), (1999, "seribu sembilan ratus sembilan puluh sembilan"),
    (2000, "dua ribu"),
    (2026, "dua ribu dua puluh enam"), (2011, "dua ribu sebelas"), (10_000, "sepuluh ribu"),
    (11_000, "sebelas ribu"), (100_000, "seratus ribu"), (101_000, "seratus satu ribu"),
    (1_000_000, "satu juta"), (1_500_000, "satu juta lima ratus ribu"),
    (2_000_001, "dua juta satu"), (1_000_000_000, "satu miliar"),
    (3_000_000_000_000, "tiga triliun"), (-5, "minus lima"),
])
def test_number_words(value, words):
    assert number_words(value) == words


def test_number_words_refuses_what_is_not_a_whole_number():
    for wrong in (1.5, "3", True, None):
        with pytest.raises(TypeError):
            number_words(wrong)
    with pytest.raises(ValueError, match="below"):
        number_words(10**15)


def test_every_number_reads_without_doubled_or_missing_words():
    for value in range(1, 3000):
        words = number_words(value).split()
        assert "nol" not in words, value
        assert all(a != b for a, b in zip(words, words[1:], strict=False)), value
        assert "satu ratus" not in number_words(value)
        assert "satu ribu" not in number_words(value)


@pytest.mark.parametrize(("value", "day", "month"), [
    (date(2026, 12, 1), "Selasa", "Desember"), (date(2026, 1, 4), "Minggu", "Januari"),
    (date(2026, 8, 17), "Senin", "Agustus"), (date(2026, 2, 20), "Jumat", "Februari"),
    (date(2026, 5, 6), "Rabu", "Mei"), (date(2026, 6, 4), "Kamis", "Juni"),
    (date(2026, 3, 7), "Sabtu", "Maret"),
])
def test_day_and_month_names(value, day, month):
    assert day_name(value) == day
    assert month_name(value) == month


def test_the_opening_of_a_berita_acara():
    assert date_in_words(date(2026, 12, 1)) == (
        "Pada hari ini Selasa tanggal satu bulan Desember tahun dua ribu dua puluh enam")
    assert date_in_words(date(2027, 1, 11)) == (
        "Pada hari ini Senin tanggal sebelas bulan Januari tahun dua ribu dua puluh tujuh")
    assert date_in_words(date(2026, 12, 31)).startswith(
        "Pada hari ini Kamis tanggal tiga puluh satu bulan Desember")


def test_english_pages_read_an_english_date():
    assert date_in_words(date(2026, 12, 1), "en") == "On Tuesday, 1 December 2026"
    assert day_name(date(2026, 12, 1), "en") == "Tuesday"
    assert month_name(date(2026, 12, 1), "en") == "December"
