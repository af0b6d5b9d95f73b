"""The ways people reach the assistant: the chat page relay (``web``); the website widget and the
Slack relay belong here too. Channels talk to Rasa over HTTP and never import the actions or NLU."""
