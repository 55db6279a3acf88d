"""The one table renderer of the package: aligned text for ``print`` and HTML for a notebook.

Every result class that shows a table (``ParamTable``, ``Explanation``, ``SideBySide``,
``ArgumentTable``, ``Catalogue``) describes its columns with :class:`Column` and hands its cells, all
strings, to :func:`text_table` and :func:`html_table`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: its heading, how its text aligns, and how its HTML cells look.

    ``right`` right-aligns the text column; ``free`` leaves a last text column unpadded (its rule is
    as wide as its heading); ``head_style`` and ``style`` are the ``style`` attributes of the HTML
    heading and cells; ``code`` wraps each HTML cell in ``<code>``; ``header`` makes the HTML cells
    ``<th>`` (a row heading).
    """

    name: str
    right: bool = False
    free: bool = False
    head_style: str = ""
    style: str = ""
    code: bool = False
    header: bool = False


def _columns(columns: Sequence[Column | str]) -> tuple[Column, ...]:
    return tuple(c if isinstance(c, Column) else Column(c) for c in columns)


def text_table(columns: Sequence[Column | str], rows: Sequence[Sequence[str]], *, title: str = "",
               footer: Sequence[str] = (), notes: Sequence[str] = ()) -> str:
    """Aligned text: an optional title, the headings, a rule, the rows, then the footer lines.

    ``notes[k]``, when not empty, is printed under row k, indented to the second column.

    Examples
    --------
    >>> print(text_table([Column("name"), Column("count", right=True)], [("bias", "40")], footer=["total"]))
    name  count
    ----  -----
    bias     40
    total
    """
    cols = _columns(columns)
    widths = [len(c.name) if c.free else max([len(c.name), *(len(r[i]) for r in rows)])
              for i, c in enumerate(cols)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if c.right else v.ljust(w)
                         for c, v, w in zip(cols, values, widths, strict=True)).rstrip()

    out = [title] if title else []
    out += [line([c.name for c in cols]), line(["-" * w for w in widths])]
    for k, row in enumerate(rows):
        out.append(line(row))
        if k < len(notes) and notes[k]:
            out.append(" " * (widths[0] + 2) + f"note: {notes[k]}")
    return "\n".join([*out, *footer])


def _cell(tag: str, text: str, column: Column, style: str) -> str:
    body = html.escape(text)
    if column.code:
        body = f"<code>{body}</code>"
    attrs = f" style='{style}'" if style else ""
    return f"<{tag}{attrs}>{body}</{tag}>"


def html_table(columns: Sequence[Column | str], rows: Sequence[Sequence[str]], *, caption: str = "",
               caption_style: str = "", foot: str = "", after: str = "") -> str:
    """An HTML table: caption, headings, rows; ``foot`` is the inner HTML of a ``<tfoot>``.

    Examples
    --------
    >>> html_table(["name"], [("bias",)])
    '<table><thead><tr><th>name</th></tr></thead><tbody><tr><td>bias</td></tr></tbody></table>'
    """
    cols = _columns(columns)
    style = f" style='{caption_style}'" if caption_style else ""
    head = "".join(_cell("th", c.name, Column(c.name), c.head_style) for c in cols)
    body = "".join("<tr>" + "".join(_cell("th" if c.header else "td", v, c, c.style)
                                    for c, v in zip(cols, row, strict=True)) + "</tr>" for row in rows)
    return ((f"<table><caption{style}>{html.escape(caption)}</caption>" if caption else "<table>")
            + f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            + (f"<tfoot>{foot}</tfoot>" if foot else "") + "</table>" + after)
