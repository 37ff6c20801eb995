"""Swedish-first text normalisation shared by indexing and querying.

Staff type fast: no å/ä/ö, inflected forms, long compounds, English. Both the entries
and the questions go through the same steps here (fold, tokenise, drop function words,
stem, split compounds) so that those variations meet in one term space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

from knowledge.entry import Lang

# Folding å/ä/ö to a/a/o loses almost nothing for retrieval and makes "jamstalldhet" and
# "jämställdhet" one word; the stemmer treats a/o as vowels just like å/ä/ö. Letters that
# Unicode does not decompose are mapped by hand; everything else non-ASCII is dropped,
# since tokens are [a-z0-9] anyway.
_UNDECOMPOSABLE = re.compile("[æøßđłœ]")
_UNDECOMPOSABLE_MAP = {"æ": "a", "ø": "o", "ß": "ss", "đ": "d", "ł": "l", "œ": "oe"}
_WORD = re.compile(r"[a-z0-9]+")
_RAW_WORD = re.compile(r"[^\W_]+")

# Function words that say nothing about the topic. Question words (när, vem, hur, who,
# when ...) are deliberately kept: "när ska jag rapportera" and "vad ska en rapport
# innehålla" ask for different entries, and BM25 keeps their weight low anyway.
STOPWORDS_SV = frozenset(
    """
    och att det som en ett pa for med till av om ar var vara varit blir bli blev den de dem
    denna detta dessa sin sitt sina han hon hen vi ni jag du mig dig oss er min mitt mina din
    ditt dina var vart vara vad sa da an nagon nagot nagra eller men inte ocksa bara redan kan
    kunna ska skall skulle maste bor far fick har hade haft gor gora gjort hos vid fran under
    over efter innan sedan sig sjalv alla allt mycket mer mest lite ju nog just nu har dar hit
    dit finns fanns hej tack snalla undrar ungefar typ ens egentligen alltsa liksom exakt
    riktigt egentlig finnas blivit ut upp in ner ned fram bort ihop mot genom utan vissa viss
    visst ta tar tas tog tagit ser se sett ga gar gick gatt vill ville velat sadan sadana sadant
    va nan ngn ngt nagn nagt nanting
    """.split()  # noqa: SIM905 - a word list reads better as text
)
STOPWORDS_EN = frozenset(
    """
    the a an is are was were be been being am do does did doing have has had having of to in on
    at by for with about from into over as and or but not no so than i me my we our us you your
    he she it its they them their this that these those there here what can could should would
    will shall must may might please tell explain any some all also just get got does hi hello
    thanks let lets make into onto out up
    """.split()  # noqa: SIM905 - a word list reads better as text
)
STOPWORDS = STOPWORDS_SV | STOPWORDS_EN

# Words that come with almost any question ("vad menas med ...", "tips om ...") but say
# little about which entry is wanted. They still match, but count for a quarter of a
# content word, so an unknown filler word does not push the engine into abstaining.
GENERIC_WORDS = frozenset(
    """
    menas mena menar betyder betyda innebar innebara tips hjalp hjalpa fraga fragor info
    information veta behover behova gora fungerar funkar fungera galler handlar saga
    sager beskriv beskriva forklara forklarar kolla hitta hittar lasa viktigt bra basta
    nagonting sak saker grej grejen ganska tanka tanker stod stodet anvanda anvander vet
    kanna kort kortfattat snabbt enkelt enkla overhuvudtaget fortfarande egen heter hette kallas
    heta tycker tror mar
    dom sant nat
    mean means meaning tips help want need know work works explain describe find info
    information thing things good best way ways regarding exactly short quick simple called name
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Question words are kept as terms ("när" vs "vad" can tell entries apart) but, like the
# generic words, they cannot make a question on their own.
QUESTION_WORDS = frozenset(
    """
    hur nar vem vilka vilken vilket varfor varifran vart how when who whom which why where
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Markers for language detection, written with their diacritics (casefolded only).
_SV_MARKERS = frozenset(
    """
    är och att det vad hur jag vi en ett som på för med till av om kan ska har inte min mitt
    vår när vem vilka vilken vilket varför finns gör får måste den vara eller så också alla hos
    där mig oss vår våra någon något några ni du man bör skall
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_EN_MARKERS = frozenset(
    """
    the what is are how do does we a an of to in for and my our can should when who where which
    why with about on be have has must it this that there you me tell explain does did will
    would could please who's what's
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def fold(text: str) -> str:
    """Lowercase and strip diacritics, so variants spelled with or without them compare equal."""
    text = text.lower()
    if text.isascii():
        return text
    if _UNDECOMPOSABLE.search(text):
        text = _UNDECOMPOSABLE.sub(lambda m: _UNDECOMPOSABLE_MAP[m.group()], text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# Written in capitals, a function word is an abbreviation: "DO" (Diskrimineringsombudsmannen)
# is not English "do", "IT" not "it". Such a token gets a digit appended ("do0"), which no
# word has, so it is indexed and matched as a word of its own instead of being dropped.
_CAPITALISED_FUNCTION_WORD = re.compile(r"\b[A-ZÅÄÖ]{2,4}\b")
ABBREVIATION_MARK = "0"
_LOWERCASE = re.compile(r"[a-zåäö]")


def _mark_abbreviation(match: re.Match[str]) -> str:
    token = match.group()
    return token + ABBREVIATION_MARK if fold(token) in STOPWORDS else token


def words(text: str) -> list[str]:
    """The folded word tokens of ``text`` (hyphens and punctuation split words)."""
    # Only in mixed-case text: in "VAD ÄR JI" every word is in capitals and "vad" is "vad".
    if _CAPITALISED_FUNCTION_WORD.search(text) and _LOWERCASE.search(text):
        text = _CAPITALISED_FUNCTION_WORD.sub(_mark_abbreviation, text)
    return _WORD.findall(fold(text))


def phrasing_key(text: str) -> str:
    """The form two phrasings share when they differ only in case, accents or punctuation."""
    return " ".join(words(text))


def language_scores(text: str) -> tuple[int, int]:
    """Evidence for (Swedish, English): function-word hits, plus å/ä/ö for Swedish."""
    raw = _RAW_WORD.findall(text.casefold())
    sv = sum(1 for w in raw if w in _SV_MARKERS)
    en = sum(1 for w in raw if w in _EN_MARKERS)
    # å/ä/ö in an ordinary word is Swedish; in a capitalised name ("What is JämKAS?",
    # "Jämbot", "Luleå") it says nothing about the language of the sentence.
    if any(
        ch in "åäö" for w in _RAW_WORD.findall(text) if not w[:1].isupper() for ch in w.casefold()
    ):
        sv += 2
    return sv, en


# Word-character runs, as ``\b`` sees words: a set lookup per token is ~3x faster than
# one regex alternation of every marker, and every question of every entry is checked.
_REGEX_WORD = re.compile(r"\w+")


def detect_language(text: str) -> Lang:
    """Say "en" only when English function words outweigh the Swedish evidence, else "sv".

    Short or ambiguous text ("budget", "CEMR") counts as Swedish, the bot's default.
    """
    if _EN_MARKERS.isdisjoint(_REGEX_WORD.findall(text.lower())):  # most texts: no English
        return "sv"
    sv, en = language_scores(text)
    return "en" if en > sv else "sv"


_STEMMERS = {
    "sv": snowballstemmer.stemmer("swedish"),
    "en": snowballstemmer.stemmer("english"),
}


_STEM_CACHE: dict[str, dict[str, str]] = {"sv": {}, "en": {}}
_STEM_CACHE_LIMIT = 1_000_000  # questions bring new words forever; bound the cache


def stem(word: str, lang: Lang = "sv") -> str:
    """The snowball stem of a folded word (cached: vocabularies repeat a lot)."""
    cache = _STEM_CACHE[lang]
    found = cache.get(word)
    if found is None:
        found = word if word.isdigit() or len(word) < 3 else str(_STEMMERS[lang].stemWord(word))
        if len(cache) >= _STEM_CACHE_LIMIT:
            cache.clear()
        cache[word] = found
    return found


def trim_stem_cache(keep: int = 200_000) -> None:
    """Drop the stem cache after a large build: queries refill it with the words they use."""
    for cache in _STEM_CACHE.values():
        if len(cache) > keep:
            cache.clear()


def stem_all(words_: Iterable[str], lang: Lang) -> None:
    """Stem many words in one call into the cache (the C stemmer's batch call is much faster)."""
    cache = _STEM_CACHE[lang]
    todo = [w for w in words_ if w not in cache and not w.isdigit() and len(w) >= 3]
    if len(cache) + len(todo) >= _STEM_CACHE_LIMIT:
        cache.clear()
    cache.update(zip(todo, map(str, _STEMMERS[lang].stemWords(todo)), strict=True))


def is_content_word(word: str) -> bool:
    """Whether a folded token can carry meaning (not a function word, not a lone letter)."""
    if word in STOPWORDS:
        return False
    return len(word) >= 2 or word.isdigit()


SPLIT_CACHE_LIMIT = 100_000


class CompoundSplitter:
    """Splits Swedish compounds into parts that occur in the knowledge base.

    "budgetprocessen" should meet "budget" and "process", and
    "jämställdhetsintegreringsarbetet" should meet "jämställdhetsintegrering" and
    "arbete". Parts must be words (or stems) the knowledge base uses, which keeps the
    splitter from inventing nonsense out of ordinary words.
    """

    MIN_PART = 3
    MIN_WORD = 6
    MIN_OPEN_PART = 5

    def __init__(self, known_words: Iterable[str]) -> None:
        self._known = {w for w in known_words if len(w) >= self.MIN_PART and w not in STOPWORDS}
        self._known_stems = {s for s in map(stem, self._known) if len(s) >= 4}
        self._splits: dict[str, tuple[str, ...] | None] = {}  # questions repeat words

    @classmethod
    def from_parts(cls, known: set[str], known_stems: set[str]) -> CompoundSplitter:
        """A splitter from another one's ``parts()`` (the index cache), without restemming."""
        splitter = cls.__new__(cls)
        splitter._known = known
        splitter._known_stems = known_stems
        splitter._splits = {}
        return splitter

    def parts(self) -> tuple[set[str], set[str]]:
        """The known words and known stems that ``from_parts`` takes."""
        return self._known, self._known_stems

    def knows(self, word: str) -> bool:
        return word in self._known

    def known_words(self) -> Iterable[str]:
        return self._known

    def _is_part(self, piece: str) -> bool:
        return piece in self._known or piece in self._known_stems

    def is_last_part(self, piece: str) -> bool:
        """Whether ``piece`` can end a compound: a known word, or an inflection of one."""
        return piece in self._known or (len(piece) >= 4 and stem(piece) in self._known_stems)

    def split_in_two(self, word: str) -> tuple[str, str] | None:
        """Head + tail for indexing: the longest known head, any tail of 5+ letters.

        The tail may be new ("budget|processen" where "process" never occurs alone) so
        that a later question saying just "process" still finds the compound. One cut
        per word keeps indexing fast; the longest head keeps "jämställdhetsintegrering"
        whole in "jämställdhetsintegreringsarbetet".
        """
        if len(word) < self.MIN_WORD + 2 or word.isdigit():
            return None
        for end in range(len(word) - self.MIN_OPEN_PART, self.MIN_PART - 1, -1):
            head = word[:end]
            if head not in self._known and head not in self._known_stems:
                continue
            tail = (
                word[end + 1 :]
                if word[end] == "s" and len(word) - end > self.MIN_OPEN_PART
                else word[end:]
            )
            if len(tail) >= self.MIN_OPEN_PART or self.is_last_part(tail):
                return head, tail
        return None

    def split(self, word: str) -> tuple[str, ...] | None:
        """The fewest known parts that make up ``word`` (at least two), or None."""
        if word in self._splits:
            return self._splits[word]
        parts = None
        if len(word) >= self.MIN_WORD and not word.isdigit():
            parts = self._segment(word, 0, whole_allowed=False)
        if len(self._splits) >= SPLIT_CACHE_LIMIT:
            self._splits.clear()
        self._splits[word] = parts
        return parts

    def _segment(self, word: str, start: int, whole_allowed: bool) -> tuple[str, ...] | None:
        rest = word[start:]
        if whole_allowed and self.is_last_part(rest):
            return (rest,)
        best: tuple[str, ...] | None = None
        # Longest first part first: "jämställdhetsintegrering|arbetet" beats finer splits.
        for end in range(len(word) - self.MIN_PART, start + self.MIN_PART - 1, -1):
            piece = word[start:end]
            if not self._is_part(piece):
                continue
            for link_end in (end, end + 1) if word[end] == "s" else (end,):
                if len(word) - link_end < self.MIN_PART:
                    continue
                tail = self._segment(word, link_end, whole_allowed=True)
                if tail is not None and (best is None or len(tail) + 1 < len(best)):
                    best = (piece, *tail)
            if best is not None and len(best) == 2:
                break
        return best
