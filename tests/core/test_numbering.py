"""Document numbers: per prefix, scope and year, with no gaps and no twins."""

from logistics.core.numbering import next_number


def test_numbers_count_per_prefix_scope_and_year(session):
    taken = [next_number(session, "BAST", "LS-ENG", 2026) for _ in range(3)]
    assert taken == ["BAST-LS-ENG-2026-00001", "BAST-LS-ENG-2026-00002",
                     "BAST-LS-ENG-2026-00003"]
    assert next_number(session, "BAST", "LS-ENG", 2027) == "BAST-LS-ENG-2027-00001"
    assert next_number(session, "BAST", "GDG", 2026) == "BAST-GDG-2026-00001"
    assert next_number(session, "IMP", "", 2026) == "IMP-2026-00001"
    session.commit()


def test_a_rolled_back_document_gives_its_number_back(session):
    assert next_number(session, "REQ", "P1", 2026) == "REQ-P1-2026-00001"
    session.commit()
    with session.begin_nested() as savepoint:
        assert next_number(session, "REQ", "P1", 2026) == "REQ-P1-2026-00002"
        savepoint.rollback()
    assert next_number(session, "REQ", "P1", 2026) == "REQ-P1-2026-00002"
    session.commit()
