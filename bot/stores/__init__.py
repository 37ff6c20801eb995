"""The SQL of the conversation, one small store per table (or per job reading several).

Dialogs decide what to say; the stores are what they read and write. Each store is bound to
one organisation where its table is per organisation, so no query can forget ``org_id``. The
races the database settles (a claim by conditional UPDATE, a unique key that refuses the
second row) live here, written down next to the statement that settles them.

``questions.py``   the question log            ``feedback.py``  👍/👎 per person and answer
``escalations.py`` questions passed on          ``analysis.py``  analysis drafts and the count
``gaps.py``        what the knowledge base lacks (log, feedback and escalations, read together)
"""
