"""Solve jobs and plan versions, planning settings, API tokens and the audit log.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes

import models.types
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('auditentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=True),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resource', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resource_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_auditentry_action'), 'auditentry', ['action'], unique=False)
    op.create_index(op.f('ix_auditentry_at'), 'auditentry', ['at'], unique=False)
    op.create_index(op.f('ix_auditentry_local_area_id'), 'auditentry', ['local_area_id'], unique=False)
    op.create_index(op.f('ix_auditentry_resource'), 'auditentry', ['resource'], unique=False)
    op.create_table('apitoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sa.Enum('ADMIN', 'COORDINATOR', 'VIEWER', name='tokenrole'), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_apitoken_local_area_id'), 'apitoken', ['local_area_id'], unique=False)
    op.create_index(op.f('ix_apitoken_token_hash'), 'apitoken', ['token_hash'], unique=True)
    op.create_table('planningsettings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id')
    )
    op.create_index(op.f('ix_planningsettings_local_area_id'), 'planningsettings', ['local_area_id'], unique=False)
    op.create_table('planversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.Enum('STRATEGY', 'ROTA', name='planpart'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('parent_number', sa.Integer(), nullable=True),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('pinned', sa.JSON(), nullable=False),
    sa.Column('violations', sa.JSON(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('published_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'part', 'number')
    )
    op.create_index(op.f('ix_planversion_inspection_id'), 'planversion', ['inspection_id'], unique=False)
    op.create_index(op.f('ix_planversion_local_area_id'), 'planversion', ['local_area_id'], unique=False)
    op.create_table('solvejob',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_area_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.Enum('STRATEGY', 'ROTA', name='planpart'), nullable=False),
    sa.Column('status', sa.Enum('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', name='jobstatus'), nullable=False),
    sa.Column('stop_requested', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('result_version_id', sa.Integer(), nullable=True),
    sa.Column('progress', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('heartbeat_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['base_version_id'], ['planversion.id'], ),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.ForeignKeyConstraint(['local_area_id'], ['localarea.id'], ),
    sa.ForeignKeyConstraint(['result_version_id'], ['planversion.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'part', 'idempotency_key')
    )
    op.create_index(op.f('ix_solvejob_inspection_id'), 'solvejob', ['inspection_id'], unique=False)
    op.create_index(op.f('ix_solvejob_local_area_id'), 'solvejob', ['local_area_id'], unique=False)
    op.create_index(op.f('ix_solvejob_status'), 'solvejob', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_solvejob_status'), table_name='solvejob')
    op.drop_index(op.f('ix_solvejob_local_area_id'), table_name='solvejob')
    op.drop_index(op.f('ix_solvejob_inspection_id'), table_name='solvejob')
    op.drop_table('solvejob')
    op.drop_index(op.f('ix_planversion_local_area_id'), table_name='planversion')
    op.drop_index(op.f('ix_planversion_inspection_id'), table_name='planversion')
    op.drop_table('planversion')
    op.drop_index(op.f('ix_planningsettings_local_area_id'), table_name='planningsettings')
    op.drop_table('planningsettings')
    op.drop_index(op.f('ix_apitoken_token_hash'), table_name='apitoken')
    op.drop_index(op.f('ix_apitoken_local_area_id'), table_name='apitoken')
    op.drop_table('apitoken')
    op.drop_index(op.f('ix_auditentry_resource'), table_name='auditentry')
    op.drop_index(op.f('ix_auditentry_local_area_id'), table_name='auditentry')
    op.drop_index(op.f('ix_auditentry_at'), table_name='auditentry')
    op.drop_index(op.f('ix_auditentry_action'), table_name='auditentry')
    op.drop_table('auditentry')
    bind = op.get_bind()
    for name in ('tokenrole', 'planpart', 'jobstatus'):
        sa.Enum(name=name).drop(bind, checkfirst=True)
