"""Routing: the rules of `model_router.json` and the pure function that applies them."""
