"""Remember each suggestion's review-channel post, so decisions made elsewhere update it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("review_channel_id", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("review_message_id", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("review_message_id")
        batch.drop_column("review_channel_id")
