"""Evidence: what a card's sources say, as content values. The evaluation reports SageMaker
Clarify and Model Monitor write (and the card's own metric format) parsed into
``evaluation_details`` metric groups (``reports``: ``clarify``, ``monitor``,
``card_metrics``), and the SageMaker model, training job and model package, as the API
describes them, mapped to the content fields they fill (``resources``). Every value comes
from outside and is checked as untrusted input (``values``): types, sizes, names and the
card schema's limits; a report that is empty or malformed is an ``EvidenceProblem`` that
names what is wrong, and nothing is filled from it. Pure: the bytes and API responses are
read by ``live.evidence``; ``workflows.fill`` writes the card.

May import: ``common``, ``desired`` and itself.
"""
