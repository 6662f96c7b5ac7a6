"""An expenditure file as columns: read, checked and matched with polars, as fast as PostgreSQL can
take the rows (a finance export can hold 100,000).

The row-by-row reader (`expenditures.read_expenditures`) and `matching.Matcher` stay the reference.
`ledger_slices` gives exactly the reader's rows for every CSV it takes, and raises Doubtful for
anything it cannot vouch for: a workbook, a bad cell (the reference then names every one), a
quoted line break or quote, a stray quote, whitespace or digits outside ASCII. `match_keys` gives
exactly the Matcher's items, and asks the Matcher itself about descriptions outside ASCII, where
polars and Python fold case apart. tests/monitoring/test_bulk.py holds the two paths to that on
random files.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping
from decimal import Decimal

import polars as pl

from alliance.monitoring.expenditures import (
    LENGTHS,
    MAX_DIGITS,
    REQUIRED,
    TEXT_FIELDS,
    ExpenditureRow,
)
from alliance.monitoring.items import parse_item_key
from alliance.monitoring.matching import Matcher, Resolution

# The columns of a ledger frame. Amounts are whole cents: exact, and summed without rounding.
SCHEMA = {
    "row": pl.Int64, "day": pl.Date, "object_code": pl.String, "description": pl.String,
    "vendor": pl.String, "amount_cents": pl.Int64, "item": pl.String, "strategy": pl.String,
}  # fmt: skip
# What Python's str.strip() removes, which is more than polars' default (it adds \x1c-\x1f).
_PY_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_ASCII_SPACE = "[ \t]*"
# The reference's amount pattern, in ASCII and without captures (the fast kind of regex): signs
# and $ in any of its places, parentheses both or neither, at most two decimals.
_UNSIGNED = (
    rf"{_ASCII_SPACE}-?{_ASCII_SPACE}\$?{_ASCII_SPACE}[0-9,]*(?:\.[0-9]{{0,2}})?{_ASCII_SPACE}"
)
_AMOUNT = rf"^(?:\({_UNSIGNED}\)|{_UNSIGNED})$"
_CENTS_LIMIT = 10 ** (MAX_DIGITS + 2)
_ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
_US_DAY = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$"
_US_SHORT_DAY = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}$"
# A line whose quoting both readers read alike: each cell bare and quote-free, or wholly quoted
# with its quotes doubled. Python's csv module reads a stray quote leniently (it keeps it, or what
# follows a closing quote) where polars may split the line elsewhere.
_CELL = r'(?:[^",\n]*|"(?:[^"]|"")*")'
_PLAIN_QUOTING = rf"^{_CELL}(?:,{_CELL})*\r?$"


class Doubtful(Exception):
    """The columnar reader cannot vouch for this file (or this part of it): ask the reference."""


def read_ledger(name: str, content: bytes, mapping: Mapping[str, str]) -> pl.DataFrame:
    """A CSV file's rows through the mapping, as one frame of SCHEMA; or Doubtful."""
    return pl.concat([*ledger_slices(name, content, mapping)], how="vertical")


def ledger_slices(
    name: str,
    content: bytes,
    mapping: Mapping[str, str],
    size: int | None = None,
    first: int | None = None,
) -> Iterator[pl.DataFrame]:
    """The file's rows through the mapping, checked `size` rows at a time (`first` in the first
    slice, so a writer downstream can start sooner), as frames of SCHEMA.
    Raises Doubtful, at the start or at the slice where it first doubts."""
    if name.lower().endswith(".xlsx") or any(not mapping.get(f) for f in REQUIRED):
        raise Doubtful(name)
    # Line ends Python's csv module counts apart from polars (a lone CR), or refuses (NUL).
    if b"\x00" in content or (b"\r" in content and content.count(b"\r") != content.count(b"\r\n")):
        raise Doubtful(name)
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if b'"' in content and not _plainly_quoted(content):
        raise Doubtful(name)
    try:
        table = pl.read_csv(
            content, infer_schema=False, has_header=True, quote_char='"', encoding="utf8",
            truncate_ragged_lines=False, raise_if_empty=True,
        )  # fmt: skip
    except Exception as exc:  # not UTF-8, ragged, odd quoting: the reference decides
        raise Doubtful(name) from exc
    header = [column.strip() for column in table.columns]
    columns = {field: column for field, column in mapping.items() if column}
    if (
        table.height + 1 != lines  # a line break inside quotes, or lines polars did not count
        or len(set(header)) != len(header)
        or "" in header
        or any(column not in header for column in columns.values())
    ):
        raise Doubtful(name)
    if not table.height:
        yield pl.DataFrame(schema=SCHEMA)
        return
    numbered = table.with_row_index("row", offset=2)
    size = size or table.height
    first = min(first or size, size)
    for offset in [0, *range(first, table.height, size)]:
        part = _checked(numbered.slice(offset, first if offset == 0 else size), header, columns)
        if part.select(
            (pl.col("doubtful") | pl.col("day").is_null() | pl.col("amount_cents").is_null()).any()
        ).item():
            raise Doubtful(name)
        yield part.select(list(SCHEMA))


