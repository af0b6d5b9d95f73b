"""Micro-credential advising assistant: domain logic (catalogue, parsing, matching, explanations)."""
