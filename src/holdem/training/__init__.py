"""Blueprint training: external-sampling MCCFR on real hold'em over the card and action abstraction."""