def _plainly_quoted(content: bytes) -> bool:
    """Whether every line of a file without NUL is quoted plainly (polars drops each line's CR)."""
    try:
        lines = pl.read_csv(
            content, has_header=False, separator="\x00", quote_char=None, new_columns=["line"],
            infer_schema=False, encoding="utf8",
        )["line"]  # fmt: skip
    except Exception:  # not UTF-8: the reference decides
        return False
    return bool(lines.str.contains(_PLAIN_QUOTING).all())  # a blank line is null, and plain


def _checked(table: pl.DataFrame, header: list[str], columns: dict[str, str]) -> pl.DataFrame:
    """Rows read as the reference reads them, with a column saying where it might not."""
    cells = table.lazy().select(
        pl.col("row").cast(pl.Int64),
        *(
            pl.col(raw).fill_null("").str.strip_chars(_PY_WHITESPACE).alias(column)
            for raw, column in zip(table.columns[1:], header, strict=True)
        ),
    )
    # Rows of nothing but blanks are skipped, and counted: the row numbers are the file's.
    cells = cells.filter(~pl.all_horizontal(pl.col(c) == "" for c in header))

    def text(field: str) -> pl.Expr:
        return pl.col(columns[field]) if field in columns else pl.lit("", dtype=pl.String)

    texts = [text(f) for f in ("date", "amount", *TEXT_FIELDS)]
    return cells.select(
        "row", _day(text("date")).alias("day"), text("object_code").alias("object_code"),
        text("description").str.slice(0, LENGTHS["description"]).alias("description"),
        text("vendor").str.slice(0, LENGTHS["vendor"]).alias("vendor"),
        _cents(text("amount")).alias("amount_cents"), text("item").alias("item"),
        text("strategy").alias("strategy"),
        # What the reference would refuse (it names the cells) or might read otherwise (a quote).
        pl.any_horizontal(
            text("object_code") == "", text("description") == "",
            text("object_code").str.len_chars() > LENGTHS["object_code"],
            *(t.str.contains('"', literal=True) for t in texts),
        ).alias("doubtful"),
    ).collect()  # fmt: skip


