"""The chat widget's look and privacy settings, from the ``widget:`` block of ``clinic.yml``.

Every key is optional; a missing or invalid value falls back to the default below (and an
invalid one is logged), so a typo never takes the clinic page down::

    widget:
      title: Noor Skin & Scar Clinic      # default: the clinic's name
      subtitle: Virtual assistant
      subtitle_ar: المساعد الافتراضي      # the widget in Arabic (?lang=ar, or an Arabic conversation)
      main_colour: "#2d6a5f"              # header, launcher, the patient's bubbles
      patient_text_colour: "#ffffff"
      assistant_colour: "#eef4f2"         # the assistant's bubbles
      assistant_text_colour: "#1f2a30"
      avatar: /clinic/static/avatar.svg   # a path on this site (the page's CSP allows no other)
      conversation_hours: 24              # a stored conversation is forgotten after this long idle

``widget_settings()`` gives the values :func:`console.site.render_page` puts on the page
(data attributes read by ``static/site/widget.js``).
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from typing import Any, Dict, Mapping

logger = logging.getLogger(__name__)
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOCAL_PATH = re.compile(r"^/(?!/)[A-Za-z0-9._/-]{1,200}$")
MAX_HOURS = 24 * 90


@dataclass(frozen=True)
class WidgetSettings:
    title: str
    subtitle: str = "Virtual assistant"
    subtitle_ar: str = "المساعد الافتراضي"  # shown when the widget speaks Arabic (widget.js)
    main_colour: str = "#2d6a5f"
    patient_text_colour: str = "#ffffff"
    assistant_colour: str = "#eef4f2"
    assistant_text_colour: str = "#1f2a30"
    avatar: str = "/clinic/static/avatar.svg"
    conversation_hours: float = 24.0

    def data_attributes(self) -> Dict[str, str]:
        """``data-*`` names (without the prefix) and values for the widget's element."""
        return {key.replace("_", "-"): str(value) for key, value in asdict(self).items()}


def widget_settings(name: str, extra: Mapping[str, Any]) -> WidgetSettings:
    """The widget settings for a clinic called ``name`` (``extra``: clinic.yml's other keys)."""
    block = extra.get("widget") if isinstance(extra, Mapping) else None
    block = block if isinstance(block, Mapping) else {}
    defaults = WidgetSettings(title=name)
    values: Dict[str, Any] = {}
    for key, default in asdict(defaults).items():
        if key not in block:
            continue
        value = block[key]
        if key.endswith("colour"):
            ok = isinstance(value, str) and bool(COLOUR.match(value))
        elif key == "avatar":
            ok = isinstance(value, str) and bool(LOCAL_PATH.match(value)) and ".." not in value
        elif key == "conversation_hours":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= MAX_HOURS
            value = float(value) if ok else value
        else:
            ok = isinstance(value, str) and 0 < len(value.strip()) <= 80
            value = value.strip() if ok else value
        if ok:
            values[key] = value
        else:
            logger.warning("clinic.yml widget.%s is not valid; using %r", key, default)
    return WidgetSettings(**{**asdict(defaults), **values})
