"""Build the sample XLSForm and the sample exports in this folder (run it to rebuild them).

``python -m seeds.forms.build_samples`` writes:
- ``kaji_cepat_rumah_tangga.xlsx``: the household assessment form (XLSForm: survey, choices,
  settings) to upload to KoboToolbox or ODK Central;
- ``sample_export.xlsx``: eight submissions as KoboToolbox exports them to XLSX ("XML values
  and headers", groups in headers with "/"): the members repeat on its own sheet;
- ``sample_export.csv`` and ``sample_export-members.csv``: the same submissions as ODK Central
  writes its CSV (groups joined with "-", ``KEY``, the repeat with ``PARENT_KEY``).

Flood along the Air Ketahun, kecamatan Ketahun (17.03.12), real desa codes. The people are
made up; the NIK are made by `logistics.core.identity.make_nik` (kecamatan code, birth date
with +40 for women, serial from 0001) and the No. KK carry the kecamatan code, an issue date and
a serial, so every number passes the rule the import applies.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

from openpyxl import Workbook

from logistics.core.identity import make_nik

HERE = Path(__file__).parent
KECAMATAN = "17.03.12"  # Ketahun
DESA = [("17.03.12.2001", "Urai"), ("17.03.12.2002", "Pasar Ketahun"),
        ("17.03.12.2004", "Kuala Langi"), ("17.03.12.2012", "Lubuk Mindai"),
        ("17.03.12.2013", "Pajar Baru")]
MEN = ["Ahmad Fauzi", "Rudi Hartono", "Syamsul Bahri", "Darmawan", "Suparman", "Heri Saputra",
       "Joni Iskandar", "Zulkifli", "Eko Prasetyo", "Baharudin", "Wahyu Hidayat", "Sarwono"]
WOMEN = ["Siti Aminah", "Nurhayati", "Rina Marlina", "Yuliana", "Sri Wahyuni", "Dewi Lestari",
         "Ernawati", "Rosmalina", "Fitri Handayani", "Suryani", "Lela Sari", "Maimunah"]
CHILDREN = ["Rizki", "Putri", "Aditya", "Nabila", "Fajar", "Aisyah", "Bayu", "Salsabila",
            "Dimas", "Zahra"]
STREETS = ["Jl. Lintas Barat", "Jl. Pasar Ketahun", "Jl. Desa Urai", "Dusun II", "Dusun III",
           "Jl. Simpang Kuala Langi"]
NEEDS = ["pangan", "air_bersih", "selimut", "tikar", "pakaian", "obat_obatan", "kebutuhan_bayi",
         "perlengkapan_mandi", "terpal"]
DAMAGE = ["tidak_rusak", "rusak_ringan", "rusak_ringan", "rusak_sedang", "rusak_berat"]
FIRST_DAY = date(2026, 11, 24)
FORM_ID = "kaji_cepat_rumah_tangga"

# Columns as KoboToolbox writes them (groups with "/"); ODK Central joins with "-".
MAIN = ["start", "end", "today", "household/desa_code", "household/assessed_on",
        "household/kk_number", "household/head_name", "household/head_nik", "household/address",
        "damage/house_damage", "damage/lost_livelihood", "damage/deaths",
        "damage/urgent_needs", "members_count", "meta/instanceID"]
KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]
MEMBER = ["members/member_name", "members/member_nik", "members/member_sex",
          "members/member_age", "members/member_relation", "members/member_pregnant",
          "members/member_breastfeeding", "members/member_disabled"]
KOBO_MEMBER_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id",
                    "_submission__uuid", "_submission__submission_time",
                    "_submission__validation_status", "_submission__notes",
                    "_submission__status", "_submission__submitted_by",
                    "_submission___version__", "_submission__tags"]


def _nik(rng, birth: date, female: bool) -> str:
    return make_nik(KECAMATAN, birth, "F" if female else "M", rng.randint(1, 9999))


def _kk(rng, issued: date) -> str:
    """The kecamatan, the card's issue date, a serial from 0001."""
    return f"{KECAMATAN.replace('.', '')}{issued:%d%m%y}{rng.randint(1, 9999):04d}"


def _birth(rng, age: int) -> date:
    return date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))


