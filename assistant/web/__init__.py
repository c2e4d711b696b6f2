"""The chat page: HTML rendering (render), event handlers (handlers), the Gradio page (page).

`app.py` at the top of the checkout is wiring only: it builds the page from the settings.
"""
