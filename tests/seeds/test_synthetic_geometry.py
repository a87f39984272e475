"""The demo's made-up geometry is plausible and stable (no database)."""

from logistics.regions import source
from seeds import synthetic_geometry


def _bengkulu_utara():
    kecamatan: dict[str, list[str]] = {}
    for record in source.subtree("17.03"):
        if record.level == 3:
            kecamatan.setdefault(record.code, [])
        elif record.level == 4:
            kecamatan.setdefault(record.parent_code, []).append(record.code)
    return kecamatan


def test_every_region_is_placed_and_desa_lie_inside_their_kecamatan():
    kecamatan = _bengkulu_utara()
    placed = {p.code: p for p in synthetic_geometry.place_kabupaten("17.03", kecamatan)}
    assert len(placed) == 1 + 19 + 220
    for code, desa in kecamatan.items():
        for desa_code in desa:
            assert placed[code].boundary.contains(placed[desa_code].centroid), desa_code


def test_enggano_is_an_island_far_off_the_coast():
    placed = {p.code: p for p in synthetic_geometry.place_kabupaten("17.03", _bengkulu_utara())}
    enggano = placed["17.03.01"].centroid
    mainland = synthetic_geometry.BENGKULU_UTARA_MAINLAND
    # about 100 km; a degree of latitude is about 111 km
    assert mainland.distance(enggano) > 0.8
    assert not mainland.intersects(placed["17.03.01"].boundary)


def test_same_seed_gives_the_same_map():
    kecamatan = _bengkulu_utara()
    first = synthetic_geometry.place_kabupaten("17.03", kecamatan)
    second = synthetic_geometry.place_kabupaten("17.03", kecamatan)
    assert [(p.code, p.centroid.wkt) for p in first] == [(p.code, p.centroid.wkt) for p in second]
