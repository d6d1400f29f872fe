"""Revision 0007_treatments creates and drops the treatments and aftercare_jobs tables."""
from sqlalchemy import inspect

from clinic.aftercare.models import AftercareJob, AftercareOptIn, Treatment
from clinic.db import make_engine
from clinic.migrate import downgrade, upgrade


ADDED_BY_0008 = {"aftercare_jobs": {"appointment_id", "answered_at", "outcome"}}


def test_upgrade_and_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0007_treatments")
    engine = make_engine(url)
    for model in (Treatment, AftercareJob):
        columns = {c["name"] for c in inspect(engine).get_columns(model.__tablename__)}
        assert columns == set(model.__table__.columns.keys()) - ADDED_BY_0008.get(model.__tablename__, set())
    assert [u["column_names"] for u in inspect(engine).get_unique_constraints("treatments")] == [
        ["conversation_id", "treated_on", "area"]]
    assert {i["name"] for i in inspect(engine).get_indexes("aftercare_jobs")} >= {
        "ix_aftercare_jobs_status_due_at", "ix_aftercare_jobs_conversation_id"}
    assert any(i["column_names"] == ["conversation_id"] for i in inspect(engine).get_indexes("treatments"))
    engine.dispose()
    downgrade(url, "0006_handoff_false_alarm")
    engine = make_engine(url)
    assert not {"treatments", "aftercare_jobs"} & set(inspect(engine).get_table_names())
    assert "handoffs" in inspect(engine).get_table_names()
    engine.dispose()
    upgrade(url)  # and up again to head
    engine = make_engine(url)
    assert "treatments" in inspect(engine).get_table_names()
    engine.dispose()


def test_0008_adds_the_optins_and_the_answer_columns_and_drops_them_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0008_aftercare_optin")
    engine = make_engine(url)
    for model in (Treatment, AftercareJob, AftercareOptIn):
        columns = {c["name"] for c in inspect(engine).get_columns(model.__tablename__)}
        assert columns == set(model.__table__.columns.keys())
    assert inspect(engine).get_pk_constraint("aftercare_optins")["constrained_columns"] == ["conversation_id"]
    engine.dispose()
    downgrade(url, "0007_treatments")
    engine = make_engine(url)
    assert "aftercare_optins" not in inspect(engine).get_table_names()
    assert {c["name"] for c in inspect(engine).get_columns("aftercare_jobs")} == (
        set(AftercareJob.__table__.columns.keys()) - ADDED_BY_0008["aftercare_jobs"])
    engine.dispose()
