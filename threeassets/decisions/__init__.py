"""Decision records (四议两公开) shared by asset disposals and contracts."""