def households(count: int = 8, seed: int = 17) -> list[dict]:
    """``count`` made-up households: the row's values and its members, head first."""
    rng = random.Random(seed)
    made = []
    for index in range(1, count + 1):
        desa_code, desa = DESA[index % len(DESA)]
        head_female = index % 5 == 0  # a widow heads some households
        head = rng.choice(WOMEN if head_female else MEN)
        head_age = rng.randint(28, 66)
        members = [{"name": head, "sex": "P" if head_female else "L", "age": head_age,
                    "relation": "kepala_keluarga", "female": head_female}]
        if not head_female:
            members.append({"name": rng.choice(WOMEN), "sex": "P",
                            "age": max(head_age - rng.randint(0, 6), 20), "relation": "istri",
                            "female": True})
        for _ in range(rng.randint(0, 3)):
            girl = rng.random() < 0.5
            members.append({"name": f"{rng.choice(CHILDREN)} {head.split()[0]}",
                            "sex": "P" if girl else "L", "age": rng.randint(0, 17),
                            "relation": "anak", "female": girl})
        for position, member in enumerate(members):
            with_nik = member["age"] >= 17 or rng.random() < 0.6  # papers are often lost
            member["nik"] = _nik(rng, _birth(rng, member["age"]), member.pop("female")) \
                if with_nik else ""
            member["pregnant"] = "ya" if member["relation"] == "istri" and index % 4 == 0 \
                else "tidak"
            member["breastfeeding"] = "ya" if member["relation"] == "istri" and any(
                m["age"] < 2 for m in members) else "tidak"
            member["disabled"] = "ya" if position and index % 7 == 0 else "tidak"
        day = FIRST_DAY + timedelta(days=index % 4)
        issued = date(2010 + index % 12, 1 + index % 12, 1 + index % 27)
        made.append({
            "uuid": str(UUID(int=rng.getrandbits(128), version=4)),
            "desa_code": desa_code, "desa": desa, "assessed_on": day,
            "kk_number": _kk(rng, issued),
            "head_name": head, "head_nik": members[0]["nik"],
            "address": f"{rng.choice(STREETS)} RT {rng.randint(1, 9):02d}/RW "
                       f"{rng.randint(1, 4):02d}, Desa {desa}",
            "house_damage": DAMAGE[index % len(DAMAGE)],
            "lost_livelihood": "ya" if index % 3 else "tidak",
            "deaths": 1 if index == 6 else 0,
            "urgent_needs": " ".join(sorted(rng.sample(NEEDS, rng.randint(1, 3)))),
            "members": members})
    return made


def _submitted(household) -> datetime:
    return datetime.combine(household["assessed_on"], time(3, 15), tzinfo=UTC)


def _main_values(household) -> list:
    started = _submitted(household) - timedelta(minutes=20)
    return [started.isoformat(), _submitted(household).isoformat(), household["assessed_on"],
            household["desa_code"], household["assessed_on"], household["kk_number"],
            household["head_name"], household["head_nik"], household["address"],
            household["house_damage"], household["lost_livelihood"], household["deaths"],
            household["urgent_needs"], len(household["members"]),
            f"uuid:{household['uuid']}"]


def _member_values(member) -> list:
    return [member["name"], member["nik"], member["sex"], member["age"], member["relation"],
            member["pregnant"], member["breastfeeding"], member["disabled"]]


def kobo_xlsx(rows: list[dict]) -> bytes:
    """The rows as KoboToolbox's XLSX export: submissions, then the ``members`` sheet."""
    book = Workbook()
    main = book.active
    main.title = FORM_ID[:31]
    main.append(MAIN + KOBO_META)
    members = book.create_sheet("members")
    members.append(MEMBER + KOBO_MEMBER_META)
    member_index = 0
    for index, household in enumerate(rows, start=1):
        submitted = _submitted(household).strftime("%Y-%m-%dT%H:%M:%S")
        main.append(_main_values(household) + [
            1000 + index, household["uuid"], submitted, "", "", "submitted_via_web", "",
            "vQ2kB7sZ", "", index])
        for member in household["members"]:
            member_index += 1
            members.append(_member_values(member) + [
                member_index, FORM_ID, index, 1000 + index, household["uuid"], submitted, "",
                "", "submitted_via_web", "", "vQ2kB7sZ", ""])
    for row in main.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and cell.value.isdigit():
                cell.data_type = "s"  # numbers as text, as Kobo keeps NIK and No. KK
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(header: list[str], lines: list[list]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if value is None else str(value) for value in line]
                      for line in lines])
    return text.getvalue().encode("utf-8")


