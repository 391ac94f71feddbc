"""idempotency keys for publish and resend

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

idempotentresponse keeps the first answer to a publish or resend sent with an
Idempotency-Key, so a retry gets it back instead of publishing or emailing twice.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import models.types


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the table of stored first answers."""
    op.create_table('idempotentresponse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('request', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'key')
    )
    with op.batch_alter_table('idempotentresponse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotentresponse_inspection_id'), ['inspection_id'], unique=False)



def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table('idempotentresponse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotentresponse_inspection_id'))

    op.drop_table('idempotentresponse')
