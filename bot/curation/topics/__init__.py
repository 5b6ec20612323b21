"""Topics: which of the catalog's topics an article is about. Pure.

document.py (the article as matching reads it), rules.py (keywords, exclusions,
sections), meaning.py (the topics' prototypes, from their descriptions),
profiles.py (what the bot learned from its own articles), matcher.py (the
evidence weighed into calibrated scores, and the topics chosen).
"""

from bot.curation.topics.document import WORDS_READ, Document, keyword_matches
from bot.curation.topics.matcher import Assigned, Calibration, Matcher
from bot.curation.topics.meaning import Prototypes, descriptions
from bot.curation.topics.rules import TopicRule

__all__ = [
    "WORDS_READ", "Assigned", "Calibration", "Document", "Matcher", "Prototypes", "TopicRule",
    "descriptions", "keyword_matches",
]  # fmt: skip
