"""ids never reused on SQLite

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Plan versions refer to meetings, venues, people and settings by id. SQLite gives a deleted
row's id to the next row unless the table is AUTOINCREMENT, so a stored plan would show a
new meeting in a deleted one's place. The tables are rebuilt with it on SQLite; PostgreSQL's
sequences never reuse an id, so nothing changes there.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("person", "venue", "setting", "meetingrequest")


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    """Rebuild the tables as AUTOINCREMENT (SQLite only)."""
    _rebuild(True)


def downgrade() -> None:
    """Rebuild them without it."""
    _rebuild(False)
