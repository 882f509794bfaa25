"""Local model lifecycle: admission by memory, refcounts, pins, warm set and idle expiry."""
