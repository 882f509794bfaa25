"""Helpers shared by the test tiers: real wheels, a real package index on 127.0.0.1."""
