"""Play over the ACPC protocol 2.0.0: game definition files, MATCHSTATE lines mapped to engine
hands and back, a client that plays any agent against a dealer, and a local dealer that runs
matches between programs that speak the protocol and writes the official log format."""
