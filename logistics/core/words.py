"""Numbers and dates in words, the way official letters write them.

A berita acara opens with the day spelled out: "Pada hari ini Selasa tanggal satu bulan
Desember tahun dua ribu dua puluh enam". Nothing here reads the clock or the locale: the caller
passes the date and the language.
"""

from __future__ import annotations

from datetime import date

ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
        "sepuluh", "sebelas")
# Largest first: each scale word with its size; "se-" stands for "satu" before ribu and below.
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu"))
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
LIMIT = 10**15  # up to 999 triliun: beyond anything a letter states


def number_words(value: int) -> str:
    """An Indonesian whole number in words: 11 "sebelas", 2026 "dua ribu dua puluh enam"."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("number_words takes an int")
    if value < 0:
        return "minus " + number_words(-value)
    if value >= LIMIT:
        raise ValueError("number_words reads numbers below 10**15")
    if value == 0:
        return ONES[0]
    return " ".join(_words(value))


def _words(value: int) -> list[str]:
    """Words of 1 <= value < LIMIT; empty for 0 (a part that is absent)."""
    for size, name in SCALES:
        if value >= size:
            high, rest = divmod(value, size)
            head = ["seribu"] if size == 1000 and high == 1 else [*_words(high), name]
            return head + _words(rest)
    return _below_thousand(value)


def _below_thousand(value: int) -> list[str]:
    hundreds, rest = divmod(value, 100)
    words = []
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [ONES[hundreds], "ratus"]
    if rest <= 11:
        if rest:
            words.append(ONES[rest])
    elif rest < 20:
        words += [ONES[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [ONES[tens], "puluh"] + ([ONES[ones]] if ones else [])
    return words


def day_name(value: date, locale: str = "id") -> str:
    return (DAYS_EN if locale == "en" else DAYS_ID)[value.weekday()]


def month_name(value: date, locale: str = "id") -> str:
    return (MONTHS_EN if locale == "en" else MONTHS_ID)[value.month - 1]


def date_in_words(value: date, locale: str = "id") -> str:
    """The opening of an official record: the day, date, month and year spelled out.

    Indonesian: "Pada hari ini Selasa tanggal satu bulan Desember tahun dua ribu dua puluh
    enam"; English: "On Tuesday, 1 December 2026".
    """
    if locale == "en":
        return f"On {day_name(value, 'en')}, {value.day} {month_name(value, 'en')} {value.year}"
    return (f"Pada hari ini {day_name(value)} tanggal {number_words(value.day)} bulan "
            f"{month_name(value)} tahun {number_words(value.year)}")
