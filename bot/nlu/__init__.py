"""The Rasa NLU components of ``config.yml`` (``features``, ``intent_classifier``), the rule-based spaCy
pipeline (``spacy_rules``) and training (``training``)."""
