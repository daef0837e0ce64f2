"""Third-party browser libraries: installed by npm at set-up, served from ``node_modules``.

Nothing third-party is copied into the repository. ``make assets`` (``npm ci``) fills
``node_modules/`` at the checkout's root; the server mounts each package's folder under
``/vendor/<package>/``. When the folder is missing the pages still render and say how to
install the assets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The checkout's root: src/watchfloor/serve/assets.py -> parents[3].
DEFAULT_NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"

#: Package folder -> files the dashboard loads from it (relative to the package folder).
VENDOR_FILES: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css"),
    "leaflet.markercluster": (
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ),
    "cytoscape": ("dist/cytoscape.min.js",),
    "topojson-client": ("dist/topojson-client.min.js",),
    "world-atlas": ("countries-50m.json",),
}

INSTALL_HINT = "run `make assets` (npm ci) in the watchfloor checkout, then reload"


@dataclass(frozen=True, slots=True)
class Assets:
    """Where the vendor packages are and which of their files are missing."""

    node_modules: Path
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing

    def package_dirs(self) -> dict[str, Path]:
        """Package name -> folder, for the packages that are present."""
        return {
            name: self.node_modules / name
            for name in VENDOR_FILES
            if (self.node_modules / name).is_dir()
        }


def find_assets(node_modules: Path | None = None) -> Assets:
    """Check the vendor files under ``node_modules`` (default: the checkout's)."""
    root = (node_modules or DEFAULT_NODE_MODULES).expanduser()
    missing = tuple(
        f"{name}/{file}"
        for name, files in VENDOR_FILES.items()
        for file in files
        if not (root / name / file).is_file()
    )
    return Assets(node_modules=root, missing=missing)
