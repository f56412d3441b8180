"""Knowledge engine: loading, cleaning, chunking, embedding, storing, retrieving and answering.

No Telegram imports live here; the bot layer renders what this package returns.
"""
