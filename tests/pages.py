"""Reading pages as a person would, and filling in their forms."""

from __future__ import annotations

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def check_page(response) -> BeautifulSoup:
    """Every page: a title, one h1, unique ids, forms with an action, labelled fields."""
    page = parse(response)
    assert page.title and page.title.string.strip(), "page has no title"
    # A page with errors says so once at the start of its title (base.html does it).
    assert page.title.string.count("Error:") <= 1, f"title says Error twice: {page.title.string}"
    assert len(page.find_all("h1")) == 1, "page must have exactly one h1"
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    for form in page.find_all("form"):
        assert form.get("action"), "form without action"
        # A filter (the audit log's) is a GET form; everything that changes something posts.
        assert form.get("method") in ("post", "get")
    for field in page.find_all(["input", "textarea", "select"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert page.find("label", attrs={"for": field["id"]}), f"no label for {field['id']}"
    radio_names = {r["name"] for r in page.find_all("input", type="radio")}
    for name in radio_names:
        first = page.find("input", type="radio", attrs={"name": name})
        fieldset = first.find_parent("fieldset")
        assert fieldset is not None and fieldset.find("legend"), f"radios {name} need a legend"
    assert response.headers.get("Cache-Control") == "no-store"
    return page


def form_fields(page: BeautifulSoup, action: str | None = None) -> dict:
    """The values a browser would send from the page's form, as it stands."""
    scope = page.find("main") or page
    form = page.find("form", action=action) if action else scope.find("form")
    data: dict = {}
    for select in form.find_all("select"):
        chosen = select.find("option", selected=True) or select.find("option")
        if chosen is not None:
            data[select["name"]] = chosen.get("value", chosen.get_text())
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        if not name:
            continue
        kind = field.get("type", "text")
        if kind == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif kind == "radio":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    return data


def error_summary(page: BeautifulSoup) -> list[str]:
    summary = page.find(class_="error-summary")
    return [a.get_text(strip=True) for a in summary.find_all("a")] if summary else []
