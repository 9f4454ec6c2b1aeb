"""Packed SQLite R-trees: an R-tree's three shadow tables written at once from boxes
sorted into tiles (Sort-Tile-Recursive), instead of inserting the rows one by one.

SQLite's R-tree module has no bulk load: every insert chooses a leaf, splits nodes
and reinserts cells, about 10–20 µs a row, so two million parcels take half a minute
of a core. The module keeps its nodes in ordinary tables in a documented, stable
format (``ext/rtree/rtree.c``): ``<name>_node(nodeno, data)`` with node 1 the root,
``<name>_rowid(rowid, nodeno)`` giving each entry's leaf and ``<name>_parent(nodeno,
parentnode)`` each other node's parent. Writing those tables takes a few seconds for
the same rows, and the packed tree answers queries at least as well: its nodes are full
and its tiles do not overlap. SQLite's own ``rtreecheck()`` verifies what is written.

Only 2-dimensional R-trees of 32-bit floats (``using rtree(id, min_x, max_x, min_y,
max_y)``) with no auxiliary columns are packed.
"""

import sqlite3
import struct

import numpy as np

CELL = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])
"""A node's cell: the entry's rowid (or the child's node number) and its box, min and max
of each dimension in turn, big-endian as SQLite stores them."""
HEADER = struct.Struct(">HH")
"""Depth of the tree (read from the root only) and number of cells."""

# SQLite widens a box it cannot hold exactly in 32 bits by these factors (rtree.c).
ROUND_TOWARDS_ZERO = 1.0 - 1.0 / 8388608.0
ROUND_AWAY_FROM_ZERO = 1.0 + 1.0 / 8388608.0


def boxes_of(driver: sqlite3.Connection, sql: str) -> tuple[np.ndarray, np.ndarray]:
    """The ids and boxes (min_x, max_x, min_y, max_y) that ``sql`` selects, as arrays."""
    rows = driver.execute(sql).fetchall()
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    boxes = np.array([row[1:] for row in rows], dtype=np.float64).reshape(-1, 4)
    return ids, boxes


def pack(driver: sqlite3.Connection, index: str, ids: np.ndarray, boxes: np.ndarray) -> None:
    """Fill the empty R-tree ``index`` with ``ids`` and their ``boxes`` (one row each of
    min_x, max_x, min_y, max_y), in the caller's transaction."""
    if not len(ids):
        return
    stored = np.column_stack(
        [
            rounded_down(boxes[:, 0]),
            rounded_up(boxes[:, 1]),
            rounded_down(boxes[:, 2]),
            rounded_up(boxes[:, 3]),
        ]
    )
    ((node_size,),) = driver.execute(f"select length(data) from {index}_node where nodeno = 1")
    nodes, leaves, parents = packed(ids, stored, (node_size - HEADER.size) // CELL.itemsize)
    driver.execute(f"delete from {index}_node")
    driver.executemany(
        f"insert into {index}_node (nodeno, data) values (?, ?)",
        ((number, data.ljust(node_size, b"\0")) for number, data in nodes),
    )
    # In rowid order, so that the rowid table only grows at its end.
    by_id = np.argsort(leaves[:, 0])
    driver.executemany(
        f"insert into {index}_rowid (rowid, nodeno) values (?, ?)", leaves[by_id].tolist()
    )
    driver.executemany(f"insert into {index}_parent (nodeno, parentnode) values (?, ?)", parents)


def packed(
    ids: np.ndarray, boxes: np.ndarray, per_node: int
) -> tuple[list[tuple[int, bytes]], np.ndarray, list[tuple[int, int]]]:
    """The nodes (number, data), the entries' leaves (rowid, node) and the nodes' parents
    (node, parent) of a tree over ``boxes``, built level by level from the leaves up."""
    nodes: list[tuple[int, bytes]] = []
    owned: list[np.ndarray] = []
    next_number = 2
    while len(ids) > per_node:
        order = tiled(boxes, per_node)
        ids, boxes = ids[order], boxes[order]
        starts = np.arange(0, len(ids), per_node)
        numbers = np.arange(next_number, next_number + len(starts))
        next_number += len(starts)
        owners = np.repeat(numbers, np.diff(np.append(starts, len(ids))))
        owned.append(np.column_stack([ids, owners]))
        nodes.extend(zip(numbers.tolist(), node_data(ids, boxes, starts, depth=0), strict=True))
        boxes = np.column_stack(
            [
                np.minimum.reduceat(boxes[:, 0], starts),
                np.maximum.reduceat(boxes[:, 1], starts),
                np.minimum.reduceat(boxes[:, 2], starts),
                np.maximum.reduceat(boxes[:, 3], starts),
            ]
        )
        ids = numbers
    # The root is node 1; the tree's depth is the number of levels below it.
    owned.append(np.column_stack([ids, np.ones_like(ids)]))
    nodes.append((1, node_data(ids, boxes, np.array([0]), depth=len(owned) - 1)[0]))
    leaves, *upper = owned
    parents = [pair for level in upper for pair in level.tolist()]
    return nodes, leaves, parents


def tiled(boxes: np.ndarray, per_node: int) -> np.ndarray:
    """The order that cuts the boxes into vertical slices by centre x and each slice,
    by centre y, into runs of ``per_node``: each run becomes one node."""
    count = len(boxes)
    slices = int(np.ceil(np.sqrt(np.ceil(count / per_node))))
    by_x = np.argsort(boxes[:, 0] + boxes[:, 1], kind="stable")
    slice_of = np.empty(count, dtype=np.int64)
    slice_of[by_x] = np.arange(count) // (slices * per_node)
    return np.lexsort((boxes[:, 2] + boxes[:, 3], slice_of))


def node_data(ids: np.ndarray, boxes: np.ndarray, starts: np.ndarray, *, depth: int) -> list[bytes]:
    """Each node's data, unpadded: the header, then its cells from ``starts`` on."""
    cells = np.empty(len(ids), dtype=CELL)
    cells["id"] = ids
    cells["box"] = boxes
    data = cells.tobytes()
    ends = np.append(starts[1:], len(ids))
    return [
        HEADER.pack(depth, end - start) + data[start * CELL.itemsize : end * CELL.itemsize]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
    ]


def rounded_down(values: np.ndarray) -> np.ndarray:
    """The 32-bit floats SQLite stores for the lower bounds: never above the value."""
    stored = values.astype(np.float32)
    over = stored > values
    factor = np.where(values < 0, ROUND_AWAY_FROM_ZERO, ROUND_TOWARDS_ZERO)
    stored[over] = (values * factor)[over].astype(np.float32)
    return stored


def rounded_up(values: np.ndarray) -> np.ndarray:
    """The 32-bit floats SQLite stores for the upper bounds: never below the value."""
    stored = values.astype(np.float32)
    under = stored < values
    factor = np.where(values < 0, ROUND_TOWARDS_ZERO, ROUND_AWAY_FROM_ZERO)
    stored[under] = (values * factor)[under].astype(np.float32)
    return stored
