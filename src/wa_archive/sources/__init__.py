"""Sources: each knows one wire format and turns it into records (never touches tables)."""
