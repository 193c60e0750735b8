"""sessions: a row per login (logout and administrators end it on the server); failed guesses counted in the
database (growing delays instead of an account lock); the user's session token and lock columns go.

Revision ID: 0007_sessions
Revises: 0006_merge_features
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_sessions"
down_revision = "0006_merge_features"
branch_labels = None
depends_on = None

# Columns replaced: session_token (one token for every login of a user) by login_session rows; failed_logins and
# locked_until (a lock anyone could trigger for any account) by throttle rows.
OLD_COLUMNS = ("session_token", "failed_logins", "locked_until")


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("agent_hash", sa.String(length=64), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_login_session_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
    )
    op.create_index("ix_login_session_user_open", "login_session", ["user_id", "ended_at"], unique=False)
    op.create_table(
        "throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=True),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle")),
        sa.UniqueConstraint("scope", "subject", "address", name=op.f("uq_throttle_scope_subject_address")),
    )
    op.create_index("ix_throttle_seen_at", "throttle", ["seen_at"], unique=False)
    # Plain ALTER TABLE … DROP COLUMN (PostgreSQL; SQLite since 3.35): a batch copy of user_account would have to
    # drop the table every audit row points at.
    for column in OLD_COLUMNS:
        op.drop_column("user_account", column)


def downgrade() -> None:
    op.add_column("user_account", sa.Column("session_token", sa.String(length=64), nullable=False,
                                            server_default=""))
    op.add_column("user_account", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("user_account", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.drop_index("ix_throttle_seen_at", table_name="throttle")
    op.drop_table("throttle")
    op.drop_index("ix_login_session_user_open", table_name="login_session")
    op.drop_table("login_session")
