"""Advice: matching credentials to a person's constraints (``matching``), the words and payloads of
replies (``explain``) and the service the actions call (``service``). Pure Python: it reads the
catalogue through :class:`bot.model.CatalogueReader` and imports no database, Rasa or web library."""
