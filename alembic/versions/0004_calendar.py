"""calendar: per-item calendar state, attendances, the invitation outbox and feed tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

calendaritem keeps each published item's UID, SEQUENCE and what calendars were last told;
calendarattendance each invited person's role, answer and last version sent; outboxmessage
every invitation email, recorded in the publish's transaction and sent once; feedtoken the
subscription feed tokens, as SHA-256 hashes only.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import models.types


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the calendar tables."""
    op.create_table('calendaritem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('start', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('end', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('setting_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('event', sa.JSON(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.ForeignKeyConstraint(['setting_id'], ['setting.id'], ),
    sa.ForeignKeyConstraint(['venue_id'], ['venue.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'item_key'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('calendaritem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendaritem_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendaritem_local_area_id'), ['local_area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendaritem_setting_id'), ['setting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendaritem_venue_id'), ['venue_id'], unique=False)

    op.create_table('feedtoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('feedtoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedtoken_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedtoken_local_area_id'), ['local_area_id'], unique=False)

    op.create_table('calendarattendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('calendar_item_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('plan_role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('partstat', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sent_fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('sent_sequence', sa.Integer(), nullable=True),
    sa.Column('needs_replan', sa.Boolean(), nullable=False),
    sa.Column('replied_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['calendar_item_id'], ['calendaritem.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('calendar_item_id', 'person_id')
    )
    with op.batch_alter_table('calendarattendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendarattendance_calendar_item_id'), ['calendar_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendarattendance_needs_replan'), ['needs_replan'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendarattendance_person_id'), ['person_id'], unique=False)

    op.create_table('outboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('calendar_item_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('mime', sa.Text(), nullable=False),
    sa.Column('ics', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['calendar_item_id'], ['calendaritem.id'], ),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outboxmessage_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_local_area_id'), ['local_area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_uid'), ['uid'], unique=False)


def downgrade() -> None:
    """Drop the calendar tables."""
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outboxmessage_uid'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_status'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_person_id'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_local_area_id'))
        batch_op.drop_index(batch_op.f('ix_outboxmessage_inspection_id'))

    op.drop_table('outboxmessage')
    with op.batch_alter_table('calendarattendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendarattendance_person_id'))
        batch_op.drop_index(batch_op.f('ix_calendarattendance_needs_replan'))
        batch_op.drop_index(batch_op.f('ix_calendarattendance_calendar_item_id'))

    op.drop_table('calendarattendance')
    with op.batch_alter_table('feedtoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedtoken_local_area_id'))
        batch_op.drop_index(batch_op.f('ix_feedtoken_inspection_id'))

    op.drop_table('feedtoken')
    with op.batch_alter_table('calendaritem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendaritem_venue_id'))
        batch_op.drop_index(batch_op.f('ix_calendaritem_setting_id'))
        batch_op.drop_index(batch_op.f('ix_calendaritem_local_area_id'))
        batch_op.drop_index(batch_op.f('ix_calendaritem_inspection_id'))

    op.drop_table('calendaritem')
