"""Measuring Aurora's local stages on labelled data files (classification, PII, retrieval)."""