def odk_csv(rows: list[dict]) -> tuple[bytes, bytes]:
    """The rows as ODK Central's CSV export: the submissions, and the members repeat."""
    header = ["SubmissionDate"] + [name.replace("/", "-") for name in MAIN] + [
        "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
        "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    main, members = [], []
    for household in rows:
        key = f"uuid:{household['uuid']}"
        main.append([_submitted(household).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                     *_main_values(household), key, 5, "tagana-ketahun", 0, 0, "", "",
                     "collect:ab12cd34", 0, "2026112401"])
        for position, member in enumerate(household["members"], start=1):
            members.append([*_member_values(member), key, f"{key}/members[{position}]"])
    member_header = [name.replace("members/", "") for name in MEMBER] + ["PARENT_KEY", "KEY"]
    return _csv(header, main), _csv(member_header, members)


def odk_zip(rows: list[dict]) -> bytes:
    """ODK Central's "All data" ZIP of CSVs: the form's CSV and one per repeat."""
    main, members = odk_csv(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{FORM_ID}.csv", main)
        archive.writestr(f"{FORM_ID}-members.csv", members)
    return buffer.getvalue()


SURVEY = [
    ("type", "name", "label::Indonesian (id)", "required", "constraint",
     "constraint_message::Indonesian (id)", "relevant", "appearance", "default"),
    ("start", "start", "", "", "", "", "", "", ""),
    ("end", "end", "", "", "", "", "", "", ""),
    ("today", "today", "", "", "", "", "", "", ""),
    ("begin_group", "household", "Rumah tangga", "", "", "", "", "field-list", ""),
    ("select_one desa", "desa_code", "Desa", "yes", "", "", "", "minimal", ""),
    ("date", "assessed_on", "Tanggal kaji cepat", "yes", ". <= today()",
     "Tanggal tidak boleh di masa depan", "", "", "today()"),
    ("text", "kk_number", "No. KK (16 angka)", "", "regex(., '^[0-9]{16}$')",
     "No. KK 16 angka", "", "numbers", ""),
    ("text", "head_name", "Nama kepala keluarga", "yes", "", "", "", "", ""),
    ("text", "head_nik", "NIK kepala keluarga (jika ada)", "", "regex(., '^[0-9]{16}$')",
     "NIK 16 angka", "", "numbers", ""),
    ("text", "address", "Alamat (jalan/dusun, RT/RW)", "", "", "", "", "", ""),
    ("end_group", "", "", "", "", "", "", "", ""),
    ("begin_group", "damage", "Kerusakan dan kebutuhan", "", "", "", "", "field-list", ""),
    ("select_one house_damage", "house_damage", "Kerusakan rumah", "yes", "", "", "", "", ""),
    ("select_one yes_no", "lost_livelihood", "Kehilangan mata pencaharian?", "yes", "", "", "",
     "", ""),
    ("integer", "deaths", "Anggota keluarga meninggal", "", ". >= 0 and . <= 100",
     "0 sampai 100", "", "", "0"),
    ("select_multiple needs", "urgent_needs", "Kebutuhan mendesak", "", "", "", "", "", ""),
    ("end_group", "", "", "", "", "", "", "", ""),
    ("begin_repeat", "members", "Anggota keluarga (kepala keluarga lebih dulu)", "", "", "",
     "", "", ""),
    ("text", "member_name", "Nama", "yes", "", "", "", "", ""),
    ("text", "member_nik", "NIK (jika ada)", "", "regex(., '^[0-9]{16}$')", "NIK 16 angka", "",
     "numbers", ""),
    ("select_one sex", "member_sex", "Jenis kelamin", "yes", "", "", "", "", ""),
    ("integer", "member_age", "Umur (tahun)", "", ". >= 0 and . <= 130", "0 sampai 130", "",
     "", ""),
    ("select_one relation", "member_relation", "Hubungan dengan kepala keluarga", "", "", "",
     "", "", ""),
    ("select_one yes_no", "member_pregnant", "Sedang hamil?", "", "", "",
     "${member_sex} = 'P'", "", "tidak"),
    ("select_one yes_no", "member_breastfeeding", "Sedang menyusui?", "", "", "",
     "${member_sex} = 'P'", "", "tidak"),
    ("select_one yes_no", "member_disabled", "Penyandang disabilitas?", "", "", "", "", "",
     "tidak"),
    ("end_repeat", "", "", "", "", "", "", "", ""),
    ("calculate", "members_count", "", "", "", "", "", "", "count(${members})"),
]
CHOICES = [("list_name", "name", "label::Indonesian (id)")] + [
    ("desa", code, name) for code, name in DESA] + [
    ("house_damage", "tidak_rusak", "Tidak rusak"), ("house_damage", "rusak_ringan",
                                                     "Rusak ringan"),
    ("house_damage", "rusak_sedang", "Rusak sedang"), ("house_damage", "rusak_berat",
                                                       "Rusak berat"),
    ("yes_no", "ya", "Ya"), ("yes_no", "tidak", "Tidak"),
    ("sex", "L", "Laki-laki"), ("sex", "P", "Perempuan"),
    ("relation", "kepala_keluarga", "Kepala keluarga"), ("relation", "istri", "Istri"),
    ("relation", "suami", "Suami"), ("relation", "anak", "Anak"),
    ("relation", "orang_tua", "Orang tua"), ("relation", "famili_lain", "Famili lain")] + [
    ("needs", code, code.replace("_", " ").capitalize()) for code in NEEDS]


def xlsform() -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for line in SURVEY:
        # "calculate" keeps its formula in the calculation column, as XLSForm wants it
        survey.append(line if line[0] != "calculate" else (*line[:8], ""))
    survey.cell(row=1, column=10, value="calculation")
    survey.cell(row=len(SURVEY), column=10, value="count(${members})")
    choices = book.create_sheet("choices")
    for line in CHOICES:
        choices.append(line)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Kaji cepat rumah tangga (banjir)", FORM_ID, "2026112401",
                     "Indonesian (id)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    rows = households()
    (HERE / f"{FORM_ID}.xlsx").write_bytes(xlsform())
    (HERE / "sample_export.xlsx").write_bytes(kobo_xlsx(rows))
    main_csv, members_csv = odk_csv(rows)
    (HERE / "sample_export.csv").write_bytes(main_csv)
    (HERE / "sample_export-members.csv").write_bytes(members_csv)


if __name__ == "__main__":
    main()
