"""The staff review app: conversations from the tracker store, read, tagged, corrected and exported."""
