"""Channels: framework-free parts of the WhatsApp, Twilio and web channels."""
