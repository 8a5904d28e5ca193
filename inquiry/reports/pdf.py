"""PDFs from our own HTML. The only module that imports WeasyPrint."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serve data: URIs and files under our static folder; refuse everything else,
        before any connection is made, so nothing a member wrote can fetch anything."""

        def __init__(self, static_root: Path):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.static_root = static_root.resolve()

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(self.static_root) or not path.is_file():
                    raise ValueError("only our own static files may be used")
            elif scheme != "data":
                raise ValueError("only our own static files may be used")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


_font_config = None


def render_pdf(html: str) -> bytes:
    """A tagged (PDF/UA-1) PDF of the given HTML, with our fonts embedded. The document's
    <title> and <html lang> become the PDF's title and language."""
    return render_pdf_with(html, current_app.static_folder)


def render_pdf_with(html: str, static_folder: str) -> bytes:
    """render_pdf without the app: for the render worker's own low-priority process."""
    global _font_config
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    static = Path(static_folder)
    document = weasyprint.HTML(
        string=html,
        base_url=static.as_uri() + "/",
        url_fetcher=_fetcher_class()(static),
    )
    return document.write_pdf(
        pdf_variant="pdf/ua-1", font_config=_font_config, finisher=finish_tags
    )


# What WeasyPrint's tagging leaves out, filled in on its PDF objects before they are written
# (its `finisher` hook), so there is no second pass over a finished file.


def finish_tags(document, pdf) -> None:
    """Fold away the rowless tables WeasyPrint nests in real ones, give every table header
    its scope, and make decorative images (alt="") artifacts."""
    import pydyf

    elements = {
        obj.reference: obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
    }
    _unwrap_rowless_tables(elements)
    _scope_headers(elements)
    _decorative_images_as_artifacts(document, pdf, elements)


def _rows_in(element, elements) -> bool:
    """Whether a table element has rows, itself or in its head, body or foot."""
    return any(
        kid in elements
        and (
            elements[kid]["S"] == "/TR"
            or (
                elements[kid]["S"] in ("/THead", "/TBody", "/TFoot")
                and _rows_in(elements[kid], elements)
            )
        )
        for kid in element["K"]
    )


def _unwrap_rowless_tables(elements: dict) -> None:
    """A table part WeasyPrint lays out apart (a positioned caption, say) comes back as a
    /Table of its own, with no rows, nested in the real one: its contents belong to the
    element around it."""
    for element in list(elements.values()):
        if element["S"] != "/Table" or _rows_in(element, elements):
            continue
        parent = elements.get(element["P"])
        if parent is None or element.reference not in parent["K"]:
            continue
        at = parent["K"].index(element.reference)
        parent["K"][at : at + 1] = element["K"]
        for kid in element["K"]:
            if kid in elements:
                elements[kid]["P"] = parent.reference
        element["K"] = type(element["K"])()
        if parent["S"] == "/Table":  # a table's caption is its first child
            captions = [k for k in parent["K"] if k in elements and elements[k]["S"] == "/Caption"]
            parent["K"][:] = captions + [k for k in parent["K"] if k not in captions]


def _cells(row, elements):
    return [
        elements[kid]
        for kid in row["K"]
        if kid in elements and elements[kid]["S"] in ("/TH", "/TD")
    ]


def _key(value) -> str:
    return str(getattr(value, "string", value))


def _scope_headers(elements: dict) -> None:
    """WeasyPrint links each data cell to its headers (/Headers and /ID) but gives the header
    cells no /Scope, which PDF/UA checkers look for. The scope follows from those links: a
    header its own row's cells point to heads the row; one that cells of other rows point
    to heads a column."""
    rows = [e for e in elements.values() if e["S"] == "/TR"]
    pointed_from: dict[str, set] = {}
    for row in rows:
        for cell in _cells(row, elements):
            if cell["S"] == "/TD":
                for header in cell["A"].get("Headers", ()):
                    pointed_from.setdefault(_key(header), set()).add(row.reference)
    for row in rows:
        in_head = elements.get(row["P"], {}).get("S") == "/THead"
        for cell in _cells(row, elements):
            if cell["S"] != "/TH":
                continue
            sources = pointed_from.get(_key(cell.get("ID", "")), set())
            own, others = row.reference in sources, bool(sources - {row.reference})
            if own and others:
                scope = "/Both"
            elif own or (not others and not in_head):
                scope = "/Row"
            else:
                scope = "/Column"
            cell["A"]["Scope"] = scope


def _decorative_bboxes(document) -> set[tuple[int, tuple[float, ...]]]:
    """(page index, box) of every image the HTML marks as decorative with alt=""."""
    from weasyprint.formatting_structure import boxes

    found = set()
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if (
                isinstance(box, boxes.ReplacedBox)
                and box.element is not None
                and box.element.get("alt") == ""
            ):
                x, y = box.content_box_x(), box.content_box_y()
                found.add((index, (x, y, x + box.width, y + box.height)))
    return found


def _decorative_images_as_artifacts(document, pdf, elements: dict) -> None:
    """WeasyPrint tags every image as a /Figure, and one with alt="" then has no alternative
    text; PDF/UA wants decoration marked as an artifact, outside the structure tree."""
    decorative = _decorative_bboxes(document)
    if not decorative:
        return
    pages = {ref: index for index, ref in enumerate(pdf.page_references)}
    marks = _figure_marks(pdf)
    parent_tree = _parent_tree(pdf)
    for element in list(elements.values()):
        if element["S"] != "/Figure" or "Alt" in element or "ActualText" in element:
            continue
        index = pages.get(element["Pg"])
        bbox = tuple(element.get("A", {}).get("BBox", ()))
        kids = list(element["K"])
        if (index, bbox) not in decorative or not all(
            isinstance(kid, int) and (index, kid) in marks for kid in kids
        ):
            continue
        for mcid in kids:
            ops, i = marks[index, mcid]
            # "/Figure <</MCID n>> BDC" becomes "/Artifact BMC", in place.
            ops[i - 1 : i + 2] = ["/Artifact", b"", b"BMC"]
            if mcid < len(parent_tree.get(index, ())):
                parent_tree[index][mcid] = "null"  # nothing in the tree marks it now
        elements[element["P"]]["K"].remove(element.reference)


def _figure_marks(pdf) -> dict[tuple[int, int], tuple[list, int]]:
    """Where each page's figures begin in its content streams: its own stream and the groups
    drawn into it, which share the page's marked-content numbers (WeasyPrint's streams keep
    them in `_tags`)."""
    import pydyf

    page_of = {}
    for index, ref in enumerate(pdf.page_references):
        page = _get(pdf, ref)
        page_of[id(_get(pdf, page["Contents"])._tags)] = index
    marks = {}
    for obj in pdf.objects:
        index = page_of.get(id(getattr(obj, "_tags", None)))
        if index is None:
            continue
        ops = obj.stream
        for i in range(1, len(ops) - 1):
            item = ops[i]
            if isinstance(item, pydyf.Dictionary) and ops[i - 1] == "/Figure":
                marks[index, item.get("MCID")] = (ops, i)
    return marks


def _get(pdf, reference: bytes):
    return pdf.objects[int(reference.split()[0])]


def _parent_tree(pdf) -> dict[int, list]:
    """The structure tree's list, for each page, of what each marked-content number is in."""
    root = _get(pdf, pdf.catalog["StructTreeRoot"])
    nums = _get(pdf, root["ParentTree"])["Nums"]
    return {nums[i]: nums[i + 1] for i in range(0, len(nums), 2) if isinstance(nums[i + 1], list)}
