"""Custom actions: thin glue between the conversation and :mod:`bot`."""
