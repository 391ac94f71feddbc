"""Starting lists for the readiness register, kept as data files in api/data/.

A new local area starts with the data sets of Appendix 1 and the documents of section B of the
"Quick Guide"; an inspection starts with a default logistics checklist. Seeding is idempotent:
rows are matched by name (or title), so running it twice adds nothing and keeps edits.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from importlib.resources import files
from typing import Any

from sqlmodel import Session, select

from models.data_set import DataSet
from models.document import Document, DocumentKind
from models.inspection import Inspection
from models.logistics import LogisticsCategory, LogisticsItem
from scheduler.notice import is_working_day


def _rows(file_name: str) -> list[dict[str, str]]:
    text = files("api").joinpath("data", file_name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _existing(session: Session, model: Any, column: str, **scope: int) -> set[str]:
    conditions = [getattr(model, name) == value for name, value in scope.items()]
    return set(session.exec(select(getattr(model, column)).where(*conditions)).all())


def seed_data_sets(session: Session, area_id: int) -> list[DataSet]:
    """Add the Appendix 1 data sets the area does not have yet; returns the added rows."""
    known = _existing(session, DataSet, "name", local_area_id=area_id)
    added = [
        DataSet(
            local_area_id=area_id,
            name=row["name"],
            category=row["category"],
            extraction_days=int(row["extraction_days"]),
            description=row["description"],
        )
        for row in _rows("data_sets.csv")
        if row["name"] not in known
    ]
    session.add_all(added)
    return added


def seed_documents(session: Session, area_id: int) -> list[Document]:
    """Add the section B documents the area does not have yet; returns the added rows."""
    known = _existing(session, Document, "name", local_area_id=area_id)
    added = [
        Document(
            local_area_id=area_id,
            name=row["name"],
            kind=DocumentKind(row["kind"]),
            public_domain=row["public_domain"] == "true",
        )
        for row in _rows("documents.csv")
        if row["name"] not in known
    ]
    session.add_all(added)
    return added


def seed_register(session: Session, area_id: int) -> tuple[int, int]:
    """Seed a local area's data sets and documents and commit; returns how many were added."""
    data_sets = seed_data_sets(session, area_id)
    documents = seed_documents(session, area_id)
    session.commit()
    return len(data_sets), len(documents)


def working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day``."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def seed_logistics(session: Session, inspection: Inspection) -> list[LogisticsItem]:
    """Add the default logistics items an inspection lacks, due before the on-site start."""
    assert inspection.id is not None
    known = _existing(session, LogisticsItem, "title", inspection_id=inspection.id)
    added = [
        LogisticsItem(
            local_area_id=inspection.local_area_id,
            inspection_id=inspection.id,
            title=row["title"],
            category=LogisticsCategory(row["category"]),
            detail=row["detail"],
            due_on=working_days_before(inspection.onsite_start, int(row["working_days_before"])),
        )
        for row in _rows("logistics.csv")
        if row["title"] not in known
    ]
    session.add_all(added)
    session.commit()
    return added
