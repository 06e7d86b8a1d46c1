"""Project metadata (GitHub) pulled into the store within API limits."""
