"""The programmes, intake conditions and step limits a new installation starts with.

They are rows, not rules: the Dinas Sosial edits them on the programme settings page (a new
regional programme, a partner, another threshold) without a release. The migration that
creates the tables inserts these; tests and the demo call `install_defaults`.
"""

from __future__ import annotations

from sqlalchemy import select

from logistics.referrals.case_models import CaseStatus, IntakeCondition, Programme, StepLimit

PROGRAMMES = [
    dict(code="PKH", name="Program Keluarga Harapan (PKH)", kind="nasional",
         agency="Pendamping PKH Kecamatan / Dinas Sosial Kabupaten",
         categories="kesehatan,pendidikan,lansia,disabilitas,anak", max_decile=4,
         needs_register=True, eligibility_note="Terdaftar di DTKS/DTSEN, desil 1-4, "
         "dengan komponen ibu hamil, anak usia sekolah, lansia atau disabilitas berat."),
    dict(code="BPNT", name="Bantuan Pangan Non Tunai / Sembako", kind="nasional",
         agency="Dinas Sosial Kabupaten (Bidang Penanganan Fakir Miskin)",
         categories="pangan", max_decile=4, needs_register=True,
         eligibility_note="Terdaftar di DTKS/DTSEN, desil 1-4."),
    dict(code="PBI-JK", name="Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)",
         kind="nasional", agency="BPJS Kesehatan Kantor Cabang / Dinas Sosial Kabupaten",
         categories="kesehatan,disabilitas,lansia", max_decile=5, needs_register=True,
         eligibility_note="Terdaftar di DTKS/DTSEN, desil 1-5."),
    dict(code="PIP", name="Program Indonesia Pintar (PIP)", kind="nasional",
         agency="Dinas Pendidikan Kabupaten / Kantor Kementerian Agama",
         categories="pendidikan,anak", max_decile=4, needs_register=False,
         eligibility_note="Anak usia sekolah dari keluarga desil 1-4 atau pemegang KIP."),
    dict(code="RS-RTLH", name="Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)",
         kind="daerah", agency="Dinas Sosial Kabupaten / Dinas Perumahan dan Kawasan Permukiman",
         categories="perumahan", max_decile=4, needs_register=True,
         eligibility_note="Rumah tidak layak huni milik sendiri; desil 1-4."),
    dict(code="ATENSI", name="Asistensi Rehabilitasi Sosial (ATENSI)", kind="nasional",
         agency="Sentra/Balai Rehabilitasi Sosial Kementerian Sosial",
         categories="disabilitas,lansia,anak,psikososial", max_decile=None,
         needs_register=False, eligibility_note="Lansia, penyandang disabilitas, anak "
         "dan korban bencana yang memerlukan rehabilitasi sosial."),
    dict(code="JADUP", name="Jaminan Hidup korban bencana", kind="bencana",
         agency="Dinas Sosial Kabupaten (Bidang Perlindungan dan Jaminan Sosial)",
         categories="pangan,mata_pencaharian,perumahan", max_decile=None,
         needs_register=False, eligibility_note="Keluarga korban bencana yang rumahnya "
         "rusak berat dan tinggal di hunian sementara."),
    dict(code="SANTUNAN-AW", name="Santunan ahli waris korban bencana", kind="bencana",
         agency="Dinas Sosial Kabupaten (Bidang Perlindungan dan Jaminan Sosial)",
         categories="ahli_waris", max_decile=None, needs_register=False,
         eligibility_note="Ahli waris korban meninggal akibat bencana."),
    dict(code="BAZNAS", name="Bantuan BAZNAS Kabupaten", kind="mitra",
         agency="BAZNAS Kabupaten", categories="pangan,kesehatan,pendidikan,mata_pencaharian",
         max_decile=None, needs_register=False,
         eligibility_note="Mustahik menurut penilaian BAZNAS."),
    dict(code="ADMINDUK", name="Layanan administrasi kependudukan", kind="daerah",
         agency="Dinas Kependudukan dan Pencatatan Sipil Kabupaten",
         categories="adminduk", max_decile=None, needs_register=False,
         eligibility_note="KK, KTP-el, akta yang hilang atau rusak."),
]

INTAKE_CONDITIONS = [
    dict(code="RUSAK-BERAT", finding="house_damage", value="rusak_berat", category="perumahan",
         description="Rumah rusak berat akibat bencana (kaji kebutuhan rumah tangga)."),
    dict(code="MATA-PENCAHARIAN", finding="lost_livelihood", value="true",
         category="mata_pencaharian",
         description="Kehilangan mata pencaharian akibat bencana."),
    dict(code="MENINGGAL", finding="deaths", value="1", category="ahli_waris",
         description="Anggota keluarga meninggal akibat bencana."),
    dict(code="DISABILITAS", finding="disabled_member", value="true", category="disabilitas",
         description="Anggota keluarga penyandang disabilitas terdampak bencana.",
         is_active=False),
]

STEP_LIMITS = {CaseStatus.REGISTERED: 3, CaseStatus.HANDLING: 7, CaseStatus.DECIDING: 5,
               CaseStatus.REFERRED: 30}


def install_defaults(session) -> None:
    """Insert whatever of the defaults is missing; rows already there (edited) stay."""
    have = set(session.scalars(select(Programme.code)))
    session.add_all(Programme(**row) for row in PROGRAMMES if row["code"] not in have)
    have = set(session.scalars(select(IntakeCondition.code)))
    session.add_all(IntakeCondition(**row) for row in INTAKE_CONDITIONS
                    if row["code"] not in have)
    have = set(session.scalars(select(StepLimit.status)))
    session.add_all(StepLimit(status=status.value, days=days)
                    for status, days in STEP_LIMITS.items() if status.value not in have)
    session.flush()
