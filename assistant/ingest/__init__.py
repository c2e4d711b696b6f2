"""From files to chunks: loading, cleaning, metadata, sentences, chunking, and the pipeline
that streams them into the store."""
