"""Read a roster sheet (XLSX or CSV) into `VolunteerIn` bodies, the columns as docs/roster-import.md
lists them.

Headers are matched loosely: case, spaces, dashes and a trailing ``*`` (the sample's mark of a
required column) do not matter, and the English field names are taken beside the Indonesian
ones. Cells are read as people type them in a Dinas office: ``Tagana``/``Sahabat Tagana``,
``L``/``P``, ``aktif``/``tidak aktif``/``diskors``, ``ya``/``tidak``, dates as date cells,
``2026-03-31`` or ``31/03/2026``, a decimal comma in coordinates, skills as
``dapur_umum:2; ldp``. A NIK stored as a number cell is refused: a spreadsheet keeps 15 digits
of a number, so the 16th is already lost. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from logistics.core import sheet_import
from logistics.core.sheet_import import Table, cell_text, day_text, flag
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.i18n import N_
from logistics.roster.models import VolunteerKind, VolunteerStatus

# field -> the headers read for it, the documented (Indonesian) one first.
COLUMNS = {
    "kind": ("jenis", "kind", "jenis_relawan"),
    "nia": ("nia", "nomor_induk_anggota", "no_induk"),
    "name": ("nama", "name", "nama_lengkap"),
    "nik": ("nik", "no_nik", "nomor_nik"),
    "sex": ("jenis_kelamin", "sex", "l/p", "jk"),
    "birth_date": ("tanggal_lahir", "birth_date", "tgl_lahir"),
    "phone": ("telepon", "phone", "no_hp", "hp", "nomor_hp", "no_telepon", "whatsapp"),
    "home_desa_code": ("kode_desa", "home_desa_code", "desa_code", "kode_wilayah"),
    "home_lon": ("bujur", "home_lon", "longitude", "lon"),
    "home_lat": ("lintang", "home_lat", "latitude", "lat"),
    "status": ("status",),
    "joined_on": ("bergabung", "joined_on", "tanggal_bergabung", "tgl_bergabung"),
    "is_legiun": ("legiun", "is_legiun"),
    "skills": ("keahlian", "skills"),
    "notes": ("catatan", "notes", "keterangan"),
}
IGNORED = frozenset({"no", "nomor", "no_urut"})  # the row counter sheets often start with
REQUIRED = ("kind", "name", "nik", "home_desa_code")
HEADER_OF = {name: headers[0] for name, headers in COLUMNS.items()}
FIELD_OF = {header: name for name, headers in COLUMNS.items() for header in headers}
KINDS = {"tagana": VolunteerKind.TAGANA, "sahabat tagana": VolunteerKind.SAHABAT,
         "sahabat_tagana": VolunteerKind.SAHABAT, "sahabat": VolunteerKind.SAHABAT}
STATUSES = {"aktif": VolunteerStatus.ACTIVE, "active": VolunteerStatus.ACTIVE,
            "tidak aktif": VolunteerStatus.INACTIVE, "nonaktif": VolunteerStatus.INACTIVE,
            "non aktif": VolunteerStatus.INACTIVE, "inactive": VolunteerStatus.INACTIVE,
            "diskors": VolunteerStatus.SUSPENDED, "dibekukan": VolunteerStatus.SUSPENDED,
            "suspended": VolunteerStatus.SUSPENDED}
SEXES = {"l": "M", "laki-laki": "M", "laki laki": "M", "m": "M", "p": "F", "perempuan": "F",
         "f": "F", "w": "F", "wanita": "F"}
SKILL = re.compile(r"^([a-z0-9_]+)\s*(?:[:=]\s*(\S+))?$")

KIND_WORDS = N_("Write Tagana or Sahabat Tagana.")
STATUS_WORDS = N_("Write aktif, tidak aktif or diskors.")
SEX_WORDS = N_("Write L (laki-laki) or P (perempuan).")
YES_NO = N_("Write ya or tidak (yes or no).")
DATE_WORDS = N_("Write a date as 2026-03-31 or 31/03/2026.")
NIK_AS_NUMBER = N_("Write the NIK as text: a spreadsheet keeps only 15 digits of a number, so "
                   "its last digit is lost. Format the column as Text and type the NIK again.")
NUMBER_WORDS = N_("Write a number, e.g. 102,0512.")
SKILL_WORDS = N_("Write skills as code:level separated by semicolons, e.g. dapur_umum:2; ldp.")


def column_key(header) -> str:
    """``"Tanggal Lahir *"`` -> ``"tanggal_lahir"``."""
    return re.sub(r"[\s-]+", "_", cell_text(header).lower().rstrip("*").strip())


def read_roster(content: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> Table:
    """The sheet's rows keyed by header; no database is touched."""
    return sheet_import.read_table(content, filename, column_key, limits)


@dataclass
class RowRead:
    """One row as `VolunteerIn` takes it, and what could not even be read."""

    payload: dict
    skills: list[dict] | None  # None: the column is absent or blank (skills stay as they are)
    problems: dict[str, str] = field(default_factory=dict)  # field -> message


def read_row(row: dict[str, object]) -> RowRead:
    """The row's cells as a `VolunteerIn` body; blank cells are left out."""
    payload, problems = {}, {}
    for header, value in row.items():
        name = FIELD_OF.get(header)
        if name is None or cell_text(value) == "" and not isinstance(value, bool):
            continue
        reader = _READERS.get(name, _text)
        read = reader(value)
        if isinstance(read, _Refused):
            problems[name] = read.message
        else:
            payload[name] = read
    skills = payload.pop("skills", None)
    return RowRead(payload, skills, problems)


class _Refused:
    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message


def _text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value)


def _kind(value):
    kind = KINDS.get(" ".join(cell_text(value).lower().split()))
    return kind.value if kind else _Refused(KIND_WORDS)


def _status(value):
    status = STATUSES.get(" ".join(cell_text(value).lower().split()))
    return status.value if status else _Refused(STATUS_WORDS)


def _sex(value):
    return SEXES.get(cell_text(value).lower()) or _Refused(SEX_WORDS)


def _nik(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _Refused(NIK_AS_NUMBER)
    return cell_text(value)


def _phone(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "0" + str(int(value))  # a number cell has lost the leading 0 of 0812...
    return cell_text(value)


def _day(value):
    text = day_text(value)
    return text if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _Refused(DATE_WORDS)


def _flag(value):
    read = flag(value)
    return read if isinstance(read, bool) else _Refused(YES_NO)


def _coordinate(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(cell_text(value).replace(",", "."))
    except ValueError:
        return _Refused(NUMBER_WORDS)


def _skills(value):
    lines = []
    for part in re.split(r"[;,\n]+", cell_text(value)):
        part = part.strip().lower()
        if not part:
            continue
        match = SKILL.match(part)
        if match is None:
            return _Refused(SKILL_WORDS)
        code, level = match.groups()
        line = {"skill_code": code}
        if level is not None:
            if not level.isdigit():
                return _Refused(SKILL_WORDS)
            line["level"] = int(level)
        lines.append(line)
    return lines


_READERS = {"kind": _kind, "status": _status, "sex": _sex, "nik": _nik, "phone": _phone,
            "birth_date": _day, "joined_on": _day, "is_legiun": _flag,
            "home_lon": _coordinate, "home_lat": _coordinate, "skills": _skills}
