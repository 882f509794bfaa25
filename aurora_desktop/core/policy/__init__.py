"""Policy: what may leave the machine — banned words, personal-data masking, consent."""
