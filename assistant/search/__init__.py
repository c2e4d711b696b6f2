"""Finding passages: the embedding model, the Chroma store, the lexical index and the hybrid
retriever that fuses them."""
