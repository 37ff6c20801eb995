"""The neutral vocabulary every other package speaks: no platform, no domain, no database.

``bot`` (the conversation and the adapters) and ``reminders`` (the reporting cycle) both
send messages, so what a message *is* lives below both of them: what people write
(``replies.Message``/``Action``), what the bot says (``replies.Reply``), how proactive
messages travel (``outbox.Outbox``, ``Recipient``, ``Delivery``), where a posted message
is (``refs.MessageRef``), and how user-facing strings are looked up (``texts.Catalogue``).
"""
