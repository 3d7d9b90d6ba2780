"""Agency feeds, whatever their format, read into one small record per item.

``parse(payload, "auto")`` sniffs RSS 2.0, Atom, IPTC ninjs 2.x (JSON) or NewsML-G2 and returns a
list of ``WireEntry``. Every XML payload goes through defusedxml, so an entity bomb or an external
entity makes the whole feed fail with ``FeedError`` instead of expanding or reaching out.
Bodies are returned as the agency sent them; ``khabar.wire.sanitise`` cleans them.
"""

from .entry import FeedError, WireEntry
from .sniff import FORMATS, parse, sniff

__all__ = ["FORMATS", "FeedError", "WireEntry", "parse", "sniff"]
