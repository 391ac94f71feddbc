"""Travel times between places, from coordinates by default or from a user-supplied matrix."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Coordinates:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class TravelModel:
    """Estimate of road travel from straight-line distance.

    The road factor stretches the great-circle distance to a road distance; urban local
    areas sit around 1.3-1.4. ``matrix`` overrides the estimate with real road times
    (minutes) keyed by (from, to) place keys.
    """

    road_factor: float = 1.35
    speed_kmh: float = 30.0
    minimum_minutes: int = 5
    matrix: Mapping[tuple[str, str], int] = field(default_factory=dict)


def great_circle_km(a: Coordinates, b: Coordinates) -> float:
    """Haversine distance."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def travel_minutes(
    origin_key: str,
    origin: Coordinates | None,
    destination_key: str,
    destination: Coordinates | None,
    model: TravelModel,
) -> int:
    """Whole minutes from origin to destination; 0 for the same place.

    Unknown coordinates fall back to the minimum, so a place without a geocode never makes
    a plan impossible by itself.
    """
    if origin_key == destination_key:
        return 0
    if (origin_key, destination_key) in model.matrix:
        return int(model.matrix[(origin_key, destination_key)])
    if origin is None or destination is None:
        return model.minimum_minutes
    km = great_circle_km(origin, destination) * model.road_factor
    return max(model.minimum_minutes, math.ceil(km / model.speed_kmh * 60))
