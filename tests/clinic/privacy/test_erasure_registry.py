"""Every clinic table is registered with how erasure treats it, and erasing a conversation that
touched every table holding personal data leaves nothing of it.

The tables come from the SQLAlchemy metadata of every model module (``clinic.db.import_models``),
so a new table that nobody registered in ``clinic/privacy/erasure.py`` fails here, and so does a
new table the erasure leaves a row of the conversation in.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime

import pytest
from sqlalchemy import Integer, inspect, insert, select, text

from clinic.db import Base, import_models
from clinic.privacy import erasure
from clinic.privacy.erasure import (ERASER_TABLES, FEATURE_ERASERS, ID_COLUMNS, NOT_PERSONAL, SWEPT_TABLES,
                                    erase_conversation_data, unregistered_tables)
from tests.clinic.privacy.test_erasure import GONE, KEPT, KEY, NAME, PHONE, populate, rows_mentioning

NOW = datetime(2026, 11, 1, 9, 0)


def model_tables():
    import_models()
    return Base.metadata.tables


def personal_tables():
    return sorted(name for name in model_tables() if name not in NOT_PERSONAL)


# -- the registry -----------------------------------------------------------------------

def test_every_table_of_the_models_is_registered():
    assert unregistered_tables() == [], (
        "register these in clinic/privacy/erasure.py (SWEPT_TABLES, ERASER_TABLES or NOT_PERSONAL)")


def test_a_new_table_is_reported_until_registered():
    assert unregistered_tables(["booking_patients", "new_feature_notes"]) == ["new_feature_notes"]


def test_the_registry_names_only_real_tables_columns_and_erasers():
    tables = model_tables()
    for name, id_column in SWEPT_TABLES.items():
        assert name in tables and id_column in tables[name].c, (name, id_column)
    for eraser, names in ERASER_TABLES.items():
        assert set(names) <= set(tables), eraser
    assert set(ERASER_TABLES) == set(FEATURE_ERASERS)
    assert set(NOT_PERSONAL) - {"alembic_version"} <= set(tables), "a stale NOT_PERSONAL entry"


def test_a_table_kept_as_not_personal_has_no_conversation_id():
    for name in set(NOT_PERSONAL) & set(model_tables()):
        columns = {c.name for c in model_tables()[name].columns}
        assert not columns & set(ID_COLUMNS), f"{name} holds conversation ids: erase it"


def test_a_table_with_a_conversation_id_is_swept_or_has_an_eraser():
    for name in personal_tables():
        erased_by_feature = any(name in names for names in ERASER_TABLES.values())
        assert name in SWEPT_TABLES or erased_by_feature, name


# -- erasure across every table -----------------------------------------------------------

def photo_file_name(conversation_id: str) -> str:
    return hashlib.md5(conversation_id.encode()).hexdigest() + ".jpg"


OVERRIDES = {
    # values the tables' CHECK and UNIQUE constraints accept
    "aftercare_jobs": {"kind": lambda c: "checkin", "status": lambda c: "due",
                       "dedupe_key": lambda c: f"{c}-dedupe"},
    "aftercare_photos": {"status": lambda c: "stored", "file_name": photo_file_name,
                         "message_id": lambda c: f"wamid.photo.{c}"},
}


def generic_row(table, conversation_id: str, name: str) -> dict:
    """A row of ``table`` about ``conversation_id``: the id column, the patient's ``name`` in
    every text column, plain values elsewhere."""
    overrides = OVERRIDES.get(table.name, {})
    row = {}
    for column in table.columns:
        if column.name in overrides:
            row[column.name] = overrides[column.name](conversation_id)
        elif column.name in ID_COLUMNS:
            row[column.name] = conversation_id
        elif column.primary_key and isinstance(column.type, Integer):
            continue
        elif column.foreign_keys:
            assert column.nullable, f"{table.name}.{column.name}: give the table a row in populate()"
            row[column.name] = None
        else:
            kind = column.type.python_type
            if kind is str:
                value = f"{name} {conversation_id}"
                length = getattr(column.type, "length", None)
                row[column.name] = value[:length] if length else value
            elif column.nullable:
                row[column.name] = None
            else:
                row[column.name] = {int: 1, float: 1.0, bool: False, datetime: NOW, date: NOW.date()}[kind]
    return row


def populate_everything(dbs, conversation_id, phone, name):
    """The features' own rows (tests/clinic/privacy/test_erasure.py), then a row about the
    conversation in every other table that holds personal data."""
    populate(dbs, conversation_id, phone, name)
    tables = model_tables()
    present = set(inspect(dbs.clinic).get_table_names())
    with dbs.factory.begin() as session:
        for table_name in personal_tables():
            table = tables[table_name]
            assert table_name in present, f"{table_name} is not in the test database"
            id_column = next((c for c in ID_COLUMNS if c in table.c), None)
            if id_column is None:
                continue  # reached through another table (appointments: through the patient)
            mentioned = session.execute(select(table).where(table.c[id_column] == conversation_id)).first()
            if mentioned is None:
                session.execute(insert(table).values(**generic_row(table, conversation_id, name)))


def tables_mentioning(engine, needles):
    return {table_name for table_name, _ in rows_mentioning(engine, needles)}


def test_erasing_a_conversation_that_touched_every_table_leaves_nothing_of_it(dbs, tmp_path, monkeypatch):
    photos = tmp_path / "photos"
    photos.mkdir()
    monkeypatch.setenv("PHOTO_DIR", str(photos))
    for conversation_id in (GONE, KEPT):
        (photos / photo_file_name(conversation_id)).write_bytes(b"\xff\xd8\xff photo")
    populate_everything(dbs, GONE, PHONE, NAME)
    populate_everything(dbs, KEPT, "+971509998877", "Othername Keptperson")
    needles = (GONE, PHONE.lstrip("+"), NAME.split()[0])
    before = tables_mentioning(dbs.clinic, needles)
    assert before >= set(personal_tables()), f"not populated: {set(personal_tables()) - before}"

    report = erase_conversation_data(GONE, session_factory=dbs.factory, tracker_engine=dbs.tracker,
                                     audit_key=KEY)

    assert rows_mentioning(dbs.clinic, needles) == []
    assert rows_mentioning(dbs.tracker, needles) == []
    assert not (photos / photo_file_name(GONE)).exists(), "the photo file is erased with its row"
    assert (photos / photo_file_name(KEPT)).exists()
    for table_name in SWEPT_TABLES:  # each counted, under its table or the eraser that went first
        erasers = {e for e, names in ERASER_TABLES.items() if table_name in names}
        assert {table_name, *erasers} & set(report.tables), table_name
    # the other conversation keeps its rows everywhere
    kept = tables_mentioning(dbs.clinic, (KEPT,))
    with_id = {t for t in personal_tables() if any(c in model_tables()[t].c for c in ID_COLUMNS)}
    assert kept >= with_id, with_id - kept


def test_an_unregistered_table_with_a_conversation_id_is_still_swept_and_logged(sqlite_dbs, caplog):
    with sqlite_dbs.clinic.begin() as conn:
        conn.execute(text("CREATE TABLE future_notes (id INTEGER PRIMARY KEY, conversation_id TEXT, note TEXT)"))
        conn.execute(text("INSERT INTO future_notes (conversation_id, note) VALUES (:c, 'about me')"), {"c": GONE})
    with caplog.at_level("WARNING", logger=erasure.__name__):
        report = erase_conversation_data(GONE, session_factory=sqlite_dbs.factory,
                                         tracker_engine=sqlite_dbs.tracker, audit_key=KEY)
    assert report.tables["future_notes"] == 1
    assert "future_notes is not registered" in caplog.text


def test_mismatched_eraser_registration_refuses_to_erase(sqlite_dbs, monkeypatch):
    monkeypatch.setitem(erasure.FEATURE_ERASERS, "clinic.new.eraser", lambda session, cid: 0)
    with pytest.raises(RuntimeError, match="FEATURE_ERASERS and ERASER_TABLES"):
        erase_conversation_data(GONE, session_factory=sqlite_dbs.factory, tracker_engine=sqlite_dbs.tracker,
                                audit_key=KEY)
