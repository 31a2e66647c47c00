"""The site's one style sheet and one script, inline in each page, and the Content
Security Policy that allows exactly these two by their SHA-256 hashes and nothing else:
no other script, no style attribute, no request for a font, frame or connection, no form
sent anywhere. The policy is a ``<meta>`` tag, so it holds on any static host.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1100px; padding: 0 1.5rem 3rem; }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
header nav a { margin-right: 1rem; }
h1 { font-size: 1.6rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem;
  margin-top: 2rem; }
h3 { font-size: 1.05rem; }
p, dd, td, li, pre { overflow-wrap: anywhere; word-break: break-word; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f6f8fa; }
th[data-sort] { cursor: pointer; }
dl { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: .2rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; max-height: 30rem; overflow-y: auto; }
.badge { border-radius: 1rem; padding: .05rem .55rem; font-size: .85rem; white-space: nowrap;
  border: 1px solid var(--line); }
.status-Draft { background: #eaeef2; }
.status-PendingReview { background: #fff1c2; }
.status-Approved { background: #d2f4d3; }
.status-Archived { background: #e2e2e2; color: var(--muted); }
.status-missing, .fails, .drift { background: #ffd8d3; }
.passes, .clean { background: #d2f4d3; }
.muted { color: var(--muted); }
[hidden] { display: none !important; }
form#filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; margin: .5rem 0; }
figure { margin: 1rem 0; }
svg { max-width: 100%; height: auto; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .node { fill: #ffffff; stroke: #59636e; }
svg .node.outside { stroke-dasharray: 4 3; stroke: #cf222e; }
svg .edge { fill: none; stroke: #8c959f; stroke-width: 1.5; }
svg .bar { fill: #0969da; }
svg .line { fill: none; stroke: #0969da; stroke-width: 2; }
svg .axis { stroke: #59636e; }
"""

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("cards");
  if (!form || !table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shown = document.getElementById("shown");
  function matches(row, name, wanted) {
    var value = row.getAttribute("data-" + name) || "";
    return name === "accounts" ? value.split(" ").indexOf(wanted) >= 0 : value === wanted;
  }
  function filter() {
    var count = 0;
    rows.forEach(function (row) {
      var keep = Array.prototype.every.call(form.elements, function (field) {
        return !field.name || !field.value || matches(row, field.name, field.value);
      });
      row.hidden = !keep;
      count += keep ? 1 : 0;
    });
    shown.textContent = count + " of " + rows.length + " cards shown";
  }
  function sort(header) {
    var column = header.cellIndex;
    var down = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(header.parentNode.cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", down ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.cells[column].textContent, y = b.cells[column].textContent;
      return (down ? 1 : -1) * x.localeCompare(y);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  form.hidden = false;
  form.addEventListener("change", filter);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
    header.setAttribute("data-sort", "");
    header.addEventListener("click", function () { sort(header); });
  });
  filter();
})();
"""


def digest(source: str) -> str:
    """A CSP source for ``source``: 'sha256-<base64>' of its UTF-8 bytes."""
    raw = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(raw).decode('ascii')}'"


POLICY = "; ".join(
    (
        "default-src 'none'",
        f"style-src {digest(STYLE)}",
        f"script-src {digest(SCRIPT)}",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
    )
)
