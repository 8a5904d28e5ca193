"""performance: PDFs kept as files beside the database (each row keeps the file's path and its SHA-256), and summaries asked for by recipe so the render worker builds their HTML

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pdf_document') as batch:
        batch.add_column(sa.Column('recipe', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('content_digest', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('path', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('pdf_digest', sa.String(length=64), nullable=True))
        # A summary asked for by recipe is built from its cycle.
        batch.create_check_constraint(
            op.f('ck_pdf_document_recipe_has_cycle'), 'recipe IS NULL OR cycle_id IS NOT NULL'
        )
        # A file is never handed out without the digest it is checked against.
        batch.create_check_constraint(
            op.f('ck_pdf_document_file_has_digest'), '(path IS NULL) = (pdf_digest IS NULL)'
        )
        batch.create_index(
            op.f('ix_pdf_document_content'), ['cycle_id', 'content_digest'], unique=False
        )


def downgrade():
    with op.batch_alter_table('pdf_document') as batch:
        batch.drop_index(op.f('ix_pdf_document_content'))
        batch.drop_constraint(op.f('ck_pdf_document_file_has_digest'), type_='check')
        batch.drop_constraint(op.f('ck_pdf_document_recipe_has_cycle'), type_='check')
        batch.drop_column('pdf_digest')
        batch.drop_column('path')
        batch.drop_column('content_digest')
        batch.drop_column('recipe')
