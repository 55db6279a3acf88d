"""The one table renderer of the package: aligned text for ``print`` and HTML for a notebook.

Every result class that shows a table (``ParamTable``, ``Explanation``, ``SideBySide``,
``ArgumentTable``, ``Catalogue``) describes its columns with :class:`Column` and hands its cells, all
strings, to :func:`text_table` and :func:`html_table`.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

LAYER = "facts"  # this module's layer of the package (lstm_utils.LAYERS)


@dataclass(frozen=True)
class Column:
    """One column: its heading, how its text aligns, and how its HTML cells look.

    ``right`` right-aligns the text column; ``free`` leaves a last text column unpadded (its rule is
    as wide as its heading); ``head_style`` and ``style`` are the ``style`` attributes of the HTML
    heading and cells; ``code`` wraps each HTML cell in ``<code>``; ``header`` makes the HTML cells
    ``<th>`` (a row heading); ``width`` is a minimum text width (the CLI's fixed columns);
    ``underline`` underlines the HTML heading (the explorer marks the chosen framework).
    """

    name: str
    right: bool = False
    free: bool = False
    head_style: str = ""
    style: str = ""
    code: bool = False
    header: bool = False
    width: int = 0
    underline: bool = False


@dataclass(frozen=True)
class Cell:
    """A cell with a tooltip: ``text`` as any cell, ``title`` the HTML ``title`` attribute."""

    text: str
    title: str = ""

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text


def _columns(columns: Sequence[Column | str]) -> tuple[Column, ...]:
    return tuple(c if isinstance(c, Column) else Column(c) for c in columns)


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: a wide character (Chinese, full-width punctuation) two.

    >>> width("gate"), width("遗忘门")
    (4, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(columns: Sequence[Column | str], rows: Sequence[Sequence[str]], *, title: str = "",
               footer: Sequence[str] = (), notes: Sequence[str] = (), rule: bool = True) -> str:
    """Aligned text: an optional title, the headings, a rule (unless ``rule=False``), the rows, the footer.

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
    widths = [width(c.name) if c.free else max([c.width, width(c.name), *(width(str(r[i])) for r in rows)])
              for i, c in enumerate(cols)]

    def pad(value: object, w: int, right: bool) -> str:
        text = str(value)
        fill = " " * max(0, w - width(text))
        return fill + text if right else text + fill

    def line(values: Sequence[str]) -> str:
        return "  ".join(pad(v, w, c.right) for c, v, w in zip(cols, values, widths, strict=True)).rstrip()

    out = [title] if title else []
    out += [line([c.name for c in cols])] + ([line(["-" * w for w in widths])] if rule else [])
    for k, row in enumerate(rows):
        out.append(line(row))
        if k < len(notes) and notes[k]:
            out.append(" " * (widths[0] + 2) + f"note: {notes[k]}")
    return "\n".join([*out, *footer])


def _cell(tag: str, text: str | Cell, column: Column, style: str, *, heading: bool = False) -> str:
    body = html.escape(str(text))
    if column.code and not heading:
        body = f"<code>{body}</code>"
    if column.underline and heading:
        body = f"<u>{body}</u>"
    attrs = f" style='{style}'" if style else ""
    if isinstance(text, Cell) and text.title:
        attrs += f" title='{html.escape(text.title, quote=True)}'"
    return f"<{tag}{attrs}>{body}</{tag}>"


def html_table(columns: Sequence[Column | str], rows: Sequence[Sequence[str | Cell]], *, caption: str = "",
               caption_style: str = "", foot: str = "", after: str = "", head: bool = True) -> str:
    """An HTML table: caption, headings (unless ``head=False``), rows; ``foot`` the inner HTML of ``<tfoot>``.

    A cell may be a :class:`Cell`, whose ``title`` becomes the tooltip.

    Examples
    --------
    >>> html_table(["name"], [("bias",)])
    '<table><thead><tr><th>name</th></tr></thead><tbody><tr><td>bias</td></tr></tbody></table>'
    """
    cols = _columns(columns)
    style = f" style='{caption_style}'" if caption_style else ""
    heads = "".join(_cell("th", c.name, c, c.head_style, heading=True) for c in cols)
    body = "".join("<tr>" + "".join(_cell("th" if c.header else "td", v, c, c.style)
                                    for c, v in zip(cols, row, strict=True)) + "</tr>" for row in rows)
    return ((f"<table><caption{style}>{html.escape(caption)}</caption>" if caption else "<table>")
            + (f"<thead><tr>{heads}</tr></thead>" if head else "") + f"<tbody>{body}</tbody>"
            + (f"<tfoot>{foot}</tfoot>" if foot else "") + "</table>" + after)
