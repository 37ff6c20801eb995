"""Answering staff questions from a curated knowledge base; knows nothing about chat platforms.

``KnowledgeBase.load()`` reads the bundled ``knowledge/content/`` (or any directory in the
same format), ``kb.answer(question)`` returns an ``Answer`` whose ``entry`` is None when
the engine is not confident enough to answer.
"""

from knowledge.engine import BUNDLED_CONTENT, KnowledgeBase
from knowledge.entry import Answer, Entry, Source
from knowledge.loader import Problem, load_directory
from knowledge.text import detect_language

__all__ = [
    "BUNDLED_CONTENT",
    "Answer",
    "Entry",
    "KnowledgeBase",
    "Problem",
    "Source",
    "detect_language",
    "load_directory",
]
