"""Card and action abstraction: suit isomorphism, equity tables, k-means buckets, bet sizes."""
