"""Reading what people say: budgets, times, filters and list positions (``parsing``), career aims
(``aims``) and word families (``vocabulary``). Pure Python: no database, no Rasa, no web."""