def _day(text: pl.Expr) -> pl.Expr:
    """2024-09-15 (and anything after it) or 9/15/2024 or 9/15/24; null for anything else."""
    day = (
        pl.when(text.str.contains(_ISO_DAY))
        .then(text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        .when(text.str.contains(_US_DAY))
        .then(text.str.to_date("%m/%d/%Y", strict=False))
        .when(text.str.contains(_US_SHORT_DAY))  # 9/15/24 is 2024, as the reference reads it
        .then(text.str.replace(r"/([0-9]{2})$", "/20$1").str.to_date("%m/%d/%Y", strict=False))
    )
    return pl.when(day.dt.year() >= 1).then(day)  # Python has no year 0


def _cents(text: pl.Expr) -> pl.Expr:
    """'$1,234.56', '(1,234.56)', '-12' as whole cents; null for anything else."""
    digits = text.str.replace_many({c: "" for c in ",$()- \t"})  # leaves the digits and the point
    value = (digits.cast(pl.Decimal(38, 2), strict=False) * 100).cast(pl.Int64, strict=False)
    good = text.str.contains(_AMOUNT) & text.str.contains("[0-9]") & (value.abs() < _CENTS_LIMIT)
    negative = text.str.contains("[(-]")
    return pl.when(good).then(pl.when(negative).then(-value).otherwise(value))


def ledger_frame(rows: list[ExpenditureRow]) -> pl.DataFrame:
    """The reference reader's rows as a ledger frame."""
    return pl.DataFrame(
        {
            "row": [r.row for r in rows],
            "day": [r.day for r in rows],
            "object_code": [r.object_code for r in rows],
            "description": [r.description for r in rows],
            "vendor": [r.vendor for r in rows],
            "amount_cents": [int(r.amount.scaleb(2)) for r in rows],
            "item": [r.item for r in rows],
            "strategy": [r.strategy for r in rows],
        },
        schema=SCHEMA,
    )


def ledger_rows(frame: pl.DataFrame) -> list[ExpenditureRow]:
    """A ledger frame's rows, as the reference reader gives them."""
    return [
        ExpenditureRow(
            row=r["row"],
            day=r["day"],
            object_code=r["object_code"],
            description=r["description"],
            vendor=r["vendor"],
            amount=cents(r["amount_cents"]),
            item=r["item"],
            strategy=r["strategy"],
        )
        for r in frame.iter_rows(named=True)
    ]


def cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def match_keys(frame: pl.DataFrame, matcher: Matcher) -> pl.Series:
    """Each row's item key, as `matcher` gives it row by row ("" where the district chooses)."""
    on = ["object_code", "item", "strategy"]
    combos = frame.select(on).unique(maintain_order=True)
    resolutions = [matcher.resolve(*combo) for combo in combos.iter_rows()]
    rules = combos.with_columns(
        pl.Series("fixed", [r.key for r in resolutions], pl.String),
        pl.Series("titles", [r.titles for r in resolutions], pl.String),
        pl.Series("labelled", [r.labels is not None for r in resolutions], pl.Boolean),
        pl.Series("plain", [_folds_alike(matcher, r) for r in resolutions], pl.Boolean),
    ).with_row_index("rule")
    labels = pl.DataFrame(
        [
            (rule, label, key)
            for rule, r in enumerate(resolutions)
            for label, key in (r.labels or {}).items()
        ],
        schema={"rule": pl.UInt32, "folded": pl.String, "label_key": pl.String},
        orient="row",
    )
    rows = (
        frame.select(*on, "description")
        .join(rules, on=on, how="left", maintain_order="left")
        .with_columns(pl.col("description").str.to_lowercase().alias("folded"))
        .join(labels, on=["rule", "folded"], how="left", maintain_order="left")
    )
    # The description decides, and polars would fold its case otherwise than Python: ask Python.
    described = pl.col("titles").is_not_null() | pl.col("labelled")
    ascii_text = pl.col("description").str.len_bytes() == pl.col("description").str.len_chars()
    by_python = described & ~(pl.col("plain") & ascii_text)
    found = [_title_key(part, keys) for part, keys in matcher.title_keys.items() if keys]
    title_key = pl.coalesce(found) if found else pl.lit(None, dtype=pl.String)
    keyed = rows.with_columns(title_key.alias("title_key")).select(
        pl.when(by_python).then(None)
        .when(pl.col("title_key").is_not_null()).then(pl.col("title_key"))
        .when(pl.col("labelled")).then(pl.col("label_key").fill_null(""))
        .otherwise(pl.col("fixed"))
        .alias("key"),
        by_python.alias("by_python"),
    )  # fmt: skip
    keys = keyed["key"]
    asked = keyed["by_python"].arg_true()
    if len(asked):
        resolution_of = rows["rule"].gather(asked).to_list()
        answers = [
            matcher.key_for(resolutions[rule], description)
            for rule, description in zip(
                resolution_of, frame["description"].gather(asked).to_list(), strict=True
            )
        ]
        keys = keys.scatter(asked, answers)
    return keys


def _title_key(part: str, keys: Mapping[str, str]) -> pl.Expr:
    """The item of the position title the description names, for rows searching `part`'s titles
    (null where it names none)."""
    # The Matcher's pattern is the titles longest first: at the leftmost place where any title
    # starts, the longest. Aho-Corasick finds the same, much faster than a regular expression.
    titles = sorted(keys, key=len, reverse=True)
    title = pl.when(pl.col("titles") == part).then(
        pl.col("folded").str.extract_many(titles, leftmost=True).list.first()
    )
    return pl.when(title.is_not_null()).then(
        title.replace_strict(keys, default="", return_dtype=pl.String)
    )


def _folds_alike(matcher: Matcher, resolution: Resolution) -> bool:
    """Whether polars lower-cases this rule's titles and labels as Python case-folds them."""
    words = list(resolution.labels or ())
    if resolution.titles:
        words += matcher.title_keys[resolution.titles]
    return all(word.isascii() and word for word in words)


def item_columns(keys: pl.Series) -> pl.DataFrame:
    """Item keys as the kind, line_id and position_id columns an expenditure stores."""
    parts = {key: parse_item_key(key) for key in keys.unique().to_list()}
    table = pl.DataFrame(
        {
            "key": list(parts),
            "kind": [p[0] for p in parts.values()],
            "line_id": [p[1] for p in parts.values()],
            "position_id": [p[2] for p in parts.values()],
        },
        schema={"key": pl.String, "kind": pl.String, "line_id": pl.Int64, "position_id": pl.Int64},
    )
    return keys.to_frame("key").join(table, on="key", how="left", maintain_order="left")
