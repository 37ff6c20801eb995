"""Synthetic knowledge bases of any size, written as real Markdown files.

The latency bench needs knowledge bases of 1k-100k entries that behave like real ones:
Zipf-distributed words, a vocabulary that grows with the corpus (Heaps' law), Swedish
compounds and inflections, several example questions per entry. Real domain words are
the frequent head; invented Swedish-sounding words form the long tail. Generation is
seeded, so every run measures the same knowledge bases.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

HEAD_WORDS = """
jämställdhet jämställdhetsintegrering kvinnor män flickor pojkar budget process förvaltning
region kommun nämnd styrelse beslut analys statistik könsuppdelad uppföljning handlingsplan
aktivitetsplan utvecklingsområde kvartal rapport rapportering deadline strateg metod arbete
verksamhet resurser fördelning representation bemötande hälsa utbildning makt inflytande
ekonomi omsorg våld mål delmål deklaration modellregion lärandeträff arbetsgrupp chef
politiker tjänsteperson kartläggning konsekvens underlag ärende handläggning medborgare
patient vård tandvård kollektivtrafik kultur idrott föreningsbidrag bistånd stöd insats
""".split()  # noqa: SIM905 - a word list reads better as text
SYLLABLES = """
ka lo ma ri ste ni va ber gå för ställ ning het skap lig bar else dom sam ut in upp
till över under ny gam kväll morg hem sko vatt sten berg dal sjö skog bro gård
""".split()  # noqa: SIM905 - a word list reads better as text
SUFFIXES = ("", "", "", "en", "et", "er", "erna", "ar", "arna", "ens", "ning", "ningen")
FILLERS = "och att det som en på för med till av om är kan ska vi ni hur vad när".split()  # noqa: SIM905


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """``size`` distinct words: real domain words first (the frequent head), then invented ones."""
    words = list(dict.fromkeys(HEAD_WORDS))
    seen = set(words)
    while len(words) < size:
        if rng.random() < 0.3:  # a compound of two real words
            word = rng.choice(HEAD_WORDS) + rng.choice(("", "s")) + rng.choice(HEAD_WORDS)
        else:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class WordSampler:
    """Draws words with Zipf frequencies (exponent ~1.05, like natural text)."""

    def __init__(self, words: list[str], seed: int) -> None:
        self.words = words
        ranks = np.arange(1, len(words) + 1, dtype=np.float64)
        weights = ranks**-1.05
        self.cumulative = np.cumsum(weights / weights.sum())
        self.rng = np.random.default_rng(seed)

    def sample(self, count: int) -> list[str]:
        picks = np.searchsorted(self.cumulative, self.rng.random(count))
        return [self.words[min(int(i), len(self.words) - 1)] for i in picks]


def _inflect(word: str, rng: random.Random) -> str:
    return word + rng.choice(SUFFIXES) if rng.random() < 0.3 else word


def _sentence(sampler: WordSampler, rng: random.Random, length: int) -> str:
    content = [_inflect(w, rng) for w in sampler.sample(length)]
    for _ in range(length // 3):
        content.insert(rng.randrange(len(content) + 1), rng.choice(FILLERS))
    return " ".join(content)


def _with_abbreviation(paragraph: str, words: list[str], rng: random.Random) -> str:
    """Real answers define abbreviations in parentheses ("Sveriges Kommuner och Regioner
    (SKR)"); the loader looks for them, so every tenth synthetic entry has one."""
    phrase = [rng.choice(words) for _ in range(3)]
    initials = "".join(w[0] for w in phrase).upper()
    sentence = f"{' '.join(phrase).capitalize()} ({initials}) {rng.choice(FILLERS)}"
    return f"{sentence} {paragraph[0].lower()}{paragraph[1:]}"


def entry_text(number: int, sampler: WordSampler, rng: random.Random) -> str:
    title = _sentence(sampler, rng, rng.randint(3, 6)).capitalize() + "?"
    questions = [
        _sentence(sampler, rng, rng.randint(3, 7)).capitalize() + "?"
        for _ in range(rng.randint(3, 5))
    ]
    tags = sorted(set(sampler.sample(3)))
    paragraphs = [
        _sentence(sampler, rng, rng.randint(20, 60)).capitalize() + "."
        for _ in range(rng.randint(1, 3))
    ]
    if number % 10 == 0:
        paragraphs[0] = _with_abbreviation(paragraphs[0], sampler.words, random.Random(number))
    lines = [
        "---",
        f"id: entry-{number:06d}",
        f'title: "{title}"',
        "questions:",
        *(f'  - "{q}"' for q in questions),
        f"tags: [{', '.join(tags)}]",
        "sources:",
        f'  - title: "Källa {number}"',
        f"    url: https://example.org/kunskap/{number}",
        "lang: sv",
        "---",
        "\n\n".join(paragraphs),
        "",
    ]
    return "\n".join(lines)


def vocabulary_size(entries: int) -> int:
    """Heaps' law: roughly 150 words per entry, V ~ 20 * sqrt(tokens)."""
    return max(len(set(HEAD_WORDS)) + 100, int(20 * (entries * 150) ** 0.5))


def write_knowledge_base(directory: Path, entries: int, seed: int = 7) -> WordSampler:
    """Write ``entries`` entry files (100 per subfolder) and return the sampler used."""
    rng = random.Random(seed)
    sampler = WordSampler(vocabulary(vocabulary_size(entries), rng), seed)
    for number in range(entries):
        folder = directory / f"del-{number // 100:04d}"
        if number % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"entry-{number:06d}.md").write_text(
            entry_text(number, sampler, rng), encoding="utf-8"
        )
    return sampler


def queries(sampler: WordSampler, count: int, seed: int = 11) -> list[str]:
    """Realistic query mix: short and long, inflected, some typos, some out-of-vocabulary words."""
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        words = [_inflect(w, rng) for w in sampler.sample(rng.randint(1, 6))]
        if rng.random() < 0.2:  # a typo: drop one letter
            i = rng.randrange(len(words))
            if len(words[i]) > 5:
                cut = rng.randrange(1, len(words[i]) - 1)
                words[i] = words[i][:cut] + words[i][cut + 1 :]
        if rng.random() < 0.1:
            words.append(rng.choice(["parkering", "lösenord", "semester", "lunchmeny"]))
        result.append(("hur " if rng.random() < 0.5 else "") + " ".join(words))
    return result
