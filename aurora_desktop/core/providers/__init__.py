"""Cloud providers: their settings and keys, the OpenAI-compatible client, the breaker."""
