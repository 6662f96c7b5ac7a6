"""Indexes the schema needs that Django has only for one database."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import BrinIndex
from django.db import models


class BlockRangeIndex(BrinIndex):
    """A BRIN index on PostgreSQL, a plain index elsewhere (SQLite, for development and tests).

    A BRIN index keeps each block range's smallest and largest values, so it costs almost nothing
    to keep up while a bulk load appends rows, and it finds the rows of one plan or one import
    because each load's rows lie together in the table.
    """

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)
