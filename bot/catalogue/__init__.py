"""The credential catalogue: SQLAlchemy models (``models``), migrations (``migrate``, ``migrations/``),
record queries (``repository``), the ranked recommendation query (``search``), the reader the advice
service uses (``reader``), loading the YAML catalogue (``loading``) and importers of public listings
and CTDL (``importers/``)."""
