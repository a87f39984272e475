"""The BAST's date in words at the edges official letters meet (issue 16.15)."""

from datetime import date

import pytest

from logistics.core.words import date_in_words, number_words


@pytest.mark.parametrize(("value", "words"), [
    (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (12, "dua belas"), (19, "sembilan belas"),
    (20, "dua puluh"), (21, "dua puluh satu"), (31, "tiga puluh satu"), (100, "seratus"),
    (111, "seratus sebelas"), (1000, "seribu"), (1100, "seribu seratus"),
    (1111, "seribu seratus sebelas"), (2000, "dua ribu"), (2011, "dua ribu sebelas"),
    (2100, "dua ribu seratus"), (11000, "sebelas ribu"), (100000, "seratus ribu"),
    (1_000_000, "satu juta"), (1_001_000, "satu juta seribu"),
    (1_000_000_000, "satu miliar"), (3240, "tiga ribu dua ratus empat puluh")])
def test_numbers_in_words_follow_indonesian_rules(value, words):
    assert number_words(value) == words


@pytest.mark.parametrize(("day", "words"), [
    (date(2000, 1, 1), "Pada hari ini Sabtu tanggal satu bulan Januari tahun dua ribu"),
    (date(2011, 11, 11), "Pada hari ini Jumat tanggal sebelas bulan November tahun "
                         "dua ribu sebelas"),
    (date(2026, 12, 21), "Pada hari ini Senin tanggal dua puluh satu bulan Desember tahun "
                         "dua ribu dua puluh enam"),
    (date(2026, 12, 31), "Pada hari ini Kamis tanggal tiga puluh satu bulan Desember tahun "
                         "dua ribu dua puluh enam"),
    (date(2100, 2, 28), "Pada hari ini Minggu tanggal dua puluh delapan bulan Februari tahun "
                        "dua ribu seratus"),
    (date(2024, 2, 29), "Pada hari ini Kamis tanggal dua puluh sembilan bulan Februari tahun "
                        "dua ribu dua puluh empat"),
])
def test_dates_in_words_at_the_edges(day, words):
    assert date_in_words(day) == words


def test_english_date_in_words():
    assert date_in_words(date(2026, 12, 1), "en") == "On Tuesday, 1 December 2026"
