"""Reading the Get Information About Schools (GIAS) establishment extract.

Councils download it from GIAS as CSV (Windows-1252). Types are mapped by the GIAS type
code first, because names change between releases, and by phase for mainstream schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyproj import Transformer

from models.setting import SettingType

TYPE_CODES: dict[int, SettingType | None] = {
    7: SettingType.SPECIAL,  # Community special school
    8: SettingType.SPECIAL,  # Non-maintained special school
    10: SettingType.SPECIAL,  # Other independent special school
    12: SettingType.SPECIAL,  # Foundation special school
    33: SettingType.SPECIAL,  # Academy special sponsor led
    36: SettingType.SPECIAL,  # Free schools special
    44: SettingType.SPECIAL,  # Academy special converter
    14: SettingType.PRU_AP,  # Pupil referral unit
    38: SettingType.PRU_AP,  # Free schools alternative provision
    42: SettingType.PRU_AP,  # Academy alternative provision converter
    43: SettingType.PRU_AP,  # Academy alternative provision sponsor led
    15: SettingType.EARLY_YEARS,  # Local authority nursery school
    18: SettingType.POST16,  # Further education
    31: SettingType.POST16,  # Sixth form centres
    32: SettingType.POST16,  # Special post 16 institution
    39: SettingType.POST16,  # Free schools 16 to 19
    45: SettingType.POST16,  # Academy 16-19 converter
    46: SettingType.POST16,  # Academy 16 to 19 sponsor led
    57: SettingType.POST16,  # Academy secure 16 to 19
    29: None,  # Higher education institutions
    25: None,  # Offshore schools
    30: None,  # Welsh establishment
    37: None,  # British schools overseas
}

TYPE_NAME_WORDS: tuple[tuple[str, SettingType], ...] = (
    ("alternative provision", SettingType.PRU_AP),
    ("pupil referral", SettingType.PRU_AP),
    ("special", SettingType.SPECIAL),
    ("16", SettingType.POST16),
    ("further education", SettingType.POST16),
    ("sixth form", SettingType.POST16),
    ("nursery", SettingType.EARLY_YEARS),
)

PHASES: dict[str, SettingType] = {
    "nursery": SettingType.EARLY_YEARS,
    "primary": SettingType.PRIMARY,
    "middle deemed primary": SettingType.PRIMARY,
    "secondary": SettingType.SECONDARY,
    "middle deemed secondary": SettingType.SECONDARY,
    "16 plus": SettingType.POST16,
    "all-through": SettingType.ALL_THROUGH,
}


class NotASetting(Exception):
    """The establishment is not one we plan visits to (closed, overseas, HE …)."""


def setting_type(type_code: str | None, type_name: str | None, phase: str | None) -> SettingType:
    code = int(type_code) if type_code and type_code.strip().isdigit() else None
    if code is not None and code in TYPE_CODES:
        mapped = TYPE_CODES[code]
        if mapped is None:
            raise NotASetting(f"establishment type {type_name or code} is not planned for")
        return mapped
    name = (type_name or "").lower()
    for word, kind in TYPE_NAME_WORDS:
        if word in name:
            return kind
    phase_key = (phase or "").strip().lower()
    if phase_key in PHASES:
        return PHASES[phase_key]
    raise NotASetting(f"cannot tell the setting type from type {type_name!r} and phase {phase!r}")


@lru_cache(maxsize=1)
def _british_national_grid() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class LatLon:
    latitude: float
    longitude: float


def grid_to_latlon(easting: float, northing: float) -> LatLon:
    """OSGB36 British National Grid easting/northing to WGS84 latitude/longitude."""
    if not (0 <= easting <= 700_000 and 0 <= northing <= 1_300_000):
        raise ValueError("easting/northing outside Great Britain")
    longitude, latitude = _british_national_grid().transform(easting, northing)
    return LatLon(round(latitude, 6), round(longitude, 6))
