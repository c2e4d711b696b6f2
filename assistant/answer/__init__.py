"""Writing the answer from retrieved passages: the extractive reader, citations, follow-ups
and the LLM path with its verification."""
