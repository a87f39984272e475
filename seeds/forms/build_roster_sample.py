"""Build the sample roster sheets in this folder (run it to rebuild them).

``python -m seeds.forms.build_roster_sample`` writes ``contoh_daftar_tagana.xlsx`` and
``contoh_daftar_tagana.csv``: ten volunteers of Ketahun, Batik Nau and Enggano as a Dinas Sosial
keeps them, in the columns docs/roster-import.md lists, typed the ways an office types them
(phones with dashes, dates as 31/03/2019 or date cells, L/P, ya/tidak). The desa codes are real;
the two home points lie inside their desa's real boundary. The people are made up: each NIK is
made by `logistics.core.identity.make_nik` from the kecamatan, the birth date and a serial from
0101 (no demo person has one that low), so every number passes the rule the import applies.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from logistics.core.identity import make_nik

HERE = Path(__file__).parent
NAME = "contoh_daftar_tagana"
HEADER = ["No", "Jenis *", "NIA", "Nama *", "NIK *", "Jenis Kelamin", "Tanggal Lahir",
          "Telepon", "Kode Desa *", "Bujur", "Lintang", "Status", "Bergabung", "Legiun",
          "Keahlian", "Catatan"]
# kind, NIA, name, sex, birth, phone, desa, point, status, joined, legiun, skills, notes
PEOPLE = [
    ("Tagana", "TGN 1703 9001", "Syamsul Bahri", "L", date(1978, 5, 14), "0812-7301-5501",
     "17.03.12.2001", (101.8545, -3.3904), "aktif", date(2008, 3, 1), "ya",
     "evakuasi:3; water_rescue:3; operator_perahu:2", "Ketua regu Ketahun"),
    ("Tagana", "TGN 1703 9002", "Nurhayati", "P", date(1990, 8, 2), "0813-6802-5502",
     "17.03.12.2002", None, "aktif", date(2015, 6, 20), "tidak",
     "dapur_umum:3; logistik:2", None),
    ("Tagana", "TGN 1703 9003", "Heri Saputra", "L", date(1988, 1, 23), "+62 852-6700-5503",
     "17.03.12.2004", None, "aktif", date(2013, 9, 9), "tidak",
     "pertolongan_pertama:2; komunikasi_radio:2", None),
    ("Sahabat Tagana", None, "Rina Marlina", "P", date(1999, 11, 30), "082177115504",
     "17.03.12.2012", None, "aktif", date(2022, 2, 14), None, "ldp:1; pendataan:2", None),
    ("Sahabat Tagana", None, "Joni Iskandar", "L", date(2001, 4, 5), "0812 7890 5505",
     "17.03.12.2013", None, "aktif", date(2023, 7, 1), None, "evakuasi", None),
    ("Sahabat Tagana", None, "Fitri Handayani", "P", date(2000, 12, 12), None,
     "17.03.11.2004", (101.9658, -3.4896), "aktif", date(2021, 10, 3), None,
     "dapur_umum:2; shelter", "Tidak punya HP; hubungi lewat Kepala Desa Bintunan"),
    ("Sahabat Tagana", None, "Wahyu Hidayat", "L", date(1996, 3, 17), "0853-1122-5507",
     "17.03.11.2004", None, "tidak aktif", date(2019, 1, 15), None, "logistik:2",
     "Merantau ke Bengkulu"),
    ("Tagana", "TGN 1703 9004", "Yohanes Kauno", "L", date(1983, 7, 7), "0812-2255-5508",
     "17.03.01.2001", None, "aktif", date(2010, 5, 2), "ya",
     "water_rescue:3; evakuasi:3; manajemen_posko:2", "Enggano: perahu ke Malakoni"),
    ("Sahabat Tagana", None, "Maria Kaitora", "P", date(1998, 9, 21), "0821-7711-5509",
     "17.03.01.2003", None, "aktif", date(2022, 8, 8), None, "pertolongan_pertama:1", None),
    ("Sahabat Tagana", None, "Baharudin", "L", date(1993, 2, 28), "0852-6700-5510",
     "17.03.01.2003", None, "aktif", date(2020, 4, 1), None, "dapur_umum:1; pengemudi:2", None),
]


def rows() -> list[list]:
    """The sheet's rows after the header, as typed (dates as date values)."""
    found = []
    for number, (kind, nia, name, sex, birth, phone, desa, point, status, joined, legiun,
                 skills, notes) in enumerate(PEOPLE, start=1):
        nik = make_nik(desa[:8], birth, "F" if sex == "P" else "M", 100 + number)
        found.append([number, kind, nia, name, nik, sex, birth, phone, desa,
                      point[0] if point else None, point[1] if point else None, status, joined,
                      legiun, skills, notes])
    return found


def xlsx_bytes(lines: list[list] | None = None) -> bytes:
    """The sheet as XLSX: the NIK column as text, dates as date cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Daftar Tagana"
    sheet.append(HEADER)
    for line in lines if lines is not None else rows():
        sheet.append(line)
    for row in sheet.iter_rows(min_row=2):
        row[4].number_format = "@"
        for cell in (row[6], row[12]):
            cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(lines: list[list] | None = None) -> bytes:
    """The sheet as a spreadsheet saves "CSV UTF-8" here: dates as 31/03/2019."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in lines if lines is not None else rows():
        writer.writerow([f"{value:%d/%m/%Y}" if isinstance(value, date) else
                         "" if value is None else value for value in line])
    return out.getvalue().encode("utf-8-sig")


def main() -> None:
    (HERE / f"{NAME}.xlsx").write_bytes(xlsx_bytes())
    (HERE / f"{NAME}.csv").write_bytes(csv_bytes())


if __name__ == "__main__":
    main()
