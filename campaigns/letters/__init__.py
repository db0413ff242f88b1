"""Letters to officials: writing, moderation, delivery planning, digests, positions, figures."""
