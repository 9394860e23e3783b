"""Producer accounts: how an account comes to act for a producer (an invitation from the OCOP office, or a one-time
code sent to the producer's phone or e-mail on record), what the others are told, how the office suspends it, and
what a young account may do without the office's approval."""
