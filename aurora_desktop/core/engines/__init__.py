"""Inference engines: each owns its model on one worker thread."""
