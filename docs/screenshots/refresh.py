"""Copy the README's screenshots from the browser tests' artifacts, as small 256-colour PNGs.

The citizen's pages come from the browser tests; the staff's pages come from the quickstart
demo (docs/screenshots/from_demo.py), where a trained model makes real suggestions.

.venv/bin/python -m pytest minsheng/web/tests/browser/
.venv/bin/python docs/screenshots/refresh.py [name.png ...]   # all of them by default
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "var" / "test-artifacts" / "screenshots"
# docs name -> the screenshot a browser test leaves
SHOTS = {
    "home-desktop.png": "smoke-home-desktop-zh.png",
    "portal-submit-phone.png": "journey-2-submit-filled-phone.png",
    "portal-receipt-phone.png": "journey-3-receipt-phone.png",
    "portal-track-desktop.png": "journey-4-track-answered-desktop.png",
}
MAX_BYTES = 300 * 1024


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        print(f"no such screenshot: {', '.join(unknown)}", file=sys.stderr)
        return 2
    for target, source in SHOTS.items():
        if names and target not in names:
            continue
        with Image.open(ARTIFACTS / source) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        path = HERE / target
        small.save(path, format="PNG", optimize=True)
        size = path.stat().st_size
        print(f"{path.name}: {small.width}x{small.height}, {size // 1024} KB")
        if size > MAX_BYTES:
            print(f"  larger than {MAX_BYTES // 1024} KB", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
