"""Synthetic people for the demo: Bengkulu-sounding names, NIK and No. KK valid in form.

Every number is made from the person's real home kecamatan code and birth date
(`logistics.core.identity.make_nik`), so it passes the same checks a typed one must, and none is
anyone's: the serials start at 7000, and the names are drawn from common given names and
Bengkulu/Rejang family names. Phones are valid in form (0899-0000-xxxx) but made up, and could
belong to someone: the demo never sends a message, it only offers links a person must press.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from logistics.core.identity import make_nik

MEN = ["Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko", "Yudi", "Rahmat",
       "Rizal", "Sapri", "Taufik", "Wahyu", "Zainal", "Agus", "Bambang", "Darmadi", "Edi",
       "Ferry", "Gunawan", "Heri", "Imam", "Junaidi", "Kurniawan", "Lukman", "Mulyadi",
       "Nasrul", "Rudi", "Supriadi", "Yusuf", "Arief", "Doni", "Hasan", "Rusdi"]
WOMEN = ["Ani", "Desi", "Eka", "Fitri", "Indah", "Lina", "Mega", "Nurul", "Putri", "Rina",
         "Sari", "Tuti", "Wati", "Yanti", "Rosmawati", "Herlina", "Suryani", "Elvi", "Marlina",
         "Nova", "Wulan", "Yuli", "Asmara", "Dewi", "Lestari", "Septi", "Reni", "Nining"]
FAMILY = ["Saputra", "Putra", "Hidayat", "Pratama", "Syahputra", "Rejang", "Effendi",
          "Harahap", "Siregar", "Nasution", "Sembiring", "Wijaya", "Kusuma", "Gunawan",
          "Hasibuan", "Marpaung", "Darmawan", "Suherman", "Fauzi", "Hakim", "Ramadhan", "Yusri",
          "Zulkarnain", "Rahman", "Amri", "Sulaiman", "Rosidi", "Anwar"]


@dataclass(frozen=True)
class Person:
    name: str
    sex: str  # "F" / "M"
    birth_date: date
    nik: str
    phone: str


class People:
    """A deterministic source of distinct synthetic people (one serial per person)."""

    def __init__(self, seed: int = 1703, *, first_serial: int = 7000):
        self.rng = random.Random(seed)
        self.serial = first_serial
        self.issued: set[str] = set()

    def person(self, kecamatan_code: str, *, today: date, min_age: int, max_age: int,
               sex: str | None = None) -> Person:
        rng = self.rng
        sex = sex or rng.choice("FM")
        given = rng.choice(WOMEN if sex == "F" else MEN)
        nik = None
        while nik is None or nik in self.issued:  # serials wrap at 9999: never hand one out twice
            birth = today - timedelta(days=rng.randrange(min_age * 365 + 10, max_age * 365 + 300))
            self.serial += 1
            nik = make_nik(kecamatan_code, birth, sex, self.serial % 10_000 or 1)
        self.issued.add(nik)
        phone = f"+62899{self.serial:08d}"
        return Person(f"{given} {rng.choice(FAMILY)}", sex, birth, nik, phone)

    def kk_number(self, kecamatan_code: str, issued: date) -> str:
        """A family card number: the kecamatan, the issue date, a serial from 0001."""
        self.serial += 1
        if self.serial % 10_000 == 0:  # serial 0000 is no card's
            self.serial += 1
        return kecamatan_code.replace(".", "") + f"{issued:%d%m%y}" + f"{self.serial % 10_000:04d}"
