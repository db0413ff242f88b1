"""The US outline and state borders as SVG path data, and the projection that puts places on them.

The shapes are us-atlas' `states-albers-10m.json` (Census cartographic boundaries, vendored under
`web/static/vendor/us-atlas/`), already projected by d3's `geoAlbersUsa().scale(1300)
.translate([487.5, 305])` into a 975 x 610 box. `project()` is that same projection, so a place's
longitude and latitude land where its state is drawn. Drawn on the server: no script, no request.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ATLAS = Path(__file__).parent / "static" / "vendor" / "us-atlas" / "states-albers-10m.json"
WIDTH, HEIGHT = 975, 610
_SCALE, _TX, _TY = 1300.0, 487.5, 305.0

Point = tuple[int, int]


@dataclass(frozen=True)
class Shapes:
    nation: str  # the land, filled
    borders: str  # lines between two states, drawn once each


@cache
def shapes() -> Shapes:
    topology = json.loads(ATLAS.read_text(encoding="utf-8"))
    arcs = _decoded_arcs(topology)
    nation = topology["objects"]["nation"]["geometries"]
    rings = [ring for geometry in nation for polygon in _polygons(geometry) for ring in polygon]
    shared = Counter(
        _arc_id(i)
        for geometry in topology["objects"]["states"]["geometries"]
        for polygon in _polygons(geometry)
        for ring in polygon
        for i in ring
    )
    inner = [i for i, uses in shared.items() if uses > 1]
    return Shapes(
        nation="".join(_path(_ring_points(ring, arcs)) + "z" for ring in rings),
        borders="".join(_path(arcs[i]) for i in sorted(inner)),
    )


def _arc_id(index: int) -> int:
    # TopoJSON writes a reversed arc i as ~i (-i - 1); both are the same border.
    return index if index >= 0 else ~index


def _decoded_arcs(topology: dict[str, object]) -> list[list[Point]]:
    transform: Any = topology["transform"]
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    decoded = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points: list[Point] = []
        for step in arc:  # quantized and delta-encoded
            x, y = x + step[0], y + step[1]
            points.append((round(x * kx + dx), round(y * ky + dy)))
        decoded.append(points)
    return decoded


def _polygons(geometry: dict[str, object]) -> list[list[list[int]]]:
    arcs = geometry.get("arcs", [])
    return [arcs] if geometry["type"] == "Polygon" else list(arcs)  # type: ignore[list-item,call-overload]


def _ring_points(ring: Iterable[int], arcs: Sequence[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)  # each arc starts where the last one ended
    return points


def _path(points: Sequence[Point]) -> str:
    """Relative moves on whole pixels: compact, and precise enough at the size a phone shows."""
    kept = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
    if not kept:
        return ""
    parts = [f"M{kept[0][0]} {kept[0][1]}"]
    parts.extend(f"l{x - px} {y - py}" for (px, py), (x, y) in itertools.pairwise(kept))
    return "".join(parts)


@dataclass(frozen=True)
class _Conic:
    """d3's conicEqualArea with its rotate, center, scale and translate, for one of the three insets."""

    parallels: tuple[float, float]
    rotate: float
    center: tuple[float, float]
    scale: float
    translate: tuple[float, float]
    extent: tuple[tuple[float, float], tuple[float, float]]

    def raw(self, lam: float, phi: float) -> tuple[float, float]:
        sy0 = math.sin(math.radians(self.parallels[0]))
        n = (sy0 + math.sin(math.radians(self.parallels[1]))) / 2
        c = 1 + sy0 * (2 * n - sy0)
        r0 = math.sqrt(c) / n
        r = math.sqrt(c - 2 * n * math.sin(phi)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    def point(self, longitude: float, latitude: float) -> tuple[float, float] | None:
        lam = math.radians(longitude + self.rotate)
        lam = lam - 2 * math.pi if lam > math.pi else lam + 2 * math.pi if lam < -math.pi else lam
        x, y = self.raw(lam, math.radians(latitude))
        cx, cy = self.raw(math.radians(self.center[0]), math.radians(self.center[1]))
        sx = self.translate[0] + self.scale * (x - cx)
        sy = self.translate[1] - self.scale * (y - cy)
        (x0, y0), (x1, y1) = self.extent
        return (sx, sy) if x0 <= sx <= x1 and y0 <= sy <= y1 else None


def _insets(k: float, x: float, y: float) -> tuple[_Conic, ...]:
    eps = 1e-6
    return (
        _Conic(
            (29.5, 45.5), 96, (-0.6, 38.7), k, (x, y), ((x - 0.455 * k, y - 0.238 * k), (x + 0.455 * k, y + 0.238 * k))
        ),
        _Conic(
            (55, 65),
            154,
            (-2, 58.5),
            k * 0.35,
            (x - 0.307 * k, y + 0.201 * k),
            ((x - 0.425 * k + eps, y + 0.120 * k + eps), (x - 0.214 * k - eps, y + 0.234 * k - eps)),
        ),
        _Conic(
            (8, 18),
            157,
            (-3, 19.9),
            k,
            (x - 0.205 * k, y + 0.212 * k),
            ((x - 0.214 * k + eps, y + 0.166 * k + eps), (x - 0.115 * k - eps, y + 0.234 * k - eps)),
        ),
    )


_ALBERS_USA = _insets(_SCALE, _TX, _TY)


def project(longitude: float, latitude: float) -> tuple[float, float] | None:
    """d3.geoAlbersUsa: the lower 48, or the Alaska or Hawaii inset; None outside all three."""
    for inset in _ALBERS_USA:
        point = inset.point(longitude, latitude)
        if point is not None:
            return round(point[0], 1), round(point[1], 1)
    return None
