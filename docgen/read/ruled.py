"""A PDF page's ruled tables, found as pdfplumber's `Page.find_tables()` finds them, minus a search that cannot succeed.

pdfplumber's `TableFinder` turns the page's edges into intersections, then looks for the smallest cell
below and to the right of every intersection: a Python loop over every pair of points, about 4 ms on a
page of form boxes, where nearly all of the finder's time goes. It then keeps only groups of more than
one cell. Two cells of a group share a corner, and each side of a cell runs along an edge found at both
of its corners, so a group's cells lie in one set of edges linked by their intersections and have at
least six corners between them. When no such set has six intersections (a page of separate boxes:
four corners each) no table can be found, and the cell search is skipped. Otherwise pdfplumber's own
steps run unchanged, so the tables are the same.
"""

from __future__ import annotations

from typing import Any

from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
)
from pdfplumber.utils.geometry import obj_to_bbox

_CORNERS_OF_TWO_CELLS = 6  # two distinct rectangles sharing a corner have at least six corners between them


class _Finder(TableFinder):
    """`TableFinder.__init__` step by step, the cell search only where a table of two cells could be."""

    def __init__(self, page: Any) -> None:  # noqa: D107 - the same steps as pdfplumber's own __init__
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(self.edges, self.settings.intersection_x_tolerance,
                                                    self.settings.intersection_y_tolerance)
        self.cells = (intersections_to_cells(self.intersections)
                      if largest_linked(self.intersections) >= _CORNERS_OF_TWO_CELLS else [])
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def find_tables(page: Any) -> list[Table]:
    """The tables `page.find_tables()` finds (default settings); `page` needs only the `edges` of its ruling."""
    return _Finder(page).tables


def largest_linked(intersections: dict[Any, dict[str, list[Any]]]) -> int:
    """The most intersections in one set of edges linked through shared intersections.

    Edges are told apart by their box, as pdfplumber's `edge_connects` tells them apart, so two edges
    with the same box count as one.
    """
    parent: dict[Any, Any] = {}

    def root(key: Any) -> Any:
        while (up := parent.setdefault(key, key)) != key:
            parent[key] = parent.setdefault(up, up)
            key = up
        return key

    for edges in intersections.values():
        boxes = [obj_to_bbox(e) for e in (*edges["v"], *edges["h"])]
        first = root(boxes[0])
        for box in boxes[1:]:
            other = root(box)
            if other != first:
                parent[other] = first
    counts: dict[Any, int] = {}
    for edges in intersections.values():
        key = root(obj_to_bbox(edges["v"][0]))
        counts[key] = counts.get(key, 0) + 1
    return max(counts.values(), default=0)
